"""The home page: a member's groups with unread counts, a feed across them, what waits for them;
visitors get what the site is, public groups and the ways in. Query counts constant in data size."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models import GroupRead, Invitation, JoinRequest, Post
from core.models.base import utcnow

pytestmark = pytest.mark.plugins("plugins.reporting")


@pytest.fixture
def app_config() -> dict:
    """These tests count what rendering the home page costs, so the page cache is off (its hits
    have their own count and invalidation tests, tests/core/page_cache/)."""
    return {"PAGE_CACHE_BYTES": 0}


@pytest.fixture
def ada(make_user):
    return make_user("ada", display_name="Ada Lovelace")


@pytest.fixture
def bob(make_user):
    return make_user("bob", display_name="Bob")


def _posts(group, author, count: int, *, start=None, body="post") -> list[Post]:
    start = start or utcnow()
    posts = [Post(group_id=group.id, author_id=author.id, body_source=f"{body} {n}", body_html=f"<p>{body} {n}</p>",
                  created_at=start + timedelta(seconds=n)) for n in range(count)]
    db.session.add_all(posts)
    db.session.commit()
    return posts


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


# --- visitors -------------------------------------------------------------------------------


def test_visitor_home_says_what_the_site_is_and_offers_sign_up_and_log_in(client, make_group):
    make_group(slug="gardeners", name="Gardeners", description="Growing things together")
    make_group(slug="hidden", name="Hidden Circle", visibility="private")
    html = client.get("/").text
    assert "A place for groups to support each other" in html
    assert 'href="/signup"' in html and 'href="/login"' in html and ">Log in<" in html
    assert "Gardeners" in html and "Growing things together" in html
    assert "Hidden Circle" not in html


def test_visitor_home_costs_the_same_with_many_groups(client, make_group, make_user, count_queries):
    owner = make_user("owner")
    make_group(owner=owner, slug="first")
    client.get("/")
    with count_queries() as small:
        client.get("/")
    for n in range(30):
        make_group(owner=owner, slug=f"g{n}")
    with count_queries() as large:
        assert client.get("/").status_code == 200
    assert len(small) == len(large) <= 2 and _writes(large) == []


# --- members: groups and unread counts -----------------------------------------------------


def test_member_home_lists_their_groups_and_not_others(app, login, ada, bob, make_group):
    make_group(owner=bob, slug="mine", name="My Group", members=(ada,))
    make_group(owner=bob, slug="theirs", name="Their Group")
    html = login(app.test_client(), ada).get("/").text
    assert "Your groups" in html and "My Group" in html
    assert "Their Group" not in html


def test_member_without_groups_is_shown_how_to_find_one(app, login, ada):
    html = login(app.test_client(), ada).get("/").text
    assert "You are not in a group yet" in html and 'href="/g/"' in html and 'href="/g/new"' in html


def test_unread_count_counts_posts_by_others_since_joining(app, login, ada, bob, make_group):
    group = make_group(owner=bob, slug="club", name="Club", members=(ada,))
    _posts(group, bob, 3, start=utcnow() + timedelta(seconds=5))
    _posts(group, ada, 2, start=utcnow() + timedelta(seconds=5))  # one's own posts are never new
    html = login(app.test_client(), ada).get("/").text
    assert '<span class="badge unread"' in html and ">3<span class=\"visually-hidden\"> new posts" in html


def test_posts_from_before_joining_are_not_new(app, login, ada, bob, make_group, add_member):
    group = make_group(owner=bob, slug="club")
    _posts(group, bob, 3, start=utcnow() - timedelta(days=1))
    add_member(group, ada)
    assert "badge unread" not in login(app.test_client(), ada).get("/").text


def test_unread_count_above_the_cap_reads_99_plus(app, login, ada, bob, make_group):
    group = make_group(owner=bob, slug="club", members=(ada,))
    _posts(group, bob, 101, start=utcnow() + timedelta(seconds=5))
    assert ">99+<" in login(app.test_client(), ada).get("/").text


def test_unread_count_leaves_out_people_the_member_blocked(app, login, ada, bob, make_user, make_group,
                                                            enable_plugin):
    from plugins.reporting.models import Block

    enable_plugin("reporting")
    carol = make_user("carol")
    group = make_group(owner=bob, slug="club", members=(ada, carol))
    _posts(group, carol, 4, start=utcnow() + timedelta(seconds=5))
    _posts(group, bob, 1, start=utcnow() + timedelta(seconds=5))
    db.session.add(Block(blocker_id=ada.id, blocked_id=carol.id))
    db.session.commit()
    html = login(app.test_client(), ada).get("/").text
    assert ">1<span class=\"visually-hidden\"> new post<" in html
    assert "post 3" not in html  # carol's posts are not in the feed either


def test_read_mark_resets_the_unread_count(app, login, ada, bob, make_group):
    group = make_group(owner=bob, slug="club", members=(ada,))
    posts = _posts(group, bob, 3, start=utcnow() + timedelta(seconds=5))
    db.session.add(GroupRead(user_id=ada.id, group_id=group.id, read_until=posts[-1].created_at))
    db.session.commit()
    assert "badge unread" not in login(app.test_client(), ada).get("/").text


# --- members: the feed ------------------------------------------------------------------------


def test_feed_shows_posts_from_all_their_groups_newest_first_with_group_names(app, login, ada, bob, make_group):
    one = make_group(owner=bob, slug="one", name="Group One", members=(ada,))
    two = make_group(owner=bob, slug="two", name="Group Two", members=(ada,))
    other = make_group(owner=bob, slug="other", name="Not Mine", visibility="private")
    now = utcnow()
    _posts(one, bob, 1, start=now, body="older")
    _posts(two, bob, 1, start=now + timedelta(seconds=10), body="newer")
    _posts(other, bob, 1, start=now + timedelta(seconds=20), body="secret")
    html = login(app.test_client(), ada).get("/").text
    assert html.index("newer 0") < html.index("older 0")
    assert "secret 0" not in html
    assert 'href="/g/two"' in html and 'id="post-' in html  # core's post card, with its group


def test_feed_pages_with_a_cursor_and_rejects_a_forged_one(app, login, ada, bob, make_group):
    group = make_group(owner=bob, slug="club", members=(ada,))
    _posts(group, bob, 25, start=utcnow() - timedelta(hours=1))
    client = login(app.test_client(), ada)
    first = client.get("/").text
    assert "post 24" in first and "post 4" not in first
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(older).text
    assert "post 4" in second and "post 24" not in second
    assert client.get("/?before=garbage").status_code == 400


def test_feed_marks_posts_new_since_the_last_visit(app, login, ada, bob, make_group):
    group = make_group(owner=bob, slug="club", members=(ada,))
    old = _posts(group, bob, 1, start=utcnow() + timedelta(seconds=1), body="seen")
    db.session.add(GroupRead(user_id=ada.id, group_id=group.id, read_until=old[0].created_at))
    db.session.commit()
    _posts(group, bob, 1, start=utcnow() + timedelta(seconds=5), body="fresh")
    html = login(app.test_client(), ada).get("/").text
    fresh, seen = html.index("fresh 0"), html.index("seen 0")
    marker = html.index("New since your last visit")
    assert marker < fresh < seen and html.count("New since your last visit") == 1


def test_a_post_hidden_by_a_moderator_shows_its_placeholder_in_the_home_feed(app, login, ada, bob, make_group,
                                                                             enable_plugin):
    from plugins.reporting.models import HiddenContent

    enable_plugin("reporting")
    group = make_group(owner=bob, slug="club", members=(ada,))
    [post] = _posts(group, bob, 1, body="rude")
    db.session.add(HiddenContent(content_type="post", content_id=post.id, group_id=group.id))
    db.session.commit()
    html = login(app.test_client(), ada).get("/").text
    assert "rude 0" not in html


# --- members: what waits for them ---------------------------------------------------------------


def test_home_lists_invitations_with_accept_and_decline(app, login, ada, bob, make_group):
    group = make_group(owner=bob, slug="club", name="Book Club")
    db.session.add(Invitation(group_id=group.id, user_id=ada.id, invited_by_id=bob.id))
    db.session.commit()
    html = login(app.test_client(), ada).get("/").text
    assert "You are invited to Book Club" in html and "by Bob" in html
    assert "/accept" in html and "/decline" in html


def test_home_lists_the_members_own_pending_join_requests(app, login, ada, bob, make_group):
    group = make_group(owner=bob, slug="club", name="Book Club", join_mode="request")
    db.session.add(JoinRequest(group_id=group.id, user_id=ada.id))
    db.session.commit()
    html = login(app.test_client(), ada).get("/").text
    assert "Your request to join Book Club is waiting for a moderator." in html


def test_home_tells_moderators_about_requests_waiting_in_their_groups(app, login, ada, bob, make_user, make_group):
    group = make_group(owner=bob, slug="club", name="Book Club", join_mode="request", members=((ada, "moderator"),))
    for name in ("carol", "dan"):
        db.session.add(JoinRequest(group_id=group.id, user_id=make_user(name).id))
    db.session.commit()
    assert "2 requests to join Book Club are waiting for a decision" in login(app.test_client(), ada).get("/").text


def test_plain_members_are_not_told_about_join_requests(app, login, ada, bob, make_user, make_group):
    group = make_group(owner=bob, slug="club", name="Book Club", join_mode="request", members=(ada,))
    db.session.add(JoinRequest(group_id=group.id, user_id=make_user("carol").id))
    db.session.commit()
    assert "waiting for a decision" not in login(app.test_client(), ada).get("/").text


@pytest.mark.plugins("tests.core.home_probe")
def test_plugins_add_their_part_through_the_home_slot(app, login, ada, enable_plugin):
    enable_plugin("home_probe")
    html = login(app.test_client(), ada).get("/").text
    assert '<section class="card home-probe">Your next mentoring step is due, Ada Lovelace</section>' in html


# --- cost -------------------------------------------------------------------------------------------


def test_member_home_costs_the_same_for_few_and_many_posts_groups_and_invitations(
        app, login, ada, bob, make_user, make_group, count_queries, enable_plugin):
    enable_plugin("reporting")
    first = make_group(owner=bob, slug="first", members=((ada, "moderator"),), join_mode="request")
    _posts(first, bob, 3)
    client = login(app.test_client(), ada)
    client.get("/")
    db.session.expire_all()
    with count_queries() as small:
        assert client.get("/").status_code == 200
    for n in range(15):
        group = make_group(owner=bob, slug=f"more-{n}", members=(ada,))
        _posts(group, make_user(f"writer{n}"), 5)
        db.session.add(Invitation(group_id=make_group(owner=bob, slug=f"inv-{n}").id, user_id=ada.id))
        db.session.add(JoinRequest(group_id=first.id, user_id=make_user(f"asker{n}").id))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as large:
        assert client.get("/").status_code == 200
    assert len(small) == len(large), "\n".join(large)
    # plugin state, user, groups with unread counts and requests, feed page, placeholders, invitations
    assert len(large) == 6, "\n".join(large)
    assert _writes(large) == [], "a GET must never write"
