"""Notification and email kinds: declared through hooks, held per app, gone with a disabled plugin."""
from __future__ import annotations

import types

import pytest

from core.extensions import db
from core.models import Notification
from core.notifications.kinds import UnknownKind, registry
from core.notify import notify
from core.plugins import PluginError, PluginMeta
from core.plugins import state as plugin_state
from core.plugins.specs import EmailKind, NotificationKind, hookimpl
from tests.plugins.fixtures import notifier

NOTIFIER = "tests.plugins.fixtures.notifier"
GROUPTAB = "tests.plugins.fixtures.grouptab"


@pytest.fixture
def app_plugins():
    return [NOTIFIER, GROUPTAB]


@pytest.fixture
def reader(make_user):
    return make_user("rita", display_name="Rita Reader")


def throwaway_plugin(plugin_id: str, *, notifications=(), emails=()) -> types.ModuleType:
    """A plugin module declaring the given kinds (by name)."""
    module = types.ModuleType(f"throwaway_{plugin_id}")
    module.META = PluginMeta(id=plugin_id, name=plugin_id.title(), version="1.0.0")

    @hookimpl
    def register_notification_kinds():
        return [NotificationKind(name, lambda note: "text") for name in notifications]

    @hookimpl
    def register_email_kinds():
        return [EmailKind(name, label="label") for name in emails]

    module.register_notification_kinds = register_notification_kinds
    module.register_email_kinds = register_email_kinds
    return module


def listed(client) -> str:
    return client.get("/notifications/").get_data(as_text=True)


# --- declared per app -----------------------------------------------------------------------------


def test_each_app_holds_the_kinds_of_its_own_plugins(app, make_app):
    bare = make_app(plugins=[])
    with bare.app_context():
        assert "notifier_match" not in registry().notification
        assert "post_reply" in registry().notification
    assert registry(app).notification["notifier_match"].plugin_id == "notifier"
    assert registry(app).email["notifier_match"].plugin_id == "notifier"
    assert registry(app).notification["post_reply"].plugin_id == "core"


def test_plugins_declare_kinds_however_often_apps_are_built(app, make_app):
    for _ in range(2):
        other = make_app()
        assert set(registry(other).notification) == set(registry(app).notification)


def test_a_notification_kind_declared_by_two_plugins_stops_start_up_naming_both_and_the_kind(make_app):
    first = throwaway_plugin("echo", notifications=["echo_news"])
    second = throwaway_plugin("shout", notifications=["echo_news"])
    with pytest.raises(PluginError) as failure:
        make_app(plugins=[first, second])
    message = str(failure.value)
    assert "'echo_news'" in message and "'shout'" in message and "'echo'" in message


def test_a_plugin_cannot_take_over_a_core_kind(make_app):
    with pytest.raises(PluginError, match=r"plugin 'echo' declares the notification kind 'post_reply'.*'core'"):
        make_app(plugins=[throwaway_plugin("echo", notifications=["post_reply"])])


def test_an_email_kind_declared_twice_by_one_plugin_stops_start_up(make_app):
    with pytest.raises(PluginError, match=r"plugin 'echo' declares the email kind 'echo_digest'.*itself"):
        make_app(plugins=[throwaway_plugin("echo", emails=["echo_digest", "echo_digest"])])


def test_a_kind_name_that_does_not_fit_the_column_stops_start_up(make_app):
    with pytest.raises(PluginError, match="at most 40 characters"):
        make_app(plugins=[throwaway_plugin("echo", notifications=["echo_" + "x" * 40])])


def test_notify_with_a_kind_nobody_declared_raises(app, reader):
    with pytest.raises(UnknownKind, match="mentorship_match"):
        notify(reader, "mentorship_match", data={"text": "A mentor was found for you."})


# --- rendered when shown ----------------------------------------------------------------------------


def test_a_plugin_notification_reads_as_its_message_with_a_link(app, client, login, reader, enable_plugin):
    enable_plugin("notifier")
    notify(reader, notifier.MATCH, url="/mentorship", data={"mentor": "Mo <Mentor>"})
    db.session.commit()
    html = listed(login(client, reader))
    assert '<a href="/mentorship">A mentor was found for you: Mo &lt;Mentor&gt;.</a>' in html
    api = client.get("/api/v1/notifications").json["items"][0]
    assert api["text"] == "A mentor was found for you: Mo <Mentor>." and api["data"] == {"mentor": "Mo <Mentor>"}


def test_a_message_that_fails_shows_a_neutral_sentence_instead_of_breaking_the_list(app, client, login, reader,
                                                                                     enable_plugin):
    enable_plugin("notifier")
    notify(reader, notifier.BROKEN, url="/broken")
    db.session.commit()
    response = login(client, reader).get("/notifications/")
    assert response.status_code == 200
    assert '<a href="/broken">You have a new notification.</a>' in response.text


# --- disabled means gone ------------------------------------------------------------------------------


@pytest.fixture
def mixed_inbox(app, reader, make_user, make_group, enable_plugin):
    """Two notifications of core, one of the notifier plugin (the newest), all unread."""
    enable_plugin("notifier")
    actor = make_user("anna", display_name="Anna Actor")
    group = make_group(owner=reader, slug="garden", name="Garden")
    notify(reader, "post_reply", actor=actor, group=group, url="/g/garden")
    notify(reader, "invitation", actor=actor, group=group, url="/g/garden/invite")
    notify(reader, notifier.MATCH, url="/mentorship", data={"mentor": "Mo"})
    db.session.commit()
    return group


def test_a_disabled_plugins_notifications_vanish_from_the_list_the_count_and_the_api(app, client, login, reader,
                                                                                        mixed_inbox):
    login(client, reader)
    assert "A mentor was found" in listed(client) and 'aria-label="3 unread"' in listed(client)
    plugin_state.set_enabled("notifier", False)
    html = listed(client)
    assert "A mentor was found" not in html and 'aria-label="2 unread"' in html
    body = client.get("/api/v1/notifications").json
    assert [item["kind"] for item in body["items"]] == ["invitation", "post_reply"]
    assert body["unread_count"] == 2


def test_a_disabled_plugins_notification_cannot_be_marked_read(app, client, login, reader, mixed_inbox):
    hidden = db.session.scalar(db.select(Notification.id).where(Notification.kind == notifier.MATCH))
    plugin_state.set_enabled("notifier", False)
    login(client, reader)
    assert client.post(f"/notifications/{hidden}/read").status_code == 404
    assert client.post(f"/api/v1/notifications/{hidden}/read").status_code == 404


def test_re_enabling_brings_them_back_as_they_were_even_after_mark_all_read(app, client, login, reader, mixed_inbox):
    login(client, reader)
    plugin_state.set_enabled("notifier", False)
    client.post("/notifications/read-all")
    assert 'class="badge" aria-label' not in listed(client)
    plugin_state.set_enabled("notifier", True)
    html = listed(client)
    assert 'aria-label="1 unread"' in html
    assert '<span class="badge">New</span>\n      <a href="/mentorship">A mentor was found for you: Mo.</a>' in html


def test_a_disabled_plugin_creates_no_notification_and_sends_no_mail(app, reader, outbox):
    assert notify(reader, notifier.MATCH, data={"mentor": "Mo"}) is None
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0 and outbox() == []


def test_kinds_of_an_uninstalled_plugin_are_never_shown(app, client, login, reader):
    db.session.add(Notification(user_id=reader.id, kind="gone_plugin_news", data={"text": "Old news"}))
    db.session.commit()
    html = listed(login(client, reader))
    assert "Old news" not in html and "No notifications yet." in html


def test_a_group_plugins_notifications_vanish_in_groups_that_switched_it_off(app, client, login, reader, make_group,
                                                                             enable_plugin):
    on, off = make_group(owner=reader, name="Sunny"), make_group(owner=reader, name="Shady")
    enable_plugin("grouptab", group=on)
    enable_plugin("grouptab", group=off)
    notify(reader, "grouptab_pinned", group=on)
    notify(reader, "grouptab_pinned", group=off)
    db.session.commit()
    plugin_state.set_group_enabled("grouptab", off, False)
    html = listed(login(client, reader))
    assert "A note was pinned in Sunny." in html and "Shady" not in html
    assert 'aria-label="1 unread"' in html


# --- email kinds -------------------------------------------------------------------------------------------


def test_a_plugins_email_kind_is_offered_while_it_is_enabled_with_its_own_default(app, client, login, reader,
                                                                                  enable_plugin):
    login(client, reader)
    assert "A mentor is found for you" not in client.get("/notifications/settings").text
    response = client.put("/api/v1/notifications/preferences", json={"email": {notifier.MATCH: True}})
    assert response.status_code == 422
    enable_plugin("notifier")
    assert '<input id="field-notifier_match" name="notifier_match" type="checkbox">' in client.get(
        "/notifications/settings").text


def test_a_plugins_email_goes_out_only_to_those_who_switched_it_on(app, client, login, reader, make_user, outbox,
                                                                   enable_plugin):
    enable_plugin("notifier")
    other = make_user("otto")
    login(client, reader).put("/api/v1/notifications/preferences", json={"email": {notifier.MATCH: True}})
    notify(reader, notifier.MATCH, url="/mentorship", data={"mentor": "Mo"})
    notify(other, notifier.MATCH, url="/mentorship", data={"mentor": "Mo"})
    db.session.commit()
    [mail] = outbox()
    assert mail.to_addr == reader.email and mail.subject == "A mentor was found for you: Mo."
    assert "http://localhost/mentorship" in mail.body_text
    assert "http://localhost/notifications/settings#kind-notifier_match" in mail.body_text
