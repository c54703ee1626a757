"""Erasure is all or nothing; an export names the parts it could not include (issue 8, point 10).

Two throwaway plugins: ``sweeper`` erases its part first (here: it deletes the member's posts),
then ``faulty`` fails. Deleting the account must then delete nothing at all – not even what
``sweeper`` already removed –, tell the member clearly, and alert the site admins.
"""
from __future__ import annotations

import logging
import types

import pytest
from sqlalchemy import delete

from core.extensions import db
from core.models import Membership, Notification, Post, User
from core.plugins import PluginMeta
from core.plugins import state as plugin_state
from core.plugins.specs import hookimpl

PASSWORD = "correct horse battery"


class EraseFailure(RuntimeError):
    pass


def _plugin(plugin_id: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(f"privacy_{plugin_id}")
    module.META = PluginMeta(id=plugin_id, name=plugin_id.title(), version="1")
    for name, function in hooks.items():
        setattr(module, name, hookimpl(function))
    return module


def _sweep(user):
    db.session.execute(delete(Post).where(Post.author_id == user.id))


def _fail_erasing(user):
    raise EraseFailure("the faulty plugin's table is locked")


def _export_sweeper(user):
    return {"swept": True}


def _fail_exporting(user):
    raise EraseFailure("the faulty plugin cannot read its table")


SWEEPER = _plugin("sweeper", erase_user_data=_sweep, export_user_data=_export_sweeper)
FAULTY = _plugin("faulty", erase_user_data=_fail_erasing, export_user_data=_fail_exporting)
pytestmark = pytest.mark.plugins(SWEEPER, FAULTY)


@pytest.fixture
def scene(member, make_user, make_group, make_post):
    group = make_group(slug="garden", owner=make_user("owner"), members=(member,))
    make_post(group, member, "Mine, and it stays")
    return {"group": group, "admin": make_user("admin", is_site_admin=True),
            "other_admin": make_user("admin2", is_site_admin=True)}


def nothing_was_deleted(member) -> None:
    db.session.expire_all()
    assert db.session.get(User, member.id) is not None
    assert db.session.scalar(db.select(Post.body_source).where(Post.author_id == member.id)) == "Mine, and it stays"
    assert db.session.scalar(db.select(db.func.count(Membership.id)).where(Membership.user_id == member.id)) == 1


def test_api_delete_me_deletes_nothing_when_a_plugin_cannot_erase(scene, member, member_client):
    response = member_client.delete("/api/v1/me", json={"password": PASSWORD})
    assert response.status_code == 503
    body = response.get_json()
    assert "“Faulty” could not erase" in body["message"] and "Nothing was deleted" in body["message"]
    nothing_was_deleted(member)  # not even the posts the sweeper had already removed
    assert member_client.get("/api/v1/me").status_code == 200  # still logged in: nothing happened


def test_the_settings_page_deletes_nothing_and_says_why(scene, member, member_client):
    response = member_client.post("/settings/data", data={"password": PASSWORD})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "“Faulty” could not erase its part of your data. Nothing was deleted." in page
    assert 'role="alert"' in page
    nothing_was_deleted(member)


def test_site_admins_are_alerted_in_the_log_and_by_a_notification(scene, member_client, login, app, caplog):
    with caplog.at_level(logging.ERROR):
        member_client.delete("/api/v1/me", json={"password": PASSWORD})
    assert any(r.levelno == logging.ERROR and "plugin faulty failed in hook erase_user_data" in r.getMessage()
               for r in caplog.records)
    assert any(r.levelno == logging.ERROR and "account deletion undone: plugin faulty" in r.getMessage()
               for r in caplog.records)
    alerted = db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "erasure_failed")).all()
    assert sorted(alerted) == sorted([scene["admin"].id, scene["other_admin"].id])
    inbox = login(app.test_client(), scene["admin"]).get("/notifications/").get_data(as_text=True)
    assert "the feature <strong>Faulty</strong> failed to erase its part, so nothing was deleted" in inbox


def test_a_disabled_plugin_that_cannot_erase_still_stops_the_deletion(scene, member, member_client):
    plugin_state.set_enabled("faulty", False)  # disabled plugins keep data, so they take part in erasure
    assert member_client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 503
    nothing_was_deleted(member)


@pytest.mark.plugins(SWEEPER)
def test_without_the_faulty_plugin_the_account_is_deleted(scene, member, member_client):
    assert member_client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    db.session.expire_all()
    assert db.session.get(User, member.id) is None


def test_api_export_names_the_part_it_could_not_include(scene, member, member_client):
    body = member_client.get("/api/v1/me/export").get_json()
    assert body["incomplete"] == [{"plugin": "faulty", "name": "Faulty"}]
    assert body["plugins"] == {"sweeper": {"swept": True}}
    assert body["account"]["username"] == "member"


def test_export_page_says_which_part_is_missing_and_offers_the_rest(scene, member_client):
    response = member_client.get("/settings/data/export")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "could not be included right now: Faulty." in page
    assert 'href="/settings/data/export?partial=1"' in page
    partial = member_client.get("/settings/data/export?partial=1")
    assert "attachment" in partial.headers["Content-Disposition"]
    assert partial.json["incomplete"] == [{"plugin": "faulty", "name": "Faulty"}]
    assert partial.json["plugins"] == {"sweeper": {"swept": True}}


@pytest.mark.plugins(SWEEPER)
def test_a_complete_export_has_an_empty_incomplete_list_and_downloads_at_once(scene, member_client):
    response = member_client.get("/settings/data/export")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.json["incomplete"] == []
    assert member_client.get("/api/v1/me/export").get_json()["incomplete"] == []
