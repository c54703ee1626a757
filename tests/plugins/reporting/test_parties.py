"""Nobody handles a case they are a party to: its subject, its reporters, the decider of an appeal.

Parties never see the case in a queue, cannot open, claim or decide it or its appeal, and
never read audit entries about it – on pages and in the API alike. When nobody in the
group may handle a case or an appeal, it goes to the site queue.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Notification
from plugins.reporting.models import Appeal, AuditEntry, Case, Decision


def report(client, content_type, content_id, category="harassment"):
    response = client.post(f"/report/{content_type}/{content_id}", data={"category": category})
    assert response.status_code == 302, response.text
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.content_type == content_type, Case.content_id == content_id))


def kinds_of(user) -> list[str]:
    db.session.expire_all()
    return [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]


@pytest.fixture
def owner_reported(community, client_for):
    """Olga, the group's owner, reported Bob's post herself."""
    return report(client_for(community.owner), "post", community.post.id)


@pytest.fixture
def appealed(community, client_for, owner_reported):
    """Mona decided Olga's report (hide and warn); Bob appealed."""
    decided = client_for(community.moderator).post(f"/moderation/cases/{owner_reported.id}/decide", data={
        "actions": ["hide", "warn"], "explanation": "Not kind"})
    assert decided.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert client_for(community.bob).post(f"/decisions/{decision.id}/appeal",
                                          data={"text": "It was a joke"}).status_code == 302
    return db.session.scalar(select(Appeal))


# --- the case ---------------------------------------------------------------------------------


def test_a_moderator_does_not_see_a_case_they_reported_in_the_queue(community, client_for, owner_reported):
    owner = client_for(community.owner)
    assert "tomatoes" not in owner.get("/moderation/g/garden").text
    assert "tomatoes" not in owner.get("/moderation/g/garden?state=all").text
    assert owner.get("/api/v1/moderation/queue?group=garden").json["items"] == []
    assert "0 open reports" in owner.get("/moderation/").text
    assert "reporting_new_case" not in kinds_of(community.owner)
    assert "reporting_new_case" in kinds_of(community.moderator)
    assert "tomatoes" in client_for(community.moderator).get("/moderation/g/garden").text


def test_a_moderator_cannot_open_claim_or_decide_a_case_they_reported(community, client_for, owner_reported):
    owner = client_for(community.owner)
    case_id = owner_reported.id
    assert owner.get(f"/moderation/cases/{case_id}").status_code == 404
    assert owner.post(f"/moderation/cases/{case_id}/claim").status_code == 404
    assert owner.post(f"/moderation/cases/{case_id}/notes", data={"text": "mine"}).status_code == 404
    assert owner.post(f"/moderation/cases/{case_id}/decide", data={"actions": ["keep"]}).status_code == 404
    assert owner.get(f"/api/v1/moderation/cases/{case_id}").status_code == 404
    assert owner.post(f"/api/v1/moderation/cases/{case_id}/claim").status_code == 404
    assert owner.delete(f"/api/v1/moderation/cases/{case_id}/claim").status_code == 404
    assert owner.post(f"/api/v1/moderation/cases/{case_id}/decisions",
                      json={"actions": ["keep"]}).status_code == 404
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.is_open and case.claimed_by_id is None


def test_a_case_every_group_moderator_reported_goes_to_the_site_queue(community, client_for, site_admin,
                                                                      owner_reported):
    for person in (community.moderator, community.moderator2):
        report(client_for(person), "post", community.post.id, category="spam")
    db.session.expire_all()
    assert db.session.get(Case, owner_reported.id).escalated
    admin = client_for(site_admin)
    assert "tomatoes" in admin.get("/moderation/site").text
    assert "reporting_new_case" in kinds_of(site_admin)
    assert [c["escalated"] for c in admin.get("/api/v1/moderation/queue").json["items"]] == [True]
    assert admin.post(f"/moderation/cases/{owner_reported.id}/decide",
                      data={"actions": ["keep"]}).status_code == 302


def test_a_case_stays_in_the_group_while_a_moderator_there_may_handle_it(community, client_for, site_admin,
                                                                         owner_reported):
    db.session.expire_all()
    assert not db.session.get(Case, owner_reported.id).escalated
    assert "tomatoes" not in client_for(site_admin).get("/moderation/site").text


# --- the appeal -------------------------------------------------------------------------------


def test_the_reporter_never_gets_the_decide_appeal_form(community, client_for, appealed):
    owner = client_for(community.owner)
    assert owner.get(f"/moderation/appeals/{appealed.id}").status_code == 404
    assert owner.post(f"/moderation/appeals/{appealed.id}", data={"outcome": "overturned"}).status_code == 404
    assert owner.post(f"/api/v1/moderation/appeals/{appealed.id}/decision",
                      json={"outcome": "overturned"}).status_code == 404
    assert "It was a joke" not in owner.get("/moderation/g/garden/appeals").text
    assert owner.get("/api/v1/moderation/appeals?group=garden").json == []
    db.session.expire_all()
    assert db.session.get(Appeal, appealed.id).state == "pending"


def test_the_reporter_is_not_told_of_the_appeal(community, appealed):
    assert "reporting_new_appeal" not in kinds_of(community.owner)
    assert "reporting_new_appeal" in kinds_of(community.moderator2)


def test_a_moderator_who_is_neither_reporter_subject_nor_decider_decides_it(community, client_for, appealed):
    page = client_for(community.moderator2).get(f"/moderation/appeals/{appealed.id}").text
    assert 'name="outcome"' in page
    assert client_for(community.moderator2).post(f"/moderation/appeals/{appealed.id}",
                                                 data={"outcome": "upheld"}).status_code == 302


def test_an_appeal_nobody_in_the_group_may_decide_goes_to_the_site_queue(community, client_for, site_admin,
                                                                         owner_reported):
    report(client_for(community.moderator2), "post", community.post.id, category="spam")
    client_for(community.moderator).post(f"/moderation/cases/{owner_reported.id}/decide", data={
        "actions": ["warn"], "explanation": "Not kind"})
    decision = db.session.scalar(select(Decision))
    client_for(community.bob).post(f"/decisions/{decision.id}/appeal", data={"text": "Please look again"})
    row = db.session.scalar(select(Appeal))
    assert row.group_id is None
    admin = client_for(site_admin)
    assert "Please look again" in admin.get("/moderation/site/appeals").text
    assert "reporting_new_appeal" in kinds_of(site_admin)
    assert "reporting_new_appeal" not in kinds_of(community.moderator2)
    for person in (community.owner, community.moderator2):
        assert client_for(person).get(f"/moderation/appeals/{row.id}").status_code == 404
    assert 'name="outcome"' not in client_for(community.moderator).get(f"/moderation/appeals/{row.id}").text
    assert admin.post(f"/moderation/appeals/{row.id}", data={"outcome": "overturned"}).status_code == 302


# --- the audit log ----------------------------------------------------------------------------


@pytest.fixture
def moderator_reported(community, client_for, make_post):
    """Alice reported a post by Mona (a moderator); Max claimed the case and warned Mona."""
    post = make_post(community.group, community.moderator, "Mona's sharp words")
    case = report(client_for(community.alice), "post", post.id)
    max_ = client_for(community.moderator2)
    assert max_.post(f"/moderation/cases/{case.id}/claim").status_code == 302
    assert max_.post(f"/moderation/cases/{case.id}/decide", data={
        "actions": ["warn"], "explanation": "Mind your tone"}).status_code == 302
    return case


def test_the_audit_log_never_tells_a_moderator_they_were_reported(community, client_for, moderator_reported):
    mona = client_for(community.moderator)
    entries = mona.get("/api/v1/moderation/audit?group=garden").json
    assert [e for e in entries if e["case_id"] == moderator_reported.id] == []
    assert [e for e in entries if (e["target"] or {}).get("username") == "mod"] == []
    page = mona.get("/moderation/g/garden/audit").text
    assert f"#{moderator_reported.id}" not in page and "Claimed a case" not in page
    others = client_for(community.owner).get("/api/v1/moderation/audit?group=garden").json
    assert {e["action"] for e in others if e["case_id"] == moderator_reported.id} == {"claimed", "decision"}


def test_the_audit_log_hides_a_case_from_the_moderator_who_reported_it(community, client_for, owner_reported):
    client_for(community.moderator).post(f"/moderation/cases/{owner_reported.id}/claim")
    assert [e for e in client_for(community.owner).get("/api/v1/moderation/audit?group=garden").json
            if e["case_id"] == owner_reported.id] == []
    assert "Claimed a case" not in client_for(community.owner).get("/moderation/g/garden/audit").text
    assert "Claimed a case" in client_for(community.moderator2).get("/moderation/g/garden/audit").text


def test_the_site_wide_audit_log_follows_the_same_rule(community, client_for, site_admin, make_user):
    other_admin = make_user("admin2", is_site_admin=True)
    case = report(client_for(community.alice), "profile", site_admin.id, category="spam")
    assert client_for(other_admin).post(f"/moderation/cases/{case.id}/claim").status_code == 302
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.case_id == case.id)) is not None
    assert [e for e in client_for(site_admin).get("/api/v1/moderation/audit").json if e["case_id"] == case.id] == []
    assert [e for e in client_for(other_admin).get("/api/v1/moderation/audit").json if e["case_id"] == case.id]
