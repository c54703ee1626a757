"""Queues, cases and moderation actions; who may do what; who is told what; the audit log."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Membership, Notification, User
from core.models.base import utcnow
from core.notifications.describe import describe_text
from plugins.reporting.models import AuditEntry, Case, Decision, GroupBan, HiddenContent, Note


def file_report(client, content_type, content_id, category="harassment", **form):
    response = client.post(f"/report/{content_type}/{content_id}", data={"category": category, **form})
    assert response.status_code == 302, response.text
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.content_type == content_type, Case.content_id == content_id)
                             .order_by(Case.id.desc()))


def decide(client, case, **form):
    return client.post(f"/moderation/cases/{case.id}/decide", data=form)


def notes_of(user, kind=None):
    db.session.expire_all()
    stmt = select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def is_member(group, user) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(Membership).where(Membership.group_id == group.id,
                                                      Membership.user_id == user.id)) is not None


@pytest.fixture
def reported(community, client_for):
    """Alice reported Bob's post for harassment."""
    return file_report(client_for(community.alice), "post", community.post.id, rule="Be kind")


# --- queues -----------------------------------------------------------------------------------


def test_group_queue_shows_one_entry_per_item_aggregating_its_reports(community, client_for, reported):
    file_report(client_for(community.carol), "post", community.post.id, category="spam")
    page = client_for(community.moderator).get("/moderation/g/garden")
    assert page.status_code == 200
    assert page.text.count('class="card reporting-case') == 1
    assert "2 reports" in page.text
    assert "Harassment or bullying (1)" in page.text and "Spam (1)" in page.text


def test_group_queue_is_404_for_members_other_moderators_and_unknown_groups(community, client_for, make_user,
                                                                           make_group, reported):
    other_mod = make_user("othermod")
    make_group(slug="other", members=((other_mod, "moderator"),))
    assert client_for(community.alice).get("/moderation/g/garden").status_code == 404
    assert client_for(other_mod).get("/moderation/g/garden").status_code == 404
    assert client_for(community.moderator).get("/moderation/g/nope").status_code == 404
    assert client_for(community.alice).get(f"/moderation/cases/{reported.id}").status_code == 404
    assert client_for(other_mod).get(f"/moderation/cases/{reported.id}").status_code == 404


def test_site_queue_takes_profiles_and_is_for_site_admins_only(community, client_for, site_admin):
    case = file_report(client_for(community.alice), "profile", community.bob.id, category="impersonation")
    assert case.group_id is None
    assert client_for(community.moderator).get("/moderation/site").status_code == 404
    assert client_for(community.moderator).get(f"/moderation/cases/{case.id}").status_code == 404
    page = client_for(site_admin).get("/moderation/site")
    assert page.status_code == 200 and "Bob Author" in page.text
    assert client_for(site_admin).get("/moderation/g/garden").status_code == 200


def test_moderation_index_lists_the_queues_you_can_open(community, client_for, site_admin, reported):
    page = client_for(community.moderator).get("/moderation/").text
    assert "Garden" in page and "1 open report" in page and "Site queue" not in page
    assert "Site queue" in client_for(site_admin).get("/moderation/").text
    assert client_for(community.alice).get("/moderation/").status_code == 404


def test_queue_filters_by_state(community, client_for, reported):
    moderator = client_for(community.moderator)
    decide(moderator, reported, actions=["keep"])
    assert "Bob Author" not in moderator.get("/moderation/g/garden").text
    assert "Bob Author" in moderator.get("/moderation/g/garden?state=resolved").text
    assert "Bob Author" in moderator.get("/moderation/g/garden?state=all").text
    assert moderator.get("/moderation/g/garden?state=bogus").status_code == 200


def test_queue_pages_with_a_cursor(community, client_for, make_post):
    posts = [make_post(community.group, community.bob, f"post number {i}") for i in range(27)]
    from core.plugins import settings as plugin_settings

    plugin_settings.save_settings("reporting", {"reports_per_hour": 100})
    for post in posts:
        file_report(client_for(community.alice), "post", post.id, category="spam")
    moderator = client_for(community.moderator)
    first = moderator.get("/moderation/g/garden").text
    assert first.count('class="card reporting-case') == 25
    import re

    next_url = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = moderator.get(next_url).text
    assert second.count('class="card reporting-case') == 2


def test_claiming_a_case_shows_who_is_on_it(community, client_for, reported):
    moderator = client_for(community.moderator)
    moderator.post(f"/moderation/cases/{reported.id}/claim")
    page = client_for(community.moderator2).get("/moderation/g/garden").text
    assert "claimed by Mona Moderator" in page
    moderator.post(f"/moderation/cases/{reported.id}/claim", data={"release": "1"})
    assert "claimed by" not in client_for(community.moderator2).get("/moderation/g/garden").text


def test_private_notes_are_seen_by_moderators_only(community, client_for, reported):
    moderator = client_for(community.moderator)
    assert moderator.post(f"/moderation/cases/{reported.id}/notes", data={"text": "Third time this week"}
                          ).status_code == 302
    assert "Third time this week" in client_for(community.moderator2).get(f"/moderation/cases/{reported.id}").text
    assert client_for(community.alice).post(f"/moderation/cases/{reported.id}/notes",
                                            data={"text": "sneaky"}).status_code == 404
    empty = moderator.post(f"/moderation/cases/{reported.id}/notes", data={"text": ""})
    assert empty.status_code == 422 and 'id="text-error"' in empty.text
    assert [n.text for n in db.session.scalars(select(Note))] == ["Third time this week"]


def test_case_page_shows_reports_with_reporters_rule_and_note(community, client_for):
    case = file_report(client_for(community.alice), "post", community.post.id, rule="Be kind", note="mean")
    page = client_for(community.moderator).get(f"/moderation/cases/{case.id}").text
    assert "Alice Reporter" in page and "Be kind" in page and "mean" in page
    assert "Bob's <strong>post</strong> about tomatoes" in page


# --- actions ----------------------------------------------------------------------------------


def test_hide_shows_a_placeholder_to_members_and_the_original_to_moderators(community, client_for, reported):
    response = decide(client_for(community.moderator), reported, actions=["hide"], rule="Be kind",
                      explanation="Mocking another member")
    assert response.status_code == 302
    url = f"/g/garden/p/{community.post.id}"
    member_view = client_for(community.carol).get(url).text
    assert "hidden by the moderators" in member_view and "tomatoes" not in member_view
    feed = client_for(community.carol).get("/g/garden").text
    assert "tomatoes" not in feed
    moderator_view = client_for(community.moderator2).get(url).text
    assert "tomatoes" in moderator_view and "Hidden from members by the moderators" in moderator_view


def test_keep_dismisses_the_case_and_restores_an_auto_hidden_item(community, client_for):
    from core.plugins import settings as plugin_settings

    plugin_settings.save_settings("reporting", {"auto_hide_threshold": 1})
    case = file_report(client_for(community.alice), "post", community.post.id)
    assert db.session.scalar(select(HiddenContent)) is not None
    decide(client_for(community.moderator), case, actions=["keep"])
    db.session.expire_all()
    assert db.session.scalar(select(HiddenContent)) is None
    assert db.session.get(Case, case.id).outcome == "no_violation"
    assert notes_of(community.bob, "reporting_decision") == [], "nothing to tell when nothing was done"


def test_delete_removes_the_item_and_keeps_its_snapshot(community, client_for, reported):
    from core.models import Post

    decide(client_for(community.moderator), reported, actions=["delete"], explanation="Harassment")
    db.session.expire_all()
    assert db.session.get(Post, community.post.id) is None
    assert db.session.get(Case, reported.id).snapshot == "Bob's **post** about tomatoes"


def test_warn_tells_the_author_what_was_done_and_which_rule(community, client_for, reported, outbox):
    decide(client_for(community.moderator), reported, actions=["warn"], rule="Be kind",
           explanation="Please keep it friendly")
    notice = notes_of(community.bob, "reporting_decision")
    assert len(notice) == 1
    assert "you received a warning" in describe_text(notice[0]) and "Be kind" in describe_text(notice[0])
    assert notice[0].actor_id is None
    page = client_for(community.bob).get(notice[0].url).text
    assert "Please keep it friendly" in page and "Be kind" in page
    mail = [m for m in outbox() if m.to_addr == community.bob.email]
    assert len(mail) == 1 and "Please keep it friendly" in mail[0].body_text


def test_reporters_are_told_the_outcome(community, client_for, reported, outbox):
    file_report(client_for(community.carol), "post", community.post.id)
    decide(client_for(community.moderator), reported, actions=["hide", "warn"], explanation="Not okay")
    for person in (community.alice, community.carol):
        told = notes_of(person, "reporting_outcome")
        assert len(told) == 1 and "We took action" in describe_text(told[0])
    assert any(m.to_addr == community.alice.email and "reviewed" in m.subject for m in outbox())


def test_reporters_hear_when_no_violation_was_found(community, client_for, reported):
    decide(client_for(community.moderator), reported, actions=["keep"])
    told = notes_of(community.alice, "reporting_outcome")
    assert "We found no violation" in describe_text(told[0])
    assert "We found no violation" in client_for(community.alice).get(told[0].url).text


def test_several_actions_at_once_with_one_explanation(community, client_for, reported):
    until = (utcnow() + timedelta(days=30)).date().isoformat()
    response = decide(client_for(community.moderator), reported, actions=["hide", "warn", "ban"],
                      explanation="Repeated harassment", ban_until=until, rule="Be kind")
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert decision.actions == ["hide", "warn", "ban"] and decision.explanation == "Repeated harassment"
    assert db.session.scalar(select(HiddenContent)) is not None
    ban = db.session.scalar(select(GroupBan))
    assert ban.user_id == community.bob.id and ban.until.date().isoformat() > until
    assert not is_member(community.group, community.bob)
    assert len(notes_of(community.bob, "reporting_decision")) == 1


def test_a_ban_stops_rejoining_asking_and_invitations(community, client_for, reported):
    decide(client_for(community.moderator), reported, actions=["ban"], explanation="Out")
    bob = client_for(community.bob)
    page = bob.get("/g/garden").text
    assert 'action="/g/garden/join"' not in page
    refused = bob.post("/g/garden/join")
    assert refused.status_code == 403
    assert "You cannot join this group." in refused.text
    assert not is_member(community.group, community.bob)
    client_for(community.owner).post("/g/garden/invite", data={"username": "bob"})
    from core.models import Invitation

    assert db.session.scalar(select(Invitation).where(Invitation.user_id == community.bob.id,
                                                      Invitation.status == "pending")) is None


def test_an_expired_ban_lets_them_join_again(community, client_for, reported):
    decide(client_for(community.moderator), reported, actions=["ban"], explanation="Cool off",
           ban_until=(utcnow() + timedelta(days=1)).date().isoformat())
    ban = db.session.scalar(select(GroupBan))
    ban.until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client_for(community.bob).post("/g/garden/join")
    assert is_member(community.group, community.bob)


def test_remove_from_group_lets_them_join_again(community, client_for, reported):
    decide(client_for(community.moderator), reported, actions=["remove"], explanation="Please reread the rules")
    assert not is_member(community.group, community.bob)
    client_for(community.bob).post("/g/garden/join")
    assert is_member(community.group, community.bob)


def test_a_moderator_cannot_remove_or_ban_an_admin(community, client_for, make_post, add_member, make_user):
    admin = make_user("groupadmin")
    add_member(community.group, admin, "admin")
    post = make_post(community.group, admin, "admin post")
    case = file_report(client_for(community.alice), "post", post.id)
    response = decide(client_for(community.moderator), case, actions=["ban"], explanation="no")
    assert response.status_code == 422 and "same or a higher role" in response.text
    assert is_member(community.group, admin)


def test_only_site_admins_can_suspend(community, client_for, reported, site_admin):
    moderator = client_for(community.moderator)
    assert 'value="suspend"' not in moderator.get(f"/moderation/cases/{reported.id}").text
    refused = decide(moderator, reported, actions=["suspend"], explanation="bye")
    assert refused.status_code == 422 and "Not available" in refused.text
    db.session.expire_all()
    assert not db.session.get(User, community.bob.id).is_suspended
    until = (utcnow() + timedelta(days=7)).date().isoformat()
    assert decide(client_for(site_admin), reported, actions=["suspend"], explanation="Threats",
                  suspend_until=until).status_code == 302
    db.session.expire_all()
    bob = db.session.get(User, community.bob.id)
    assert bob.is_suspended and bob.suspended_until.date().isoformat() > until


@pytest.mark.parametrize("form, field", [
    ({"actions": ["keep", "hide"], "explanation": "x"}, "actions"),
    ({"actions": ["hide", "delete"], "explanation": "x"}, "actions"),
    ({"actions": ["remove", "ban"], "explanation": "x"}, "actions"),
    ({"actions": ["warn"], "explanation": ""}, "explanation"),
    ({"actions": []}, "actions"),
    ({"actions": ["explode"]}, "actions"),
    ({"actions": ["ban"], "explanation": "x", "ban_until": "2001-01-01"}, "ban_until"),
    ({"actions": ["ban"], "explanation": "x", "ban_until": "not a date"}, "ban_until"),
])
def test_inconsistent_decisions_are_refused_at_the_field(community, client_for, reported, form, field):
    response = decide(client_for(community.moderator), reported, **form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text or f"{field}" in response.text
    db.session.expire_all()
    assert db.session.get(Case, reported.id).is_open
    assert db.session.scalar(select(Decision)) is None


def test_a_non_moderator_calling_any_moderation_action_gets_404(community, client_for, reported):
    alice = client_for(community.alice)
    bob = client_for(community.bob)
    for client in (alice, bob):
        assert decide(client, reported, actions=["keep"]).status_code == 404
        assert client.post(f"/moderation/cases/{reported.id}/claim").status_code == 404
        assert client.post(f"/moderation/cases/{reported.id}/notes", data={"text": "x"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Case, reported.id).is_open


def test_a_resolved_case_cannot_be_decided_again(community, client_for, reported):
    decide(client_for(community.moderator), reported, actions=["keep"])
    again = decide(client_for(community.moderator2), reported, actions=["hide"], explanation="x")
    assert again.status_code == 422 and "already resolved" in again.text


def test_caring_message_reaches_the_person_without_naming_the_reporter(community, client_for):
    case = file_report(client_for(community.alice), "post", community.post.id, category="self_harm")
    page = client_for(community.moderator).get(f"/moderation/cases/{case.id}").text
    assert "Consider sending a caring message" in page
    decide(client_for(community.moderator), case, actions=["support"])
    notice = notes_of(community.bob, "reporting_support")
    assert len(notice) == 1 and notice[0].actor_id is None
    assert "Alice" not in describe_text(notice[0])
    care = client_for(community.bob).get(notice[0].url).text
    assert "tel:112" in care and "Alice" not in care
    assert "We reached out with support" in describe_text(notes_of(community.alice, "reporting_outcome")[0])


# --- people who moderate and block --------------------------------------------------------------


def test_nobody_handles_a_case_about_themselves(community, client_for, make_post):
    mod_post = make_post(community.group, community.moderator, "moderators own words")
    case = file_report(client_for(community.alice), "post", mod_post.id)
    own = client_for(community.moderator)
    assert "moderators own words" not in own.get("/moderation/g/garden").text
    assert own.get(f"/moderation/cases/{case.id}").status_code == 404
    assert decide(own, case, actions=["keep"]).status_code == 404
    assert "moderators own words" in client_for(community.moderator2).get("/moderation/g/garden").text


def test_a_moderators_own_blocks_never_hide_reported_content_in_the_queue(community, client_for, reported):
    moderator = client_for(community.moderator)
    moderator.post("/blocks", data={"user_id": community.bob.id})
    assert "Bob Author" in moderator.get("/moderation/g/garden").text
    assert "tomatoes" in moderator.get(f"/moderation/cases/{reported.id}").text
    assert decide(moderator, reported, actions=["hide"], explanation="x").status_code == 302


def test_blocking_a_moderator_does_not_stop_a_moderation_notice(community, client_for, reported):
    client_for(community.bob).post("/blocks", data={"user_id": community.moderator.id})
    decide(client_for(community.moderator), reported, actions=["warn"], explanation="Be nicer")
    assert len(notes_of(community.bob, "reporting_decision")) == 1


# --- audit log --------------------------------------------------------------------------------


def test_audit_log_group_moderators_see_their_groups_site_admins_see_all(community, client_for, site_admin,
                                                                        make_user, make_group, reported):
    decide(client_for(community.moderator), reported, actions=["warn"], explanation="x")
    profile_case = file_report(client_for(community.alice), "profile", community.carol.id, category="spam")
    decide(client_for(site_admin), profile_case, actions=["keep"])
    entries = list(db.session.scalars(select(AuditEntry)))
    assert {e.action for e in entries} >= {"decision"}
    group_log = client_for(community.moderator).get("/moderation/g/garden/audit")
    assert group_log.status_code == 200
    assert "Warn the author" in group_log.text and "Keep (no violation)" not in group_log.text
    assert client_for(community.moderator).get("/moderation/audit").status_code == 404
    assert client_for(community.alice).get("/moderation/g/garden/audit").status_code == 404
    other_mod = make_user("othermod")
    make_group(slug="other", members=((other_mod, "moderator"),))
    assert client_for(other_mod).get("/moderation/g/garden/audit").status_code == 404
    everything = client_for(site_admin).get("/moderation/audit").text
    assert "Warn the author" in everything and "Keep (no violation)" in everything
    assert "Alice Reporter" not in group_log.text, "the audit log never names reporters"


def test_audit_page_cursor_out_of_range_is_a_400_not_a_crash(client_for, site_admin):
    assert client_for(site_admin).get("/moderation/audit?before=201332208619985").status_code == 400
