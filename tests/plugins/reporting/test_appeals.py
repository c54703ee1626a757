"""Appeals: once per decision, by the person affected, decided by a different moderator."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import Notification, User
from core.models.base import utcnow
from plugins.reporting.models import Appeal, Case, Decision, GroupBan, HiddenContent


@pytest.fixture
def decided(community, client_for):
    """Alice reported Bob's post; Mona hid it and warned Bob."""
    client_for(community.alice).post(f"/report/post/{community.post.id}", data={"category": "harassment"})
    case = db.session.scalar(select(Case))
    response = client_for(community.moderator).post(f"/moderation/cases/{case.id}/decide", data={
        "actions": ["hide", "warn"], "rule": "Be kind", "explanation": "Mocking people is not okay"})
    assert response.status_code == 302
    return db.session.scalar(select(Decision))


def appeal(client, decision, text="I was joking with a friend", **extra):
    return client.post(f"/decisions/{decision.id}/appeal", data={"text": text, **extra})


def kinds_of(user):
    db.session.expire_all()
    return [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]


def test_the_affected_person_reads_the_decision_and_can_appeal(community, client_for, decided):
    page = client_for(community.bob).get(f"/decisions/{decided.id}").text
    assert "The item was hidden" in page and "You received a warning" in page
    assert "Be kind" in page and "Mocking people is not okay" in page
    assert 'name="text"' in page
    assert appeal(client_for(community.bob), decided).status_code == 302
    row = db.session.scalar(select(Appeal))
    assert row.text == "I was joking with a friend" and row.state == "pending"
    assert "A different moderator will review" in client_for(community.bob).get(f"/decisions/{decided.id}").text


def test_nobody_else_reads_a_decision(community, client_for, client, decided):
    assert client_for(community.alice).get(f"/decisions/{decided.id}").status_code == 404
    assert client_for(community.moderator2).get(f"/decisions/{decided.id}").status_code == 404
    assert client.get(f"/decisions/{decided.id}").status_code == 404
    assert appeal(client_for(community.alice), decided).status_code == 404
    assert client_for(community.bob).get("/decisions/99999").status_code == 404


def test_one_appeal_per_decision(community, client_for, decided):
    bob = client_for(community.bob)
    appeal(bob, decided)
    again = appeal(bob, decided, text="Please!")
    assert again.status_code == 409 and "already appealed" in again.text
    assert db.session.scalar(select(func.count(Appeal.id))) == 1


def test_an_appeal_over_2000_characters_is_refused_at_the_field(community, client_for, decided):
    response = appeal(client_for(community.bob), decided, text="y" * 2001)
    assert response.status_code == 422 and 'id="text-error"' in response.text and "2000" in response.text
    assert appeal(client_for(community.bob), decided, text="   ").status_code == 422
    assert db.session.scalar(select(func.count(Appeal.id))) == 0


def test_moderators_but_the_decider_are_told_of_an_appeal(community, client_for, decided):
    appeal(client_for(community.bob), decided)
    assert "reporting_new_appeal" in kinds_of(community.moderator2)
    assert "reporting_new_appeal" in kinds_of(community.owner)
    assert "reporting_new_appeal" not in kinds_of(community.moderator)
    listing = client_for(community.moderator2).get("/moderation/g/garden/appeals").text
    assert "I was joking with a friend" in listing


def test_the_moderator_who_decided_cannot_decide_the_appeal(community, client_for, decided):
    appeal(client_for(community.bob), decided)
    row = db.session.scalar(select(Appeal))
    same = client_for(community.moderator)
    page = same.get(f"/moderation/appeals/{row.id}").text
    assert "another moderator must decide" in page and 'name="outcome"' not in page
    refused = same.post(f"/moderation/appeals/{row.id}", data={"outcome": "overturned"})
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(Appeal, row.id).state == "pending"


def test_the_appellant_and_members_cannot_decide_an_appeal(community, client_for, decided, add_member):
    appeal(client_for(community.bob), decided)
    row = db.session.scalar(select(Appeal))
    for person in (community.alice, community.bob):
        assert client_for(person).get(f"/moderation/appeals/{row.id}").status_code == 404
        assert client_for(person).post(f"/moderation/appeals/{row.id}",
                                       data={"outcome": "overturned"}).status_code == 404


def test_overturning_restores_the_item_and_tells_the_person(community, client_for, decided, outbox):
    appeal(client_for(community.bob), decided)
    row = db.session.scalar(select(Appeal))
    response = client_for(community.moderator2).post(f"/moderation/appeals/{row.id}",
                                                      data={"outcome": "overturned", "response": "Fair enough"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appeal, row.id).state == "overturned"
    assert db.session.scalar(select(HiddenContent)) is None
    assert "tomatoes" in client_for(community.carol).get(f"/g/garden/p/{community.post.id}").text
    assert "reporting_appeal_decided" in kinds_of(community.bob)
    page = client_for(community.bob).get(f"/decisions/{decided.id}").text
    assert "overturned" in page and "Fair enough" in page
    assert any(m.to_addr == community.bob.email and "appeal" in m.subject for m in outbox())
    again = client_for(community.owner).post(f"/moderation/appeals/{row.id}", data={"outcome": "upheld"})
    assert again.status_code in (200, 409)
    db.session.expire_all()
    assert db.session.get(Appeal, row.id).state == "overturned"


def test_upholding_keeps_the_sanction(community, client_for, decided):
    appeal(client_for(community.bob), decided)
    row = db.session.scalar(select(Appeal))
    client_for(community.owner).post(f"/moderation/appeals/{row.id}", data={"outcome": "upheld"})
    db.session.expire_all()
    assert db.session.scalar(select(HiddenContent)) is not None
    assert "the decision stands" in client_for(community.bob).get(f"/decisions/{decided.id}").text


def test_appeal_decision_needs_an_outcome(community, client_for, decided):
    appeal(client_for(community.bob), decided)
    row = db.session.scalar(select(Appeal))
    response = client_for(community.moderator2).post(f"/moderation/appeals/{row.id}", data={"outcome": "maybe"})
    assert response.status_code == 422 and 'id="outcome-error"' in response.text


def test_overturning_lifts_a_ban(community, client_for):
    client_for(community.alice).post(f"/report/post/{community.post.id}", data={"category": "hate"})
    case = db.session.scalar(select(Case))
    client_for(community.moderator).post(f"/moderation/cases/{case.id}/decide",
                                         data={"actions": ["ban"], "explanation": "Hate speech"})
    decision = db.session.scalar(select(Decision))
    appeal(client_for(community.bob), decision)
    row = db.session.scalar(select(Appeal))
    client_for(community.moderator2).post(f"/moderation/appeals/{row.id}", data={"outcome": "overturned"})
    db.session.expire_all()
    assert db.session.scalar(select(GroupBan)) is None
    client_for(community.bob).post("/g/garden/join")
    from core.models import Membership

    assert db.session.scalar(select(Membership).where(Membership.user_id == community.bob.id)) is not None


def test_keep_decisions_cannot_be_appealed(community, client_for):
    client_for(community.alice).post(f"/report/post/{community.post.id}", data={"category": "spam"})
    case = db.session.scalar(select(Case))
    client_for(community.moderator).post(f"/moderation/cases/{case.id}/decide", data={"actions": ["keep"]})
    decision = db.session.scalar(select(Decision))
    # Bob was never told; even with the link there is nothing to appeal.
    assert appeal(client_for(community.bob), decision).status_code == 409


def test_the_appeal_window_closes(community, client_for, decided):
    decided.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    page = client_for(community.bob).get(f"/decisions/{decided.id}").text
    assert "can no longer be appealed" in page
    assert appeal(client_for(community.bob), decided).status_code == 409


def test_a_suspended_person_appeals_through_the_signed_link(community, client_for, client, site_admin, outbox):
    client_for(community.alice).post(f"/report/profile/{community.bob.id}", data={"category": "impersonation"})
    case = db.session.scalar(select(Case))
    response = client_for(site_admin).post(f"/moderation/cases/{case.id}/decide",
                                           data={"actions": ["suspend"], "explanation": "Pretending to be Olga"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, community.bob.id).is_suspended
    mail = next(m for m in outbox() if m.to_addr == community.bob.email)
    link = re.search(r"http://localhost(/decisions/\d+\?t=[^\s\"<]+)", mail.body_text).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Your account was suspended" in page.text
    token = link.split("t=", 1)[1]
    decision = db.session.scalar(select(Decision))
    forged = client.post(f"/decisions/{decision.id}/appeal", data={"text": "not me", "t": token + "x"})
    assert forged.status_code == 404
    sent = client.post(f"/decisions/{decision.id}/appeal", data={"text": "That really is my name", "t": token})
    assert sent.status_code == 302
    row = db.session.scalar(select(Appeal))
    client_for(make_second_admin(client_for)).post(f"/moderation/appeals/{row.id}", data={"outcome": "overturned"})
    db.session.expire_all()
    assert not db.session.get(User, community.bob.id).is_suspended


def make_second_admin(client_for):
    from core.extensions import db as _db

    user = User(username="admin2", email="admin2@example.org", display_name="Second Admin", is_site_admin=True,
                adult_attested_at=utcnow(), email_confirmed_at=utcnow())
    user.set_password("correct horse battery")
    _db.session.add(user)
    _db.session.commit()
    return user
