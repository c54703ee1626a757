"""@mentions (block-aware both ways, group members only), following a group, and the email digest."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from core.models import Membership, Notification, OutboxMessage, Post, User
from core.models.base import utcnow
from tests.core.conversation_helpers import block


@pytest.fixture
def app_plugins():
    return ["plugins.reporting"]


@pytest.fixture
def club(app, make_user, make_group, member, enable_plugin):
    enable_plugin("reporting")
    sam = make_user("sam", display_name="Sam Seed")
    group = make_group(slug="club", members=[member, sam])
    group.sam = sam
    return group


def _notes(user, kind=None) -> list[Notification]:
    stmt = db.select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def _post(client, body: str):
    response = client.post("/g/club/posts", data={"body": body})
    assert response.status_code == 302, response.text[:300]
    return db.session.scalar(db.select(Post).order_by(Post.id.desc()))


def _level(user, group, level: str) -> None:
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == user.id,
                                                                Membership.group_id == group.id))
    membership.notify_level = level
    db.session.commit()


# --- mentions -------------------------------------------------------------------------------------

def test_a_mentioned_member_gets_a_link_and_a_notification(app, login, member_client, club):
    post = _post(member_client, "Thanks @sam for the seeds!")
    assert 'class="mention"' in post.body_html and ">@sam</a>" in post.body_html
    [note] = _notes(club.sam, "mention")
    assert note.url == f"/g/club/p/{post.id}"
    inbox = login(app.test_client(), club.sam).get("/notifications/").text
    assert "mentioned you in" in inbox


def test_someone_outside_the_group_is_neither_linked_nor_told(member_client, club, make_user):
    stranger = make_user("stranger")
    post = _post(member_client, "Hello @stranger")
    assert 'class="mention"' not in post.body_html and "@stranger" in post.body_html
    assert _notes(stranger) == []


def test_a_mention_of_someone_who_blocked_you_makes_no_link_and_no_notification(member_client, member, club):
    block(club.sam, member)
    post = _post(member_client, "Hello @sam")
    assert 'class="mention"' not in post.body_html
    assert _notes(club.sam) == []


def test_a_mention_of_someone_you_blocked_makes_no_link_and_no_notification(member_client, member, club):
    block(member, club.sam)
    post = _post(member_client, "Hello @sam")
    assert 'class="mention"' not in post.body_html
    assert _notes(club.sam) == []


def test_mentions_in_code_and_links_stay_text(member_client, club):
    post = _post(member_client, "`@sam` and [ask @sam](https://example.org)")
    assert 'class="mention"' not in post.body_html and _notes(club.sam) == []


def test_a_mention_in_a_comment_notifies_once(member_client, club, make_post, member):
    post = make_post(club, member, "My post")
    member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "@sam what do you think?"})
    assert [note.kind for note in _notes(club.sam)] == ["mention"]


def test_an_edit_tells_only_people_mentioned_for_the_first_time(member_client, club, add_member, make_user):
    post = _post(member_client, "Hi @sam")
    kim = make_user("kim")
    add_member(club, kim)
    member_client.post(f"/g/club/p/{post.id}/edit", data={"body": "Hi @sam and @kim"})
    assert len(_notes(club.sam, "mention")) == 1 and len(_notes(kim, "mention")) == 1


def test_autocomplete_suggests_members_by_name_start(member_client, club):
    response = member_client.get("/api/v1/groups/club/mentions?q=@sa")
    assert response.status_code == 200
    assert response.json["items"] == [{"username": "sam", "display_name": "Sam Seed", "avatar_url": None}]
    assert member_client.get("/api/v1/groups/club/mentions?q=Seed").json["items"] == []  # starts with, not contains
    assert member_client.get("/api/v1/groups/club/mentions?q=sam%25").json["items"] == []  # % is literal


def test_autocomplete_leaves_out_people_hidden_from_me(member_client, member, club):
    block(club.sam, member)
    assert member_client.get("/api/v1/groups/club/mentions?q=sa").json["items"] == []


def test_autocomplete_is_for_members_only(app, login, make_user, club, client):
    outsider = login(app.test_client(), make_user("outsider"))
    assert outsider.get("/api/v1/groups/club/mentions?q=sa").status_code == 404
    assert client.get("/api/v1/groups/club/mentions?q=sa").status_code == 401


def test_the_composer_loads_the_autocomplete_script(member_client, club):
    html = member_client.get("/g/club").text
    assert 'data-mentions="/api/v1/groups/club/mentions"' in html and "/static/mentions.js" in html


# --- following a group ----------------------------------------------------------------------------

def test_watchers_hear_of_every_new_post(member_client, club):
    _level(club.sam, club, "watching")
    post = _post(member_client, "News!")
    [note] = _notes(club.sam, "new_post")
    assert note.url == f"/g/club/p/{post.id}"


def test_normal_members_do_not_hear_of_new_posts(member_client, club):
    _post(member_client, "News!")
    assert _notes(club.sam) == []


def test_a_muted_group_sends_no_replies_or_mentions(member_client, club, make_post):
    _level(club.sam, club, "muted")
    post = make_post(club, club.sam, "Sam's post")
    member_client.post(f"/g/club/p/{post.id}/comments", data={"body": "A reply, @sam"})
    assert _notes(club.sam) == []


def test_a_watcher_who_blocked_the_author_is_not_told(member_client, member, club):
    _level(club.sam, club, "watching")
    block(club.sam, member)
    _post(member_client, "News!")
    assert _notes(club.sam) == []


def test_the_level_is_chosen_on_the_group_page(member_client, member, club):
    html = member_client.get("/g/club").text
    assert 'name="level" value="normal" checked' in html
    response = member_client.post("/g/club/notifications", data={"level": "watching"})
    assert response.status_code == 302
    assert 'name="level" value="watching" checked' in member_client.get("/g/club").text
    assert member_client.post("/g/club/notifications", data={"level": "loud"}).status_code == 302
    assert db.session.scalar(db.select(Membership.notify_level).where(Membership.user_id == member.id)) == "watching"


def test_outsiders_have_no_level_to_set(app, login, make_user, club):
    outsider = login(app.test_client(), make_user("outsider"))
    assert outsider.post("/g/club/notifications", data={"level": "watching"}).status_code == 404


def test_a_new_post_notifies_5_or_40_watchers_in_the_same_number_of_queries(app, member, club, make_user,
                                                                           add_member, count_queries):
    from flask_login import login_user

    from core.groups import content_actions

    def publish_with(watchers: int) -> int:
        for n in range(watchers):
            user = make_user(f"w{watchers}x{n}")
            add_member(club, user)
            _level(user, club, "watching")
        db.session.expire_all()
        author = db.session.get(User, member.id)
        group = db.session.get(type(club), club.id)
        with app.test_request_context("/"):
            login_user(author)
            with count_queries() as statements:
                content_actions.create_post(author, group, "Hello watchers")
        return len(statements)

    publish_with(1)  # the first publication loads what every later one finds ready
    assert publish_with(5) == publish_with(40)
    assert len(db.session.scalars(db.select(Notification).where(Notification.kind == "new_post")).all()) == 1 + 6 + 46


# --- the digest ----------------------------------------------------------------------------------

def _yesterday_post(club, author, body="Yesterday's news"):
    post = Post(group_id=club.id, author_id=author.id, body_source=body, body_html=f"<p>{body}</p>",
                created_at=utcnow() - timedelta(days=1))
    db.session.add(post)
    db.session.commit()
    return post


def _mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_addr == address)))


def test_the_daily_digest_is_sent_once_however_often_the_job_runs(app, club, member, job_queue):
    from core.groups import digest

    club.sam.digest = "daily"
    db.session.commit()
    _yesterday_post(club, member)
    with app.test_request_context("/"):
        assert digest.send_digests() == 1
        assert digest.send_digests() == 0
    [mail] = _mails_to(club.sam.email)
    assert "Yesterday's news" in mail.body_text and "/g/club/p/1" in mail.body_text


def test_the_digest_job_is_scheduled_and_idempotent(app, club, member, job_queue):
    club.sam.digest = "weekly"
    db.session.commit()
    post = _yesterday_post(club, member)
    post.created_at = utcnow() - timedelta(days=utcnow().weekday() + 3)  # in last week
    db.session.commit()
    hour = utcnow().replace(minute=7, second=0, microsecond=0)
    assert "core.digest.send" in job_queue.tick(hour)
    job_queue.tick(hour + timedelta(hours=1))
    assert len(_mails_to(club.sam.email)) == 1


def test_the_digest_leaves_out_muted_groups_and_hidden_people(app, club, member, make_user, make_group):
    from core.groups import digest

    club.sam.digest = "daily"
    db.session.commit()
    _level(club.sam, club, "muted")
    _yesterday_post(club, member)
    with app.test_request_context("/"):
        assert digest.send_digests() == 0
    assert _mails_to(club.sam.email) == []


def test_no_digest_without_choosing_one(app, club, member):
    from core.groups import digest

    _yesterday_post(club, member)
    with app.test_request_context("/"):
        assert digest.send_digests() == 0


def test_the_digest_is_chosen_on_the_email_settings_page(app, login, club):
    sam = login(app.test_client(), club.sam)
    assert 'name="digest" value="off" checked' in sam.get("/notifications/settings").text
    assert sam.post("/notifications/digest", data={"digest": "weekly"}).status_code == 302
    assert db.session.get(User, club.sam.id).digest == "weekly"
    sam.post("/notifications/digest", data={"digest": "hourly"})
    assert db.session.get(User, club.sam.id).digest == "weekly"


def test_a_mention_is_emailed_through_its_email_kind_in_the_readers_language(member_client, club):
    club.sam.locale = "de"
    db.session.commit()
    _post(member_client, "Thanks @sam!")
    [mail] = _mails_to(club.sam.email)
    assert "hat dich in" in mail.subject and "/notifications/settings#kind-mention" in mail.body_text


def test_switching_off_mention_emails_keeps_the_notification(member_client, club, app, login):
    sam = login(app.test_client(), club.sam)
    sam.post("/notifications/settings", data={kind: "on" for kind in ("post_reply", "comment_reply")})
    _post(member_client, "Thanks @sam!")
    assert _mails_to(club.sam.email) == [] and len(_notes(club.sam, "mention")) == 1


def test_rerendering_stored_posts_keeps_their_mention_links(app, member_client, club):
    post = _post(member_client, "Thanks @sam and @nobody!")
    before = post.body_html
    result = app.test_cli_runner().invoke(args=["content", "rerender"])
    assert result.exit_code == 0 and "posts: 0 of 1 changed" in result.output
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_html == before
