"""Group tabs' and plugins' navigation links are built once (``core.ui.link``) and then reused:
each group still gets its own links, and an app mounted under a path prefix gets prefixed ones."""
from __future__ import annotations

import pytest

from core.plugins import state as plugin_state


@pytest.fixture
def app_plugins():
    return ["tests.plugins.fixtures.grouptab"]


@pytest.fixture
def groups(make_group, make_user, member):
    owner = make_user("owner")
    found = [make_group(slug=slug, owner=owner, members=(member,)) for slug in ("allotment", "orchard")]
    plugin_state.set_enabled("grouptab", True)
    for group in found:
        plugin_state.set_group_enabled("grouptab", group, True)
    return found


def test_each_group_links_its_tabs_to_itself(member_client, groups):
    for _ in range(2):
        for slug in ("allotment", "orchard"):
            page = member_client.get(f"/g/{slug}").text
            assert f'href="/g/{slug}/notes"' in page and f'href="/g/{slug}/members"' in page
            other = "orchard" if slug == "allotment" else "allotment"
            assert f'href="/g/{other}/notes"' not in page


def test_links_follow_the_path_the_app_is_mounted_at(member_client, groups):
    plain = member_client.get("/g/allotment").text
    assert 'href="/g/allotment/notes"' in plain and 'href="/grouptab/"' in plain
    mounted = member_client.get("/g/allotment", base_url="http://localhost/community").text
    assert 'href="/community/g/allotment/notes"' in mounted and 'href="/community/grouptab/"' in mounted
    assert 'href="/g/allotment/notes"' in member_client.get("/g/allotment").text
