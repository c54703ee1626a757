"""Joining, requests, invitations, roles, removal, leaving and handing over, through the web pages."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Group, Invitation, JoinRequest, Membership, Notification


@pytest.fixture
def app_plugins():
    return ["tests.core.group_hooks_plugin"]


def _role(group, user):
    db.session.expire_all()
    return db.session.scalar(
        db.select(Membership.role).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def _count(group):
    db.session.expire_all()
    return db.session.get(Group, group.id).member_count


def _notes(user, kind=None):
    stmt = db.select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


# --- open groups ---------------------------------------------------------------------------------


def test_joining_an_open_group(member_client, member, make_group, recorder):
    group = make_group(slug="club")
    response = member_client.post("/g/club/join")
    assert response.status_code == 302
    assert _role(group, member) == "member"
    assert _count(group) == 2
    assert ("member_joined", "club", "member") in recorder.EVENTS
    assert "Welcome to" in member_client.get("/g/club").text


def test_joining_twice_changes_nothing(member_client, member, make_group):
    group = make_group(slug="club", members=[member])
    assert member_client.post("/g/club/join").status_code == 302
    assert _count(group) == 2


def test_unconfirmed_account_cannot_join(client, login, make_user, make_group):
    user = make_user("fresh", email_confirmed_at=None)
    group = make_group(slug="club")
    login(client, user)
    response = client.post("/g/club/join")
    assert response.status_code == 403
    assert "Confirm your email" in response.text
    assert _role(group, user) is None


def test_joining_unknown_group_is_404(member_client):
    assert member_client.post("/g/nope/join").status_code == 404


# --- by-request groups ---------------------------------------------------------------------------


@pytest.fixture
def staffed(make_group, make_user):
    owner, admin, mod, plain = (make_user(n) for n in ("owner", "admin1", "mod", "plain"))
    group = make_group(owner=owner, slug="circle", join_mode="request", join_question="What brings you here?",
                       members=[(admin, "admin"), (mod, "moderator"), plain])
    return group, owner, admin, mod, plain


def test_request_form_shows_the_question(member_client, staffed):
    page = member_client.get("/g/circle/join")
    assert page.status_code == 200
    assert "What brings you here?" in page.text and 'name="answer"' in page.text


def test_missing_answer_is_reported_at_the_field(member_client, staffed):
    response = member_client.post("/g/circle/join", data={"answer": "  "})
    assert response.status_code == 422
    assert 'id="answer-error"' in response.text and "Please answer" in response.text
    assert db.session.scalar(db.select(JoinRequest.id)) is None


def test_overlong_answer_is_refused_and_kept(member_client, staffed):
    response = member_client.post("/g/circle/join", data={"answer": "a" * 1001})
    assert response.status_code == 422
    assert 'id="answer-error"' in response.text
    assert "a" * 1001 in response.text


def test_request_notifies_staff_but_not_members(member_client, member, staffed, outbox):
    group, owner, admin, mod, plain = staffed
    response = member_client.post("/g/circle/join", data={"answer": "I like circles"})
    assert response.status_code == 302
    request = db.session.scalar(db.select(JoinRequest))
    assert (request.user_id, request.answer, request.status) == (member.id, "I like circles", "pending")
    assert _role(group, member) is None
    for person in (owner, admin, mod):
        [note] = _notes(person, "join_request")
        assert note.url == "/g/circle/requests"
    assert _notes(plain) == []
    assert {m.to_addr for m in outbox()} >= {"owner@example.org", "admin1@example.org", "mod@example.org"}
    page = member_client.get("/g/circle").text
    assert "waiting for a moderator" in page and "Withdraw request" in page


def test_asking_twice_is_refused_with_a_message(member_client, staffed):
    member_client.post("/g/circle/join", data={"answer": "first"})
    response = member_client.post("/g/circle/join", data={"answer": "second"}, follow_redirects=True)
    assert "already asked to join" in response.text
    assert db.session.scalar(db.select(db.func.count(JoinRequest.id))) == 1


def test_applicant_withdraws_request(member_client, staffed):
    member_client.post("/g/circle/join", data={"answer": "hi"})
    assert member_client.post("/g/circle/join/withdraw").status_code == 302
    assert db.session.scalar(db.select(JoinRequest.id)) is None


def test_answers_are_visible_to_moderators_only(client, login, member_client, staffed):
    group, owner, admin, mod, plain = staffed
    member_client.post("/g/circle/join", data={"answer": "my private reason"})
    login(client, mod)
    page = client.get("/g/circle/requests")
    assert page.status_code == 200 and "my private reason" in page.text
    assert "Requests" in client.get("/g/circle").text
    login(client, plain)
    assert client.get("/g/circle/requests").status_code == 404
    assert "my private reason" not in client.get("/g/circle/members").text
    assert member_client.get("/g/circle/requests").status_code == 404


def test_approving_makes_a_member_and_tells_them(client, login, member, member_client, staffed, recorder):
    group, owner, admin, mod, plain = staffed
    member_client.post("/g/circle/join", data={"answer": "hello"})
    request = db.session.scalar(db.select(JoinRequest))
    login(client, mod)
    response = client.post(f"/g/circle/requests/{request.id}/approve")
    assert response.status_code == 302
    assert _role(group, member) == "member"
    assert _count(group) == 5
    db.session.expire_all()
    assert db.session.get(JoinRequest, request.id).status == "approved"
    [note] = _notes(member, "request_approved")
    assert note.url == "/g/circle"
    assert ("member_joined", "circle", "member") in recorder.EVENTS


def test_deciding_twice_is_refused(client, login, member_client, staffed):
    group, owner, *_ = staffed
    member_client.post("/g/circle/join", data={"answer": "hello"})
    request = db.session.scalar(db.select(JoinRequest))
    login(client, owner)
    client.post(f"/g/circle/requests/{request.id}/approve")
    response = client.post(f"/g/circle/requests/{request.id}/deny", follow_redirects=True)
    assert "already decided" in response.text


def test_denying_tells_the_applicant_and_adds_nobody(client, login, member, member_client, staffed):
    group, owner, *_ = staffed
    member_client.post("/g/circle/join", data={"answer": "hello"})
    request = db.session.scalar(db.select(JoinRequest))
    login(client, owner)
    assert client.post(f"/g/circle/requests/{request.id}/deny").status_code == 302
    assert _role(group, member) is None
    db.session.expire_all()
    assert db.session.get(JoinRequest, request.id).status == "denied"
    [note] = _notes(member, "request_denied")
    assert note.actor_id is None  # the reviewer stays anonymous to the applicant


def test_plain_members_cannot_decide_requests(client, login, member_client, staffed):
    group, owner, admin, mod, plain = staffed
    member_client.post("/g/circle/join", data={"answer": "hello"})
    request = db.session.scalar(db.select(JoinRequest))
    login(client, plain)
    assert client.post(f"/g/circle/requests/{request.id}/approve").status_code == 404
    db.session.expire_all()
    assert db.session.get(JoinRequest, request.id).status == "pending"


def test_request_of_another_group_is_404(client, login, member_client, staffed, make_group, make_user):
    member_client.post("/g/circle/join", data={"answer": "hello"})
    request = db.session.scalar(db.select(JoinRequest))
    other_owner = make_user("elsewhere")
    make_group(owner=other_owner, slug="other")
    login(client, other_owner)
    assert client.post(f"/g/other/requests/{request.id}/approve").status_code == 404


# --- invitations ---------------------------------------------------------------------------------


def test_member_invites_by_username_and_invitee_accepts(client, login, make_user, make_group, recorder):
    inviter, invitee = make_user("inviter"), make_user("invitee")
    group = make_group(slug="club", members=[inviter])
    login(client, inviter)
    assert client.post("/g/club/invite", data={"username": "invitee"}).status_code == 302
    invitation = db.session.scalar(db.select(Invitation))
    [note] = _notes(invitee, "invitation")
    assert note.url == "/g/invitations"
    login(client, invitee)
    listing = client.get("/g/invitations")
    assert "Club" in listing.text and "Invited by Inviter" in listing.text
    assert "You are invited" in client.get("/g/club").text
    assert client.post(f"/g/invitations/{invitation.id}/accept").status_code == 302
    assert _role(group, invitee) == "member"
    assert _count(group) == 3
    assert ("member_joined", "club", "invitee") in recorder.EVENTS
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).status == "accepted"


def test_invitee_declines(client, login, make_user, make_group):
    inviter, invitee = make_user("inviter"), make_user("invitee")
    group = make_group(slug="club", members=[inviter])
    login(client, inviter)
    client.post("/g/club/invite", data={"username": "invitee"})
    invitation = db.session.scalar(db.select(Invitation))
    login(client, invitee)
    assert client.post(f"/g/invitations/{invitation.id}/decline").status_code == 302
    assert _role(group, invitee) is None
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).status == "declined"


def test_only_the_invitee_can_answer(client, login, make_user, make_group):
    inviter, _invitee, stranger = make_user("inviter"), make_user("invitee"), make_user("stranger")
    group = make_group(slug="club", members=[inviter])
    login(client, inviter)
    client.post("/g/club/invite", data={"username": "invitee"})
    invitation = db.session.scalar(db.select(Invitation))
    login(client, stranger)
    assert client.post(f"/g/invitations/{invitation.id}/accept").status_code == 404
    assert _role(group, stranger) is None


@pytest.mark.parametrize(("username", "message"), [
    ("ghost", "no member with this username"),
    ("inviter", "already a member"),
    ("", "This field is required."),
])
def test_bad_invitations_are_reported_at_the_username_field(client, login, make_user, make_group, username,
                                                             message):
    inviter = make_user("inviter")
    make_group(slug="club", members=[inviter])
    login(client, inviter)
    response = client.post("/g/club/invite", data={"username": username})
    assert response.status_code == 422
    assert 'id="username-error"' in response.text and message in response.text
    assert db.session.scalar(db.select(Invitation.id)) is None


def test_inviting_twice_is_refused(client, login, make_user, make_group):
    inviter, _invitee = make_user("inviter"), make_user("invitee")
    make_group(slug="club", members=[inviter])
    login(client, inviter)
    client.post("/g/club/invite", data={"username": "invitee"})
    response = client.post("/g/club/invite", data={"username": "invitee"})
    assert response.status_code == 422 and "already invited" in response.text


def test_invitation_respects_can_interact(client, login, make_user, make_group, recorder):
    inviter, _invitee = make_user("inviter"), make_user("invitee")
    make_group(slug="club", members=[inviter])
    recorder.BLOCKED.add(("inviter", "invitee"))
    login(client, inviter)
    response = client.post("/g/club/invite", data={"username": "invitee"})
    assert response.status_code == 422 and "cannot invite this person" in response.text
    assert db.session.scalar(db.select(Invitation.id)) is None


def test_in_private_groups_only_moderators_invite(client, login, make_user, make_group):
    plain, mod, _invitee = make_user("plain"), make_user("mod"), make_user("invitee")
    make_group(slug="hidden", visibility="private", members=[plain, (mod, "moderator")])
    login(client, plain)
    assert 'action="/g/hidden/invite"' not in client.get("/g/hidden/members").text
    assert client.post("/g/hidden/invite", data={"username": "invitee"}).status_code == 404
    login(client, mod)
    assert client.post("/g/hidden/invite", data={"username": "invitee"}).status_code == 302


def test_invited_person_skips_the_join_question(client, login, make_user, make_group):
    owner, invitee = make_user("owner"), make_user("invitee")
    group = make_group(owner=owner, slug="circle", join_mode="request", join_question="Why?")
    login(client, owner)
    client.post("/g/circle/invite", data={"username": "invitee"})
    login(client, invitee)
    assert client.post("/g/circle/join", data={}).status_code == 302
    assert _role(group, invitee) == "member"
    db.session.expire_all()
    assert db.session.scalar(db.select(Invitation.status)) == "accepted"


# --- roles ---------------------------------------------------------------------------------------


def test_owner_promotes_and_member_is_told(client, login, make_user, make_group):
    owner, person = make_user("owner"), make_user("person")
    group = make_group(owner=owner, slug="club", members=[person])
    login(client, owner)
    page = client.get("/g/club/members")
    assert 'action="/g/club/members/person/role"' in page.text
    assert client.post("/g/club/members/person/role", data={"role": "admin"}).status_code == 302
    assert _role(group, person) == "admin"
    [note] = _notes(person, "role_changed")
    assert note.data == {"role": "admin"}


def test_admin_may_make_moderators_but_not_admins(client, login, make_user, make_group):
    admin, person = make_user("admin1"), make_user("person")
    group = make_group(slug="club", members=[(admin, "admin"), person])
    login(client, admin)
    assert client.post("/g/club/members/person/role", data={"role": "admin"}).status_code == 404
    assert _role(group, person) == "member"
    assert client.post("/g/club/members/person/role", data={"role": "moderator"}).status_code == 302
    assert _role(group, person) == "moderator"


def test_moderator_cannot_change_roles(client, login, make_user, make_group):
    mod, person = make_user("mod"), make_user("person")
    group = make_group(slug="club", members=[(mod, "moderator"), person])
    login(client, mod)
    assert 'action="/g/club/members/person/role"' not in client.get("/g/club/members").text
    assert client.post("/g/club/members/person/role", data={"role": "moderator"}).status_code == 404
    assert _role(group, person) == "member"


def test_nobody_changes_their_own_role(client, login, make_user, make_group):
    owner = make_user("owner")
    group = make_group(owner=owner, slug="club")
    login(client, owner)
    assert client.post("/g/club/members/owner/role", data={"role": "member"}).status_code == 404
    assert _role(group, owner) == "owner"


def test_unknown_role_is_a_bad_request(client, login, make_user, make_group):
    owner, _person = make_user("owner"), make_user("person")
    make_group(owner=owner, slug="club", members=[_person])
    login(client, owner)
    assert client.post("/g/club/members/person/role", data={"role": "emperor"}).status_code == 400


def test_members_page_lists_owners_first(client, make_user, make_group):
    early, owner = make_user("early"), make_user("boss")
    make_group(owner=owner, slug="club", members=[early])
    text = client.get("/g/club/members").text
    assert text.index("Boss") < text.index("Early")


# --- removing and leaving ------------------------------------------------------------------------


def test_moderator_removes_a_member_who_is_told(client, login, make_user, make_group, recorder):
    mod, person = make_user("mod"), make_user("person")
    group = make_group(slug="club", members=[(mod, "moderator"), person])
    login(client, mod)
    assert client.get("/g/club/members/person/remove").status_code == 200
    assert client.post("/g/club/members/person/remove").status_code == 302
    assert _role(group, person) is None
    assert _count(group) == 2
    assert _notes(person, "removed_from_group")
    assert ("member_left", "club", "person") in recorder.EVENTS


def test_moderator_cannot_remove_an_admin(client, login, make_user, make_group):
    mod, admin = make_user("mod"), make_user("admin1")
    group = make_group(slug="club", members=[(mod, "moderator"), (admin, "admin")])
    login(client, mod)
    assert client.post("/g/club/members/admin1/remove").status_code == 404
    assert _role(group, admin) == "admin"


def test_removing_an_unknown_member_is_404(client, login, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="club")
    login(client, owner)
    assert client.post("/g/club/members/nobody/remove").status_code == 404


def test_member_leaves(member_client, member, make_group, recorder):
    group = make_group(slug="club", members=[member])
    assert member_client.get("/g/club/leave").status_code == 200
    assert member_client.post("/g/club/leave").status_code == 302
    assert _role(group, member) is None
    assert _count(group) == 1
    assert ("member_left", "club", "member") in recorder.EVENTS


def test_non_member_leaving_is_404(member_client, make_group):
    make_group(slug="club")
    assert member_client.post("/g/club/leave").status_code == 404


def test_last_owner_cannot_leave_and_is_told_why(client, login, make_user, make_group):
    owner = make_user("owner")
    group = make_group(owner=owner, slug="club", members=[make_user()])
    login(client, owner)
    confirm = client.get("/g/club/leave")
    assert "only owner" in confirm.text and "Choose a new owner" in confirm.text
    response = client.post("/g/club/leave")
    assert response.status_code == 409
    assert "You are the only owner. Make another member owner before you leave." in response.text
    assert _role(group, owner) == "owner"
    assert _count(group) == 2


def test_one_of_two_owners_may_leave(client, login, make_user, make_group):
    owner, co_owner = make_user("owner"), make_user("coowner")
    group = make_group(owner=owner, slug="club", members=[(co_owner, "owner")])
    login(client, owner)
    assert client.post("/g/club/leave").status_code == 302
    assert _role(group, owner) is None


def test_owner_hands_over_then_leaves(client, login, make_user, make_group):
    owner, heir = make_user("owner"), make_user("heir")
    group = make_group(owner=owner, slug="club", members=[heir])
    login(client, owner)
    assert 'href="/g/club/members/heir/transfer"' in client.get("/g/club/members").text
    assert client.get("/g/club/members/heir/transfer").status_code == 200
    assert client.post("/g/club/members/heir/transfer").status_code == 302
    assert (_role(group, heir), _role(group, owner)) == ("owner", "admin")
    assert _notes(heir, "role_changed")[0].data == {"role": "owner"}
    assert client.post("/g/club/leave").status_code == 302
    assert _role(group, owner) is None


def test_only_owners_hand_over(client, login, make_user, make_group):
    admin, person = make_user("admin1"), make_user("person")
    group = make_group(slug="club", members=[(admin, "admin"), person])
    login(client, admin)
    assert client.post("/g/club/members/person/transfer").status_code == 404
    assert _role(group, person) == "member"
