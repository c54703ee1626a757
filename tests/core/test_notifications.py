"""Notifications: creation, email by preference, the list page, marking read, the settings page."""
from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import JoinRequest, Notification, NotificationPreference, Post
from core.models.base import utcnow
from core.notifications.core_kinds import core_email_kinds
from core.notify import notify

# Core's email kinds members can switch off (plugins add theirs to the app's registry).
CORE_EMAIL_KINDS = tuple(kind.name for kind in core_email_kinds() if kind.label is not None)


@pytest.fixture
def people(make_user, make_group):
    owner = make_user("olga", display_name="Olga Owner")
    applicant = make_user("paul", display_name="Paul Applicant")
    group = make_group(owner=owner, slug="garden-club", name="Garden Club")
    return owner, applicant, group


def test_notify_creates_a_notification_and_queues_an_email(app, people, outbox):
    owner, applicant, group = people
    note = notify(owner, "join_request", actor=applicant, group=group, url="/g/garden-club/requests")
    db.session.commit()
    assert note.user_id == owner.id and note.kind == "join_request" and note.read_at is None
    [mail] = outbox()
    assert mail.to_addr == "olga@example.org"
    assert mail.subject == "Paul Applicant asks to join Garden Club"
    assert "http://localhost/g/garden-club/requests" in mail.body_text
    assert 'href="http://localhost/g/garden-club/requests"' in mail.body_html


@pytest.mark.parametrize("kind", sorted(CORE_EMAIL_KINDS))
def test_every_email_kind_has_subject_text_and_html_with_a_link_to_switch_it_off(app, people, outbox, kind):
    owner, applicant, group = people
    notify(owner, kind, actor=applicant, group=group, url="/g/garden-club", data={"excerpt": "Nice tomatoes"})
    db.session.commit()
    [mail] = outbox()
    settings = f"http://localhost/notifications/settings#kind-{kind}"
    assert mail.subject and "\n" not in mail.subject
    assert "Olga Owner" in mail.body_text and settings in mail.body_text
    assert f'href="{settings}"' in mail.body_html
    assert "Garden Club" in mail.subject + mail.body_text


def test_email_escapes_names_in_html_but_not_in_text(app, make_user, make_group, outbox):
    owner = make_user("owner2")
    actor = make_user("mallory", display_name="<b>Mallory</b>")
    group = make_group(owner=owner, name="Tom & Jerry")
    notify(owner, "post_reply", actor=actor, group=group, url="/g/x")
    db.session.commit()
    [mail] = outbox()
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in mail.body_html and "<b>Mallory</b>" not in mail.body_html
    assert "<b>Mallory</b> commented on your post in Tom & Jerry." in mail.body_text


def test_no_email_when_the_member_switched_that_kind_off(app, people, outbox):
    owner, applicant, group = people
    db.session.add(NotificationPreference(user_id=owner.id, kind="join_request", email_enabled=False))
    db.session.commit()
    assert notify(owner, "join_request", actor=applicant, group=group) is not None
    notify(owner, "post_reply", actor=applicant, group=group)
    db.session.commit()
    assert [m.subject for m in outbox()] == ["Paul Applicant commented on your post in Garden Club"]
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 2


def test_no_email_to_an_unconfirmed_address(app, make_user, people, outbox):
    _, applicant, group = people
    unconfirmed = make_user("newbie", email_confirmed_at=None)
    assert notify(unconfirmed, "invitation", actor=applicant, group=group) is not None
    db.session.commit()
    assert outbox() == []


def test_kinds_without_email_only_notify_in_app(app, people, outbox):
    owner, applicant, group = people
    notify(owner, "role_changed", actor=applicant, group=group, data={"role": "moderator"})
    db.session.commit()
    assert outbox() == []


def test_nobody_is_notified_about_their_own_action(app, people, outbox):
    owner, _, group = people
    assert notify(owner, "post_reply", actor=owner, group=group) is None
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0 and outbox() == []


# --- the list page ---------------------------------------------------------------------------------


def add_notes(user, actor, group, count):
    for n in range(count):
        db.session.add(Notification(user_id=user.id, kind="post_reply", actor_id=actor.id, group_id=group.id,
                                    url=f"/g/{group.slug}/posts/{n}", data={}))
    db.session.commit()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_shows_a_sentence_per_kind_with_a_link(app, client, login, people):
    owner, applicant, group = people
    notify(owner, "join_request", actor=applicant, group=group, url="/g/garden-club/requests")
    notify(owner, "role_changed", actor=applicant, group=group, url="/g/garden-club", data={"role": "moderator"})
    notify(owner, "removed_from_group", group=group)
    db.session.commit()
    login(client, owner)
    html = client.get("/notifications/").text
    assert ('<a href="/g/garden-club/requests"><strong>Paul Applicant</strong> asked to join '
            '<strong>Garden Club</strong>.</a>') in html
    assert "Your role in <strong>Garden Club</strong> is now <strong>moderator</strong>." in html
    assert "You were removed from <strong>Garden Club</strong>." in html
    # newest first
    assert html.index("You were removed") < html.index("asked to join")


def test_list_escapes_names(app, client, login, make_user, make_group):
    owner = make_user("owner3")
    actor = make_user("eve", display_name='<script>alert("x")</script>')
    group = make_group(owner=owner)
    notify(owner, "invitation", actor=actor, group=group, url="/g/x")
    db.session.commit()
    login(client, owner)
    html = client.get("/notifications/").text
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_list_shows_only_my_notifications(app, client, login, people, make_user):
    owner, applicant, group = people
    notify(applicant, "invitation", actor=owner, group=group, url="/g/secret-invite")
    db.session.commit()
    login(client, owner)
    assert "/g/secret-invite" not in client.get("/notifications/").text


def test_unread_count_appears_in_the_header_without_an_extra_query(app, client, login, people, count_queries):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 3)
    login(client, owner)
    client.get("/support")  # warm up; a page with no queries of its own (the home page has its feed)
    with count_queries() as queries:
        html = client.get("/support").text
    assert re.search(r'<span class="badge" aria-label="3 unread">3</span>', html)
    assert len(queries) == 2  # plugin state version + the user with their unread count


def test_header_shows_99_plus_beyond_99_unread(app, client, login, people):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 99)
    login(client, owner)
    assert re.search(r'<span class="badge" aria-label="99 unread">99</span>', client.get("/").text)
    add_notes(owner, applicant, group, 60)
    assert re.search(r'<span class="badge" aria-label="99\+ unread">99\+</span>', client.get("/").text)


def test_unread_count_stops_counting_at_the_cap(app, people):
    from core.notifications.inbox import UNREAD_CAP, unread_count_select

    owner, applicant, group = people
    add_notes(owner, applicant, group, UNREAD_CAP + 30)
    assert db.session.scalar(db.select(unread_count_select(owner.id))) == UNREAD_CAP


def test_list_is_keyset_paginated_newest_first(app, client, login, people):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 25)
    login(client, owner)
    first = client.get("/notifications/").text
    links = re.findall(r'href="/g/garden-club/posts/(\d+)"', first)
    assert links == [str(n) for n in range(24, 4, -1)]
    older = re.search(r'href="(/notifications/\?before=[^"]+)"', first).group(1)
    second = client.get(older.replace("&amp;", "&")).text
    assert re.findall(r'href="/g/garden-club/posts/(\d+)"', second) == ["4", "3", "2", "1", "0"]
    assert "Older notifications" not in second


def test_a_forged_cursor_answers_400_not_500(app, client, login, people):
    owner, _, _ = people
    login(client, owner)
    assert client.get("/notifications/?before=!!garbage").status_code == 400


def test_list_page_costs_the_same_queries_for_few_and_many(app, client, login, people, count_queries):
    owner, applicant, group = people
    login(client, owner)
    add_notes(owner, applicant, group, 3)
    client.get("/notifications/")
    with count_queries() as few:
        client.get("/notifications/")
    add_notes(owner, applicant, group, 60)
    with count_queries() as many:
        assert client.get("/notifications/").status_code == 200
    assert len(few) == len(many) <= 6


def test_unread_filter(app, client, login, people):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 2)
    first = db.session.scalars(db.select(Notification).order_by(Notification.id)).first()
    first.read_at = utcnow()
    db.session.commit()
    login(client, owner)
    html = client.get("/notifications/?unread=1").text
    assert re.findall(r'href="/g/garden-club/posts/(\d+)"', html) == ["1"]


def test_mark_one_read(app, client, login, people):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 2)
    note = db.session.scalars(db.select(Notification).order_by(Notification.id)).first()
    login(client, owner)
    response = client.post(f"/notifications/{note.id}/read", data={"next": "/notifications/?unread=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/notifications/?unread=1"
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    assert 'aria-label="1 unread"' in client.get("/notifications/").text


def test_mark_read_only_redirects_within_notifications(app, client, login, people):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 1)
    note = db.session.scalar(db.select(Notification))
    login(client, owner)
    response = client.post(f"/notifications/{note.id}/read", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/notifications/"


def test_someone_elses_notification_answers_404(app, client, login, people):
    owner, applicant, group = people
    add_notes(applicant, owner, group, 1)
    note = db.session.scalar(db.select(Notification))
    login(client, owner)
    assert client.post(f"/notifications/{note.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None


def test_mark_all_read(app, client, login, people):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 3)
    add_notes(applicant, owner, group, 1)
    login(client, owner)
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "All notifications are marked as read." in response.text
    assert 'class="badge" aria-label' not in response.text
    unread = db.session.scalars(db.select(Notification.user_id).where(Notification.read_at.is_(None))).all()
    assert unread == [applicant.id]


def test_mark_read_needs_a_csrf_token(app, client, login, people):
    owner, applicant, group = people
    add_notes(owner, applicant, group, 1)
    app.config["WTF_CSRF_ENABLED"] = True
    login(client, owner)
    assert client.post("/notifications/read-all").status_code == 400
    assert db.session.scalar(db.select(Notification.read_at)) is None


def test_empty_list_explains_what_will_appear(app, client, login, people):
    owner, _, _ = people
    login(client, owner)
    assert "No notifications yet." in client.get("/notifications/").text


# --- email settings ---------------------------------------------------------------------------------


def test_settings_page_lists_every_email_kind_switched_on_by_default(app, client, login, people):
    owner, _, _ = people
    login(client, owner)
    html = client.get("/notifications/settings").text
    for kind in CORE_EMAIL_KINDS:
        assert re.search(rf'<input id="field-{kind}" name="{kind}" type="checkbox" checked>', html)
    assert "Someone comments on your post" in html


def test_switching_a_kind_off_stops_its_email_and_on_again_restores_it(app, client, login, people, outbox):
    owner, applicant, group = people
    login(client, owner)
    others_on = {kind: "on" for kind in CORE_EMAIL_KINDS if kind != "post_reply"}
    response = client.post("/notifications/settings", data=others_on, follow_redirects=True)
    assert "Your email settings are saved." in response.text
    assert '<input id="field-post_reply" name="post_reply" type="checkbox">' in response.text
    prefs = db.session.scalars(db.select(NotificationPreference)).all()
    assert [(p.kind, p.email_enabled) for p in prefs] == [("post_reply", False)]

    notify(owner, "post_reply", actor=applicant, group=group)
    db.session.commit()
    assert outbox() == []

    client.post("/notifications/settings", data={kind: "on" for kind in CORE_EMAIL_KINDS})
    assert db.session.scalars(db.select(NotificationPreference)).all() == []
    notify(owner, "post_reply", actor=applicant, group=group)
    db.session.commit()
    assert len(outbox()) == 1


def test_settings_page_warns_when_the_address_is_not_confirmed(app, client, login, make_user):
    user = make_user("unconfirmed", email_confirmed_at=None)
    login(client, user)
    assert "Your email address is not confirmed yet" in client.get("/notifications/settings").text


def test_the_important_events_email_the_person_concerned_through_the_real_pages(app, make_user, make_group,
                                                                                 login, outbox):
    """Join request -> the group's staff, approval -> the applicant, reply -> the post's author."""
    owner = make_user("olga", display_name="Olga Owner")
    applicant = make_user("paul", display_name="Paul Applicant")
    make_group(owner=owner, slug="garden-club", name="Garden Club", join_mode="request",
               join_question="What do you grow?")
    owner_client, applicant_client = login(app.test_client(), owner), login(app.test_client(), applicant)

    assert applicant_client.post("/g/garden-club/join", data={"answer": "Tomatoes"}).status_code == 302
    [request_mail] = outbox()
    assert request_mail.to_addr == "olga@example.org" and "Paul Applicant" in request_mail.subject
    assert "Tomatoes" not in request_mail.body_text  # answers stay on the site, for staff only

    request_id = db.session.scalar(db.select(JoinRequest.id))
    assert owner_client.post(f"/g/garden-club/requests/{request_id}/approve").status_code == 302
    approval_mail = outbox()[-1]
    assert approval_mail.to_addr == "paul@example.org" and "Garden Club" in approval_mail.subject

    assert applicant_client.post("/g/garden-club/posts", data={"body": "First harvest!"}).status_code == 302
    post_id = db.session.scalar(db.select(Post.id))
    reply = owner_client.post(f"/g/garden-club/p/{post_id}/comments", data={"body": "Lovely"})
    assert reply.status_code == 302
    reply_mail = outbox()[-1]
    assert reply_mail.to_addr == "paul@example.org" and "Olga Owner" in reply_mail.subject
    assert f"http://localhost/g/garden-club/p/{post_id}" in reply_mail.body_text
    assert len(outbox()) == 3
