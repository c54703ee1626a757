"""The group directory, the group page and its feed, and who sees what of a private group."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.groups import keyset, statements


@pytest.fixture
def app_plugins():
    """The recorder plugin is installed for every test here, but enabled only through ``recorder``."""
    return ["tests.core.group_hooks_plugin"]


# --- directory -----------------------------------------------------------------------------------


def test_directory_lists_groups_with_member_count_and_visibility(client, make_group, make_user):
    make_group(slug="gardeners", name="Gardeners", description="Growing things together",
               members=[make_user(), make_user()])
    make_group(slug="secret-circle", name="Secret Circle", description="A quiet place", visibility="private")
    page = client.get("/g/")
    assert page.status_code == 200
    assert "Gardeners" in page.text and "Growing things together" in page.text
    assert "3 members" in page.text
    assert "Secret Circle" in page.text and "A quiet place" in page.text
    assert "Private group" in page.text and "Public group" in page.text


def test_directory_search_matches_name_and_description(client, make_group):
    make_group(slug="gardeners", name="Gardeners", description="Plants")
    make_group(slug="readers", name="Readers", description="Books and gardens of words")
    make_group(slug="runners", name="Runners", description="5k on Sundays")
    page = client.get("/g/?q=garden")
    assert "Gardeners" in page.text and "Readers" in page.text
    assert "Runners" not in page.text


def test_directory_search_treats_wildcards_as_punctuation(client, make_group):
    make_group(slug="percent", name="100% volunteers")
    make_group(slug="other", name="Other people")
    page = client.get("/g/?q=100%25")
    assert "100% volunteers" in page.text
    assert "Other people" not in page.text


def test_directory_search_without_words_finds_nothing_rather_than_everything(client, make_group):
    make_group(slug="other", name="Other people")
    page = client.get("/g/?q=%25_")
    assert page.status_code == 200
    assert "Other people" not in page.text and "No groups match your search." in page.text


def test_directory_search_puts_the_best_match_first(client, make_group):
    make_group(slug="mentions", name="Readers", description="We read about gardens, and more gardens and a garden")
    make_group(slug="named", name="Garden club", description="Weekly meetings")
    page = client.get("/g/?q=garden").text
    assert page.index("Garden club") < page.index("Readers")  # a title word outweighs body words


def test_directory_search_finds_a_renamed_group_by_its_new_name_only(client, make_group):
    group = make_group(slug="club", name="Chess club")
    group.name = "Go club"
    db.session.commit()
    assert "Go club" in client.get("/g/?q=go").text
    assert "No groups match your search." in client.get("/g/?q=chess").text


def test_directory_search_paginates_by_relevance_keyset(client, make_group, app):
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_group(slug=f"knit-{n}", name=f"Knitting circle {n}")
    make_group(slug="other", name="Other people")
    seen, url = [], "/g/?q=knitting"
    while url:
        page = client.get(url).text
        seen += [n for n in range(5) if f"Knitting circle {n}<" in page]
        url = (page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
               if 'rel="next"' in page else None)
    assert sorted(seen) == [0, 1, 2, 3, 4]  # each group once, over three pages


@pytest.fixture
def fresh_statements(monkeypatch):
    """No reused group statements yet (``core.groups.statements``)."""
    monkeypatch.setattr(statements, "_STATEMENTS", {})


def directory_statements() -> dict:
    """The directory-search statements built so far, by key."""
    return {key: found for key, found in statements._STATEMENTS.items() if key[0][0] == "directory-search"}


def test_directory_search_runs_one_statement_built_once_with_each_searchs_words(client, make_group, make_user,
                                                                                login, fresh_statements):
    make_group(slug="knitters", name="Knitting circle")
    make_group(slug="runners", name="Running club")
    login(client, make_user("reader"))
    first = client.get("/g/?q=knitting").text
    built = directory_statements()
    second = client.get("/g/?q=running").text
    assert "Knitting circle" in first and "Running club" not in first
    assert "Running club" in second and "Knitting circle" not in second
    assert len(built) == 1 and directory_statements() == built  # the second search reused it


def test_directory_search_keeps_no_statement_when_search_cannot_reuse_its_own(client, make_group, monkeypatch, app,
                                                                              fresh_statements):
    """A source whose filter is a new clause on every search gets a new statement each time: the
    directory then builds its own for that search only instead of filling its memo with them."""
    import dataclasses

    from core.models.search import SearchEntry
    from core.search.sources import get_registry

    make_group(slug="knitters", name="Knitting circle")
    registry = get_registry(app)
    fresh = dataclasses.replace(registry.get("group"), visible=lambda viewer, entries: SearchEntry.id.is_not(None))
    monkeypatch.setattr(registry, "get", lambda name: fresh if name == "group" else type(registry).get(registry, name))
    assert "Knitting circle" in client.get("/g/?q=knitting").text
    assert "Knitting circle" in client.get("/g/?q=knitting").text
    assert directory_statements() == {}


def test_directory_search_shows_each_viewer_their_own_role(client, make_group, make_user, login, app):
    knitter, reader = make_user("knitter"), make_user("reader")
    make_group(slug="knitters", name="Knitting circle", members=[(knitter, "moderator")])
    visitor = client.get("/g/?q=knitting").text
    login(client, knitter)
    moderator = client.get("/g/?q=knitting").text
    other = app.test_client()
    login(other, reader)
    outsider = other.get("/g/?q=knitting").text
    assert all("Knitting circle" in page for page in (visitor, moderator, outsider))
    here = "You are a moderator here"
    assert here in moderator and here not in outsider and here not in visitor


def test_directory_search_with_a_forged_cursor_is_a_bad_request(client, make_group):
    make_group(name="Knitting")
    assert client.get("/g/?q=knitting&after=not-a-cursor").status_code == 400
    assert client.get("/g/?q=knitting&after=" + keyset.encode("Knitting", 1)).status_code == 400


def test_directory_search_finds_a_name_with_a_capital_umlaut(client, make_group):
    make_group(slug="oeko", name="Ökogarten Nord")
    make_group(slug="other", name="Other people")
    page = client.get("/g/?q=Ökogarten")
    assert "Ökogarten Nord" in page.text and "Other people" not in page.text


def test_directory_paginates_by_keyset(client, make_group, app):
    app.config["PAGE_SIZE"] = 3
    for n in range(7):
        make_group(slug=f"group-{n}", name=f"Group {n}")
    first = client.get("/g/")
    assert "Group 0" in first.text and "Group 2" in first.text and "Group 3" not in first.text
    next_url = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(next_url)
    assert "Group 3" in second.text and "Group 5" in second.text
    assert "Group 2" not in second.text and "Group 6" not in second.text


def test_directory_with_a_forged_cursor_is_a_bad_request(client, make_group):
    make_group()
    assert client.get("/g/?after=not-a-cursor").status_code == 400


def test_directory_shows_my_role(member_client, member, make_group):
    make_group(slug="mine", name="Mine", members=[(member, "moderator")])
    assert "You are a moderator here" in member_client.get("/g/").text


def test_directory_offers_create_only_to_confirmed_members(client, member_client, make_group):
    assert "/g/new" in member_client.get("/g/").text
    assert "/g/new" not in client.get("/g/").text


def test_overlong_search_is_reported_not_crashed(client):
    page = client.get("/g/?q=" + "x" * 101)
    assert page.status_code == 200
    assert 'id="q-error"' in page.text


# --- group page ----------------------------------------------------------------------------------


def test_unknown_group_is_404(client):
    assert client.get("/g/nope").status_code == 404
    assert client.get("/g/nope/members").status_code == 404
    assert client.get("/g/nope/p/1").status_code == 404


def test_public_group_shows_description_rules_and_feed_to_anyone(client, make_group, make_user, make_post):
    author = make_user("author")
    group = make_group(slug="club", description="All about clubs", rules=["Be kind", "No ads"], members=[author])
    make_post(group, author, "Hello **everyone**")
    page = client.get("/g/club")
    assert page.status_code == 200
    assert "All about clubs" in page.text and "Be kind" in page.text
    assert "Hello <strong>everyone</strong>" in page.text
    assert "Log in to join" in page.text
    assert 'name="body"' not in page.text  # no composer for visitors


def test_feed_is_newest_first_with_comment_counts(client, make_group, make_user, make_post, make_comment):
    author = make_user("author")
    group = make_group(slug="club", members=[author])
    make_post(group, author, "older post")
    newer = make_post(group, author, "newer post")
    make_comment(newer, author, "reply")
    text = client.get("/g/club").text
    assert text.index("newer post") < text.index("older post")
    assert "1 comment" in text


def test_feed_paginates_with_before_cursor(client, make_group, make_user, make_post, app):
    app.config["PAGE_SIZE"] = 2
    author = make_user("author")
    group = make_group(slug="club", members=[author])
    for n in range(5):
        make_post(group, author, f"post number {n}")
    first = client.get("/g/club")
    assert "post number 4" in first.text and "post number 3" in first.text and "post number 2" not in first.text
    assert "Older posts" in first.text
    next_url = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "before=" in next_url
    second = client.get(next_url)
    assert "post number 2" in second.text and "post number 1" in second.text
    assert "post number 3" not in second.text
    assert "Back to the start" in second.text


def test_member_sees_composer_and_leave_button(member_client, member, make_group):
    make_group(slug="club", members=[member])
    page = member_client.get("/g/club")
    assert 'action="/g/club/posts"' in page.text
    assert "Leave group" in page.text
    assert "You are a member here" in page.text


def test_non_member_sees_join_button_for_open_group(member_client, make_group):
    make_group(slug="club")
    page = member_client.get("/g/club")
    assert 'action="/g/club/join"' in page.text
    assert "Join group" in page.text


def test_non_member_sees_ask_to_join_for_request_group(member_client, make_group):
    make_group(slug="club", join_mode="request", join_question="Why?")
    page = member_client.get("/g/club")
    assert "Ask to join" in page.text and 'href="/g/club/join"' in page.text


def test_group_page_shows_core_and_plugin_tabs_and_sidebar_slot(member_client, member, make_group, recorder):
    make_group(slug="club", members=[member])
    page = member_client.get("/g/club")
    assert "Feed" in page.text and "Members" in page.text
    assert "Recorder tab" in page.text
    assert '<span class="slot-group_sidebar">club</span>' in page.text
    assert 'href="/g/club/settings"' not in page.text  # a plain member does not administer the group


def test_plugin_tabs_disappear_when_plugin_disabled(member_client, member, make_group):
    make_group(slug="club", members=[member])
    assert "Recorder tab" not in member_client.get("/g/club").text


def test_owner_sees_settings_tab(client, login, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="club")
    login(client, owner)
    assert 'href="/g/club/settings"' in client.get("/g/club").text


# --- private groups ------------------------------------------------------------------------------


@pytest.fixture
def private_group(make_group, make_user, make_post, make_comment):
    insider = make_user("insider")
    group = make_group(slug="hidden", name="Hidden Room", description="Only for us", visibility="private",
                       rules=["Secret rule"], members=[insider])
    post = make_post(group, insider, "confidential post")
    make_comment(post, insider, "confidential comment")
    return group, post, insider


def test_private_group_page_shows_only_name_description_and_join(member_client, private_group):
    page = member_client.get("/g/hidden")
    assert page.status_code == 200
    assert "Hidden Room" in page.text and "Only for us" in page.text
    assert "Join group" in page.text
    assert "confidential" not in page.text
    assert "Secret rule" not in page.text
    assert 'href="/g/hidden/members"' not in page.text


@pytest.mark.parametrize("path", ["/g/hidden/members", "/g/hidden/p/{post}", "/g/hidden/p/{post}/edit"])
def test_private_group_content_is_404_for_non_members(member_client, client, private_group, path):
    _group, post, _insider = private_group
    url = path.format(post=post.id)
    assert member_client.get(url).status_code == 404
    assert client.get(url).status_code in (404, 302)  # anonymous: 404, or log in first for edit pages


def test_private_group_content_is_404_for_anonymous(client, private_group):
    _group, post, _insider = private_group
    assert client.get("/g/hidden/members").status_code == 404
    assert client.get(f"/g/hidden/p/{post.id}").status_code == 404
    assert "confidential" not in client.get("/g/hidden").text


def test_private_group_content_is_visible_to_members(client, login, private_group):
    _group, post, insider = private_group
    login(client, insider)
    assert "confidential post" in client.get("/g/hidden").text
    assert "confidential comment" in client.get(f"/g/hidden/p/{post.id}").text
    assert "Insider" in client.get("/g/hidden/members").text


def test_post_in_another_group_is_404(client, make_group, make_user, make_post):
    author = make_user()
    first = make_group(slug="first", members=[author])
    make_group(slug="second")
    post = make_post(first, author)
    assert client.get(f"/g/first/p/{post.id}").status_code == 200
    assert client.get(f"/g/second/p/{post.id}").status_code == 404
