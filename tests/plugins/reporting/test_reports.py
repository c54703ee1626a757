"""Filing reports: the form, bad input, one per person, snapshots, routing, self-harm help, mass reports."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.extensions import db
from plugins.reporting.models import Case, HiddenContent, Report


def report_count() -> int:
    return db.session.scalar(select(func.count(Report.id)))


def the_case(content_type: str, content_id: int) -> Case:
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.content_type == content_type, Case.content_id == content_id)
                             .order_by(Case.id.desc()))


def report(client, content_type, content_id, **form):
    form.setdefault("category", "harassment")
    return client.post(f"/report/{content_type}/{content_id}", data=form)


# --- the form and its categories --------------------------------------------------------------


def test_report_form_lists_every_category_and_the_group_rules(community, client_for):
    page = client_for(community.alice).get(f"/report/post/{community.post.id}").text
    for label in ("Spam", "Harassment or bullying", "Hate", "Someone is falsely portrayed or impersonated",
                  "Self-harm or suicide concern", "Misinformation", "Something else"):
        assert label in page
    assert "Be kind" in page and "No advertising" in page
    assert "Bob's <strong>post</strong> about tomatoes" in page


def test_reporting_a_post_stores_a_report_with_its_snapshot_and_routes_to_the_group(community, client_for):
    response = report(client_for(community.alice), "post", community.post.id, category="harassment",
                      rule="Be kind", note="He keeps mocking me")
    assert response.status_code == 302
    row = db.session.scalar(select(Report))
    assert (row.category, row.rule, row.note) == ("harassment", "Be kind", "He keeps mocking me")
    assert row.snapshot == "Bob's **post** about tomatoes"
    case = row.case
    assert case.group_id == community.group.id and case.author_id == community.bob.id
    assert case.is_open and case.report_count == 1 and case.categories == {"harassment": 1}


@pytest.mark.parametrize("kind", ["comment", "profile"])
def test_comments_and_profiles_can_be_reported(community, client_for, kind):
    content_id = community.comment.id if kind == "comment" else community.bob.id
    assert report(client_for(community.alice), kind, content_id, category="spam").status_code == 302
    case = the_case(kind, content_id)
    assert case is not None
    if kind == "profile":
        assert case.group_id is None, "profiles go to the site queue"
        assert "Bob Author (@bob)" in case.snapshot
    else:
        assert case.group_id == community.group.id


def test_snapshot_survives_editing_and_deleting_the_content(community, client_for):
    report(client_for(community.alice), "post", community.post.id)
    community.post.body_source = "innocent now"
    db.session.commit()
    db.session.delete(community.post)
    db.session.commit()
    row = db.session.scalar(select(Report))
    assert row.snapshot == "Bob's **post** about tomatoes"
    assert row.case.snapshot == "Bob's **post** about tomatoes"


# --- bad input --------------------------------------------------------------------------------


def test_reporting_twice_says_already_reported_without_a_second_record(community, client_for):
    client = client_for(community.alice)
    report(client, "post", community.post.id)
    again = report(client, "post", community.post.id, category="spam")
    assert again.status_code == 409
    assert "already reported" in again.text
    assert report_count() == 1
    assert "already reported" in client.get(f"/report/post/{community.post.id}").text


def test_note_over_the_limit_is_refused_at_the_field(community, client_for):
    response = report(client_for(community.alice), "post", community.post.id, note="x" * 1001)
    assert response.status_code == 422
    assert 'id="note-error"' in response.text and "1000" in response.text
    assert "x" * 1001 in response.text, "what was typed is kept"
    assert report_count() == 0


def test_something_else_needs_a_note(community, client_for):
    response = report(client_for(community.alice), "post", community.post.id, category="other", note=" ")
    assert response.status_code == 422
    assert 'id="note-error"' in response.text
    assert report_count() == 0


def test_missing_or_unknown_category_is_refused_at_the_field(community, client_for):
    client = client_for(community.alice)
    for data in ({"category": ""}, {"category": "ugly"}):
        response = client.post(f"/report/post/{community.post.id}", data=data)
        assert response.status_code == 422
        assert 'id="category-error"' in response.text
    assert report_count() == 0


def test_a_rule_that_is_not_the_groups_is_refused_at_the_field(community, client_for):
    response = report(client_for(community.alice), "post", community.post.id, rule="Made-up rule")
    assert response.status_code == 422
    assert 'id="rule-error"' in response.text
    assert report_count() == 0


@pytest.mark.parametrize("path", ["/report/post/999999", "/report/comment/999999", "/report/profile/999999",
                                  "/report/no_such_type/1", "/report/post/abc"])
def test_reporting_what_does_not_exist_is_404(community, client_for, path):
    client = client_for(community.alice)
    assert client.get(path).status_code == 404
    assert client.post(path, data={"category": "spam"}).status_code == 404
    assert report_count() == 0


def test_reporting_what_you_cannot_see_is_404(community, client_for, make_user, make_group, make_post):
    insider = make_user("insider")
    secret = make_group(slug="secret", visibility="private", members=(insider,))
    hidden_post = make_post(secret, insider, "members only")
    client = client_for(community.alice)
    assert client.get(f"/report/post/{hidden_post.id}").status_code == 404
    assert report(client, "post", hidden_post.id).status_code == 404
    assert report_count() == 0


def test_reporting_someone_who_blocked_you_is_404(community, client_for):
    client_for(community.bob).post("/blocks", data={"user_id": community.alice.id})
    client = client_for(community.alice)
    assert report(client, "post", community.post.id).status_code == 404
    assert report(client, "profile", community.bob.id).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(community, client):
    response = client.get(f"/report/post/{community.post.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_you_cannot_report_your_own_content(community, client_for):
    response = report(client_for(community.bob), "post", community.post.id)
    assert response.status_code == 422
    assert "your own content" in response.text
    assert report_count() == 0


def test_reporting_is_rate_limited_per_person(community, client_for, make_post):
    from core.plugins import settings as plugin_settings

    plugin_settings.save_settings("reporting", {"reports_per_hour": 2, "auto_hide_threshold": 3, "appeal_days": 30})
    posts = [make_post(community.group, community.bob, f"post {i}") for i in range(3)]
    client = client_for(community.alice)
    assert report(client, "post", posts[0].id).status_code == 302
    assert report(client, "post", posts[1].id).status_code == 302
    refused = report(client, "post", posts[2].id)
    assert refused.status_code == 429
    assert "try again in an hour" in refused.text
    assert report_count() == 2
    assert report(client_for(community.carol), "post", posts[2].id).status_code == 302, "the limit is per person"


# --- buttons ----------------------------------------------------------------------------------


def test_report_and_block_links_on_posts_comments_and_profiles(community, client_for):
    client = client_for(community.alice)
    page = client.get(f"/g/garden/p/{community.post.id}").text
    assert f'href="/report/post/{community.post.id}"' in page
    assert f'href="/report/comment/{community.comment.id}"' in page
    assert f'href="/blocks/confirm/{community.bob.id}"' in page
    profile = client.get("/u/bob").text
    assert f'href="/report/profile/{community.bob.id}"' in profile


def test_no_report_link_on_your_own_post_nor_for_visitors(community, client_for, client):
    own = client_for(community.bob).get(f"/g/garden/p/{community.post.id}").text
    assert f'href="/report/post/{community.post.id}"' not in own
    assert f'href="/report/comment/{community.comment.id}"' in own
    anonymous = client.get(f"/g/garden/p/{community.post.id}").text
    assert "/report/" not in anonymous


# --- self-harm --------------------------------------------------------------------------------


def test_self_harm_report_shows_help_at_once_and_is_urgent(community, client_for):
    community.alice.country = "DE"
    db.session.commit()
    client = client_for(community.alice)
    response = report(client, "post", community.post.id, category="self_harm")
    page = client.get(response.headers["Location"]).text
    assert "Help is available right now" in page
    assert 'href="tel:112"' in page
    case = the_case("post", community.post.id)
    assert case.urgent and case.priority >= 1000


def test_self_harm_help_follows_the_reporters_country(community, client_for):
    community.alice.country = "US"
    db.session.commit()
    client = client_for(community.alice)
    response = report(client, "post", community.post.id, category="self_harm")
    assert 'href="tel:911"' in client.get(response.headers["Location"]).text


def test_other_reports_show_no_crisis_help(community, client_for):
    client = client_for(community.alice)
    response = report(client, "post", community.post.id, category="spam")
    page = client.get(response.headers["Location"]).text
    assert "Help is available right now" not in page and "tel:" not in page


def test_moderators_are_told_of_a_new_case_and_urgent_ones_by_email(community, client_for, outbox):
    from core.models import Notification

    report(client_for(community.alice), "post", community.post.id, category="spam")
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    for person in (community.owner, community.moderator, community.moderator2):
        assert (person.id, "reporting_new_case") in kinds
    assert (community.bob.id, "reporting_new_case") not in kinds
    assert outbox() == []
    report(client_for(community.alice), "comment", community.comment.id, category="self_harm")
    mails = [m for m in outbox() if "self-harm" in m.subject]
    assert {m.to_addr for m in mails} == {community.owner.email, community.moderator.email, community.moderator2.email}


# --- aggregation, mass reports, auto-hide -----------------------------------------------------


def test_reports_on_one_item_share_one_case(community, client_for):
    report(client_for(community.alice), "post", community.post.id, category="spam")
    report(client_for(community.carol), "post", community.post.id, category="hate")
    cases = list(db.session.scalars(select(Case)))
    assert len(cases) == 1
    assert cases[0].report_count == 2 and cases[0].categories == {"spam": 1, "hate": 1}


def test_resolved_item_is_not_requeued_by_more_reports_on_the_same_version(community, client_for, make_user,
                                                                        add_member):
    report(client_for(community.alice), "post", community.post.id, category="spam")
    client_for(community.moderator).post(f"/moderation/cases/{the_case('post', community.post.id).id}/decide",
                                         data={"actions": ["keep"]})
    late = make_user("late")
    add_member(community.group, late)
    response = report(client_for(late), "post", community.post.id, category="harassment")
    assert response.status_code == 302
    cases = list(db.session.scalars(select(Case)))
    assert len(cases) == 1 and not cases[0].is_open
    assert report_count() == 2
    status = client_for(late).get(response.headers["Location"]).text
    assert "We found no violation" in status, "the late reporter hears the earlier outcome at once"


def test_an_edited_item_is_a_new_version_and_opens_a_new_case(community, client_for):
    report(client_for(community.alice), "post", community.post.id)
    client_for(community.moderator).post(f"/moderation/cases/{the_case('post', community.post.id).id}/decide",
                                         data={"actions": ["keep"]})
    community.post.body_source = "now something worse"
    db.session.commit()
    report(client_for(community.carol), "post", community.post.id)
    cases = list(db.session.scalars(select(Case).order_by(Case.id)))
    assert [c.state for c in cases] == ["resolved", "open"]
    assert cases[1].snapshot == "now something worse"


def test_a_first_self_harm_concern_reopens_an_item_reviewed_for_something_else(community, client_for):
    report(client_for(community.alice), "post", community.post.id, category="spam")
    client_for(community.moderator).post(f"/moderation/cases/{the_case('post', community.post.id).id}/decide",
                                         data={"actions": ["keep"]})
    report(client_for(community.carol), "post", community.post.id, category="self_harm")
    case = the_case("post", community.post.id)
    assert case.is_open and case.urgent


def _hidden(content_type, content_id) -> bool:
    return db.session.scalar(select(HiddenContent).where(HiddenContent.content_type == content_type,
                                                         HiddenContent.content_id == content_id)) is not None


def test_item_is_hidden_automatically_after_the_configured_number_of_reporters(community, client_for,
                                                                             make_user, add_member):
    from core.plugins import settings as plugin_settings

    plugin_settings.save_settings("reporting", {"auto_hide_threshold": 2})
    report(client_for(community.alice), "post", community.post.id)
    assert not _hidden("post", community.post.id)
    report(client_for(community.carol), "post", community.post.id)
    assert _hidden("post", community.post.id)
    member_view = client_for(community.alice).get(f"/g/garden/p/{community.post.id}").text
    assert "hidden by the moderators" in member_view and "tomatoes" not in member_view


def test_staff_content_is_never_hidden_automatically(community, client_for, make_post):
    from core.plugins import settings as plugin_settings

    plugin_settings.save_settings("reporting", {"auto_hide_threshold": 1})
    staff_post = make_post(community.group, community.moderator, "moderator speaking")
    report(client_for(community.alice), "post", staff_post.id)
    report(client_for(community.carol), "post", staff_post.id)
    assert not _hidden("post", staff_post.id)
    assert the_case("post", staff_post.id).report_count == 2


def test_open_cases_sort_urgent_first_then_by_priority(community, client_for, make_post):
    spam = make_post(community.group, community.bob, "buy now")
    worry = make_post(community.group, community.bob, "I cannot go on")
    hate = make_post(community.group, community.bob, "hateful")
    report(client_for(community.alice), "post", spam.id, category="spam")
    report(client_for(community.alice), "post", hate.id, category="hate")
    report(client_for(community.alice), "post", worry.id, category="self_harm")
    page = client_for(community.moderator).get("/moderation/g/garden").text
    assert page.index("I cannot go on") < page.index("hateful") < page.index("buy now")


def test_site_admin_configures_the_plugin_in_the_admin_settings_form(community, client_for, site_admin):
    from core.plugins.settings import get_settings

    admin = client_for(site_admin)
    form = admin.get("/admin/plugins/reporting").text
    assert "Hide an item automatically after this many people report it" in form
    refused = admin.post("/admin/plugins/reporting/settings",
                         data={"auto_hide_threshold": "0", "reports_per_hour": "10", "appeal_days": "30"})
    assert refused.status_code == 422
    assert get_settings("reporting")["auto_hide_threshold"] == 3
    admin.post("/admin/plugins/reporting/settings",
               data={"auto_hide_threshold": "5", "reports_per_hour": "20", "appeal_days": "14"})
    assert get_settings("reporting") == {"auto_hide_threshold": 5, "reports_per_hour": 20, "appeal_days": 14}


def test_an_item_edited_while_its_case_is_open_is_judged_on_its_newest_version(community, client_for, make_user,
                                                                             add_member):
    report(client_for(community.alice), "post", community.post.id, category="spam")
    community.post.body_source = "edited to something nastier"
    db.session.commit()
    report(client_for(community.carol), "post", community.post.id, category="hate")
    case = the_case("post", community.post.id)
    assert case.snapshot == "edited to something nastier" and case.report_count == 2
    page = client_for(community.moderator).get(f"/moderation/cases/{case.id}").text
    assert "The version they reported:" in page and "tomatoes" in page
    client_for(community.moderator).post(f"/moderation/cases/{case.id}/decide", data={"actions": ["keep"]})
    late = make_user("late")
    add_member(community.group, late)
    report(client_for(late), "post", community.post.id)
    assert db.session.scalar(select(func.count(Case.id))) == 1, "same version as decided: not re-queued"
