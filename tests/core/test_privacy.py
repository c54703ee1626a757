"""Data export and account erasure: core data, plugins' parts, group counters, the last-owner rule."""
from __future__ import annotations

import json

import pytest

from core.extensions import db
from core.models import ApiToken, Comment, Group, Membership, Notification, OutboxMessage, Post, User
from core.privacy import LastOwnerError, erase_user, export_user_data

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.plugins("tests.core.account_probe")


@pytest.fixture(autouse=True)
def request_context(app):
    """Messages are translated, so calls outside a view need a request (as in a view)."""
    with app.test_request_context():
        yield


@pytest.fixture
def probe(enable_plugin):
    from tests.core import account_probe

    enable_plugin("account_probe")
    account_probe.erased.clear()
    account_probe.notes.clear()
    return account_probe


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_export_contains_core_data_and_each_enabled_plugins_part(member, make_group, make_post, make_comment, probe):
    group = make_group(slug="garden", members=(member,))
    post = make_post(group, member, "My **post**")
    make_comment(post, member, "My comment")
    ApiToken.issue(member, "script")
    db.session.commit()
    probe.notes[member.id] = ["a note"]
    data = export_user_data(member)
    json.dumps(data)  # serialisable as is
    assert data["account"]["username"] == "member" and data["account"]["email"] == member.email
    assert data["account"]["adult_attested_at"]
    assert data["memberships"] == [{"group": "garden", "group_name": group.name, "role": "member",
                                    "notifications": "normal", "joined_at": data["memberships"][0]["joined_at"],
                                    "read_until": None}]
    assert data["account"]["profile_visibility"] == "everyone"
    assert [p["body"] for p in data["posts"]] == ["My **post**"]
    assert [c["body"] for c in data["comments"]] == ["My comment"]
    assert data["api_tokens"][0]["name"] == "script" and "token_hash" not in data["api_tokens"][0]
    assert data["plugins"] == {"account_probe": {"notes": ["a note"]}}


def test_disabled_plugin_still_exports_the_data_it_keeps(member):
    from tests.core import account_probe

    account_probe.notes[member.id] = ["kept while disabled"]
    try:
        assert export_user_data(member)["plugins"] == {"account_probe": {"notes": ["kept while disabled"]}}
    finally:
        account_probe.notes.clear()


def test_export_download_is_a_json_attachment(member_client, probe):
    response = member_client.get("/settings/data/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.json["account"]["username"] == "member"
    assert "account_probe" in response.json["plugins"]


def test_erase_deletes_account_and_content_and_fixes_counters(member, make_user, make_group, make_post, make_comment,
                                                             probe):
    owner = make_user("owner")
    group = make_group(owner=owner, slug="garden", members=(member,))
    their_post = make_post(group, owner, "Owner's post")
    make_comment(their_post, member, "member's reply")
    make_comment(their_post, owner, "owner's reply")
    my_post = make_post(group, member, "Member's post")
    make_comment(my_post, owner, "reply to member")
    ApiToken.issue(member, "t")
    db.session.add(Notification(user_id=owner.id, kind="post_reply", actor_id=member.id))
    db.session.add(OutboxMessage(to_addr=member.email, subject="hi", body_text="x", message_id="<x@y>"))
    db.session.commit()
    member_id = member.id

    erase_user(member)
    db.session.commit()

    assert db.session.get(User, member_id) is None
    assert probe.erased == ["member"]
    group = db.session.get(Group, group.id)
    assert group.member_count == 1
    their_post = db.session.get(Post, their_post.id)
    assert their_post.comment_count == 1
    assert [c.body_source for c in db.session.scalars(db.select(Comment))] == ["owner's reply"]
    assert [p.body_source for p in db.session.scalars(db.select(Post))] == ["Owner's post"]
    assert count(ApiToken) == 0
    assert db.session.scalar(db.select(Notification.actor_id)) is None
    assert count(OutboxMessage) == 0


def test_last_owner_with_other_members_must_hand_over_first(member, make_user, make_group, make_post):
    other = make_user("other")
    group = make_group(owner=member, slug="mine", name="My Group", members=(other,))
    make_post(group, member, "keep me")
    with pytest.raises(LastOwnerError) as excinfo:
        erase_user(member)
    db.session.rollback()
    assert "My Group" in str(excinfo.value)
    assert db.session.get(User, member.id) is not None
    assert count(Post) == 1


def test_owner_with_a_co_owner_can_leave(member, make_user, make_group):
    other = make_user("other")
    group_id = make_group(owner=member, slug="shared", members=((other, "owner"),)).id
    erase_user(member)
    db.session.commit()
    assert db.session.get(Group, group_id).member_count == 1


def test_a_group_they_alone_are_in_goes_with_them(member, make_group, make_post):
    group = make_group(owner=member, slug="solo")
    make_post(group, member, "alone")
    group_id = group.id
    erase_user(member)
    db.session.commit()
    assert db.session.get(Group, group_id) is None
    assert count(Membership) == 0


def test_delete_account_page_needs_the_password(member_client, member):
    response = member_client.post("/settings/data", data={"password": "wrong password!"})
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert db.session.get(User, member.id) is not None


def test_delete_account_page_erases_and_logs_out(member_client, member, probe):
    member_id = member.id
    response = member_client.post("/settings/data", data={"password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member_id) is None
    assert probe.erased == ["member"]
    assert member_client.get("/settings/profile").status_code == 302


def test_delete_account_page_explains_the_last_owner_rule(member_client, member, make_user, make_group):
    make_group(owner=member, slug="mine", name="My Group", members=(make_user("other"),))
    response = member_client.post("/settings/data", data={"password": PASSWORD})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "last owner of My Group" in html
    db.session.expire_all()
    assert db.session.get(User, member.id) is not None
