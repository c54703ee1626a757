"""Reporting on cached pages: reports and moderation retire no page; hiding and banning do."""
from __future__ import annotations

from typing import Any

from core.page_cache.versions import SITE, group_key, user_key
from tests.plugins.reporting.test_reports import report


def versions(app: Any, *keys: str) -> tuple:
    return app.extensions["commonground.page_cache"].versions.read(keys)


def test_a_report_retires_no_cached_page(app, community, client_for):
    keys = (SITE, group_key(community.group.id), user_key(community.carol.id))
    before = versions(app, *keys)
    assert report(client_for(community.alice), "post", community.post.id).status_code == 302
    assert versions(app, *keys) == before


def test_a_ban_retires_the_groups_pages_and_the_banned_persons(app, community):
    from core.extensions import db
    from plugins.reporting.models import GroupBan

    keys = (SITE, group_key(community.group.id), user_key(community.bob.id))
    before = versions(app, *keys)
    db.session.add(GroupBan(group_id=community.group.id, user_id=community.bob.id))
    db.session.commit()
    site, group, bob = versions(app, *keys)
    assert site == before[0] and group != before[1] and bob != before[2]
