"""Hello: a greeting wall where members leave a short hello for everyone.

A complete, small third-party plugin for Common Ground, shipped as its own distribution
(``commonground-hello``, entry point ``hello`` in group ``commonground.plugins``). It shows
every part of the plugin contract a feature usually needs: a model with its own migration
branch, a page, a navigation item, a template slot, a settings schema and the privacy hooks.
"""
from __future__ import annotations

from core.plugin_api import NavItem, PluginMeta, db, hookimpl
from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from commonground_hello.models import Greeting
from commonground_hello.settings import hello_settings

META = PluginMeta(
    id="hello",
    name="Hello",
    version="0.1.0",
    description="A greeting wall where members leave a short hello for everyone.",
    scope="site",
)


@hookimpl
def register_blueprints(app):
    from commonground_hello import views

    return [views.bp]


@hookimpl
def settings_schema():
    from commonground_hello.schemas import HelloSettings

    return HelloSettings


@hookimpl
def nav_items(user):
    return [NavItem(label=_l("Greetings"), endpoint="hello.wall", order=60)]


@hookimpl
def template_slot(name, context):
    if name != "footer":
        return None
    return render_template("hello/footer_link.html", url=url_for("hello.wall"), headline=hello_settings()["headline"])


@hookimpl
def export_user_data(user):
    greetings = db.session.scalars(
        db.select(Greeting).where(Greeting.author_id == user.id).order_by(Greeting.created_at, Greeting.id)
    )
    return {"greetings": [{"message": g.message, "created_at": g.created_at.isoformat()} for g in greetings]}


@hookimpl
def erase_user_data(user):
    db.session.execute(db.delete(Greeting).where(Greeting.author_id == user.id))
