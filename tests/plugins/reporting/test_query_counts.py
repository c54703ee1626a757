"""Queue and case pages cost a fixed number of SQL queries, however many reports there are."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.plugins import settings as plugin_settings
from plugins.reporting.content import load_item
from plugins.reporting.models import Case
from plugins.reporting.reports import file_report


@pytest.fixture
def fill(app, community, make_user, add_member, make_post):
    """``fill(n)``: n reports spread over n//5 posts, each post reported by five people."""
    plugin_settings.save_settings("reporting", {"reports_per_hour": 1000, "auto_hide_threshold": 1000})
    reporters = []
    for i in range(5):
        person = make_user(f"reporter{i}")
        add_member(community.group, person)
        reporters.append(person)

    def make(n: int) -> None:
        with app.test_request_context():
            for i in range(n // 5):
                post = make_post(community.group, community.bob, f"reported post {i}")
                item = load_item("post", post.id)
                for person in reporters:
                    file_report(person, item, {"category": ["spam", "hate", "harassment"][i % 3], "note": "n"})
            db.session.commit()

    return make


@pytest.fixture
def app_config() -> dict:
    """These tests count what rendering a page costs, so the page cache is off (its hits have
    their own count, tests/core/page_cache/test_query_counts.py)."""
    return {"PAGE_CACHE_BYTES": 0}


def queries_for(client, path, count_queries) -> int:
    client.get(path)  # warm caches (plugin state, templates)
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/moderation/g/garden", "/moderation/g/garden?state=all"])
def test_group_queue_query_count_does_not_grow_with_reports(community, client_for, count_queries, fill, path):
    moderator = client_for(community.moderator)
    fill(5)
    few = queries_for(moderator, path, count_queries)
    fill(45)
    assert moderator.get(path).text.count('class="card reporting-case') == 10
    many = queries_for(moderator, path, count_queries)
    assert few == many <= 6


def test_site_queue_query_count_does_not_grow_with_reports(community, client_for, count_queries, site_admin,
                                                           app, make_user):
    admin = client_for(site_admin)

    def report_profiles(n):
        with app.test_request_context():
            for i in range(n):
                person = make_user(f"profile{len(list(db.session.scalars(select(Case))))}_{i}")
                file_report(community.alice, load_item("profile", person.id), {"category": "spam"})
            db.session.commit()

    plugin_settings.save_settings("reporting", {"reports_per_hour": 1000})
    report_profiles(5)
    few = queries_for(admin, "/moderation/site", count_queries)
    report_profiles(45)
    many = queries_for(admin, "/moderation/site", count_queries)
    assert few == many <= 6


def test_case_page_query_count_does_not_grow_with_its_reports(community, client_for, count_queries, app,
                                                             make_user, add_member):
    plugin_settings.save_settings("reporting", {"auto_hide_threshold": 1000})
    moderator = client_for(community.moderator)

    def reporters(n, start):
        with app.test_request_context():
            item = load_item("post", community.post.id)
            for i in range(start, start + n):
                person = make_user(f"r{i}")
                add_member(community.group, person)
                file_report(person, item, {"category": "spam"})
            db.session.commit()

    reporters(5, 0)
    case = db.session.scalar(select(Case))
    path = f"/moderation/cases/{case.id}"
    few = queries_for(moderator, path, count_queries)
    reporters(45, 5)
    many = queries_for(moderator, path, count_queries)
    assert "50 reports" in moderator.get(path).text
    assert few == many <= 6


def test_hidden_items_cost_no_query_of_their_own(community, client_for, count_queries, make_post, app):
    """Placeholders ride in the feed's own statement (``list_columns``): five hidden posts cost
    what none do."""
    from plugins.reporting.hiding import hide

    posts = [make_post(community.group, community.bob, f"post {i}") for i in range(10)]
    carol = client_for(community.carol)
    baseline = queries_for(carol, "/g/garden", count_queries)
    with app.test_request_context():
        for post in posts[:5]:
            case = Case(content_type="post", content_id=post.id, group_id=community.group.id,
                        author_id=community.bob.id, content_hash="x", categories={})
            db.session.add(case)
            db.session.flush()
            hide(case, automatic=False)
        db.session.commit()
    page = carol.get("/g/garden").text
    assert page.count("hidden by the moderators") == 5
    assert queries_for(carol, "/g/garden", count_queries) == baseline


def test_a_post_page_with_hidden_comments_stays_within_budget(community, client_for, count_queries, app,
                                                             make_comment):
    from plugins.reporting.hiding import hide

    extra = make_comment(community.post, community.alice, "another comment stays")
    path = f"/g/garden/p/{community.post.id}"
    with app.test_request_context():
        case = Case(content_type="comment", content_id=community.comment.id, group_id=community.group.id,
                    author_id=community.carol.id, content_hash="x", categories={})
        db.session.add(case)
        db.session.flush()
        hide(case, automatic=False)
        db.session.commit()
    member = client_for(community.bob)
    page = member.get(path).text
    assert "thoughtful" not in page and "hidden by the moderators" in page and extra.body_source in page
    moderator_page = client_for(community.moderator).get(path).text
    assert "thoughtful" in moderator_page and "Hidden from members by the moderators" in moderator_page
    assert queries_for(member, path, count_queries) <= 6


@pytest.mark.parametrize(("path", "expected"), [("/g/garden", 4), ("/g/garden/p/{post}", 4)])
def test_feed_and_post_page_cost_the_statements_they_cost_without_reporting(community, client_for, count_queries,
                                                                           path, expected):
    """Hidden items, report links and block filters add no statement to a rendered feed or post page
    (the placeholders' query went into the list's own statement)."""
    from core.plugins import state as plugin_state

    url = path.format(post=community.post.id)
    carol = client_for(community.carol)
    with_reporting = queries_for(carol, url, count_queries)
    plugin_state.set_enabled("reporting", False)
    assert queries_for(carol, url, count_queries) == with_reporting == expected


GROUP_PAGES = ("/g/garden", "/g/garden/p/{post}", "/g/garden/members", "/g/")


def test_lists_and_counts_leave_out_blocked_people_without_extra_queries(community, client_for, count_queries):
    alice = client_for(community.alice)
    paths = [p.format(post=community.post.id) for p in GROUP_PAGES]
    before = [queries_for(alice, path, count_queries) for path in paths]
    alice.post("/blocks", data={"user_id": community.carol.id})
    after = [queries_for(alice, path, count_queries) for path in paths]
    assert after == before and max(after) <= 6


def test_staff_shown_someone_who_blocked_them_stay_within_budget(community, client_for, count_queries, make_post):
    owner = client_for(community.owner)
    paths = [p.format(post=community.post.id) for p in GROUP_PAGES]
    before = [queries_for(owner, path, count_queries) for path in paths]
    client_for(community.bob).post("/blocks", data={"user_id": community.owner.id})
    for n in range(5):
        make_post(community.group, community.bob, f"more beans {n}")
    after = [queries_for(owner, path, count_queries) for path in paths]
    assert "has blocked you" in owner.get("/g/garden").text
    # the "has blocked you" note reads the viewer's blocks once per page (the post page already did)
    assert all(a <= b + 1 for a, b in zip(after, before, strict=True)) and max(after) <= 6, (before, after)


def test_telling_3_or_30_moderators_about_an_urgent_report_costs_the_same_queries(app, client_for, count_queries,
                                                                                   make_user, make_group, make_post,
                                                                                   outbox):
    """Every moderator gets a notification and an email: written in one INSERT each, not per person."""
    reporter, author = make_user("rosa"), make_user("arno")

    def report_in_group_with_moderators(n: int) -> int:
        moderators = [(make_user(f"mod{n}_{i}"), "moderator") for i in range(n)]
        group = make_group(owner=author, slug=f"circle-{n}", members=(reporter, *moderators))
        post = make_post(group, author, "a worrying post")
        client = client_for(reporter)
        client.get(f"/report/post/{post.id}")  # warm caches
        with count_queries() as statements:
            response = client.post(f"/report/post/{post.id}", data={"category": "self_harm"})
        assert response.status_code == 302
        return len(statements)

    few = report_in_group_with_moderators(3)
    many = report_in_group_with_moderators(30)
    assert few == many
    assert len(outbox()) == 3 + 30  # every moderator but the reported author, who owns the groups
