"""The team line: a member writes to a group's team; any team member answers; notes stay internal."""
from __future__ import annotations

from sqlalchemy import select

from core.plugin_api import db
from plugins.conversations.models import ANSWERED, CLOSED, OPEN, Conversation, TeamSetting


def _cid(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _write(client_for, member, body="I need to talk about something"):
    return _cid(client_for(member).post("/g/garden/team/write", data={"body": body}))


def test_a_member_messages_the_team_and_a_moderator_answers_signed_as_the_team(people, client_for):
    cid = _write(client_for, people.alice)
    mod = client_for(people.moderator)
    assert "Alice A" in mod.get("/g/garden/team/").get_data(as_text=True)
    mod.post(f"/g/garden/team/{cid}/reply", data={"body": "We hear you."})
    page = client_for(people.alice).get(f"/messages/{cid}").get_data(as_text=True)
    assert "We hear you." in page
    assert "Team of" in page
    assert "Mona Moderator" not in page.split("<main")[1]


def test_answers_are_signed_by_name_when_the_group_chooses_so(people, client_for):
    db.session.add(TeamSetting(group_id=people.group.id, sign_as_team=False))
    db.session.commit()
    cid = _write(client_for, people.alice)
    client_for(people.owner).post(f"/g/garden/team/{cid}/reply", data={"body": "Olga here."})
    page = client_for(people.alice).get(f"/messages/{cid}").get_data(as_text=True)
    assert "Olga Owner for the team of" in page


def test_the_member_sees_one_thread_with_the_team(people, client_for):
    first = _write(client_for, people.alice, "one")
    second = _write(client_for, people.alice, "two")
    assert first == second
    assert client_for(people.alice).get("/g/garden/team/write").headers["Location"].endswith(f"/messages/{first}")


def test_internal_notes_are_never_shown_to_the_member(people, client_for):
    cid = _write(client_for, people.alice)
    mod = client_for(people.moderator)
    mod.post(f"/g/garden/team/{cid}/reply", data={"body": "secret team note", "internal": "on"})
    assert "secret team note" in mod.get(f"/g/garden/team/{cid}").get_data(as_text=True)
    assert "secret team note" not in client_for(people.alice).get(f"/messages/{cid}").get_data(as_text=True)


def test_status_follows_the_conversation_and_the_team_can_close_and_assign(people, client_for):
    cid = _write(client_for, people.alice)
    assert db.session.get(Conversation, cid).status == OPEN
    mod = client_for(people.moderator)
    mod.post(f"/g/garden/team/{cid}/reply", data={"body": "answer"})
    db.session.expire_all()
    assert db.session.get(Conversation, cid).status == ANSWERED
    mod.post(f"/g/garden/team/{cid}/update", data={"status": "closed", "assignee_id": str(people.owner.id)})
    db.session.expire_all()
    conversation = db.session.get(Conversation, cid)
    assert (conversation.status, conversation.assignee_id) == (CLOSED, people.owner.id)
    assert "Assigned to" not in client_for(people.alice).get(f"/messages/{cid}").get_data(as_text=True)


def test_only_a_team_member_can_be_assigned(people, client_for):
    cid = _write(client_for, people.alice)
    response = client_for(people.moderator).post(f"/g/garden/team/{cid}/update",
                                                 data={"status": "open", "assignee_id": str(people.bob.id)})
    assert response.status_code == 422
    assert "Only a member of the team can be assigned." in response.get_data(as_text=True)


def test_a_team_member_of_another_group_gets_404_on_this_groups_team_inbox(people, client_for):
    cid = _write(client_for, people.alice)
    other = client_for(people.other_moderator)
    assert other.get("/g/garden/team/").status_code == 404
    assert other.get(f"/g/garden/team/{cid}").status_code == 404
    assert other.post(f"/g/garden/team/{cid}/reply", data={"body": "x"}).status_code == 404
    assert other.get(f"/g/kitchen/team/{cid}").status_code == 404


def test_a_moderator_takes_a_public_post_to_a_private_conversation_in_one_action(people, client_for, make_post):
    post = make_post(people.group, people.bob, "A heated public post")
    mod = client_for(people.moderator)
    assert "Take this to a private message" in mod.get(f"/g/garden/p/{post.id}").get_data(as_text=True) or \
        "Take this to a private message" in mod.get("/g/garden").get_data(as_text=True)
    response = mod.post(f"/g/garden/team/posts/{post.id}/take-private", data={"body": "Let's talk here."})
    assert response.status_code == 302
    conversation = db.session.scalar(select(Conversation))
    page = client_for(people.bob).get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "A heated public post" in page and "talk here." in page


def test_members_cannot_take_posts_private(people, client_for, make_post):
    post = make_post(people.group, people.bob, "post")
    assert client_for(people.alice).post(f"/g/garden/team/posts/{post.id}/take-private",
                                         data={"body": "x"}).status_code == 404


def test_the_team_is_notified_of_a_members_message_without_its_text(people, client_for):
    _write(client_for, people.alice, "a very private matter")
    page = client_for(people.moderator).get("/notifications/").get_data(as_text=True)
    assert "A member wrote to the team of" in page
    assert "a very private matter" not in page
    assert "A member wrote to the team" not in client_for(people.bob).get("/notifications/").get_data(as_text=True)


def test_the_feed_offers_each_post_by_someone_else_its_own_take_private_link(people, client_for, make_post):
    bobs, carols = make_post(people.group, people.bob, "Bob's post"), make_post(people.group, people.carol, "Carol's")
    own = make_post(people.group, people.moderator, "Mona's own post")
    page = client_for(people.moderator).get("/g/garden").get_data(as_text=True)
    assert f"/g/garden/team/posts/{bobs.id}/take-private" in page
    assert f"/g/garden/team/posts/{carols.id}/take-private" in page
    assert f"/g/garden/team/posts/{own.id}/take-private" not in page
    assert "take-private" not in client_for(people.alice).get("/g/garden").get_data(as_text=True)
