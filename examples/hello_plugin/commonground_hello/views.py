"""The greeting wall: the newest greetings, a form to leave one, and taking one back."""
from __future__ import annotations

from core.plugin_api import db, load_form, not_hidden
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager

from commonground_hello.models import MESSAGE_MAX_LENGTH, Greeting
from commonground_hello.permissions import can_delete_greeting, can_greet
from commonground_hello.schemas import GreetingSchema
from commonground_hello.settings import hello_settings

bp = Blueprint("hello", __name__, url_prefix="/hello", template_folder="templates")


def _wall(values: dict | None = None, errors: dict | None = None, status: int = 200):
    """The newest greetings with their authors in one query, people hidden from the viewer left out."""
    settings = hello_settings()
    greetings = db.session.scalars(
        db.select(Greeting)
        .join(Greeting.author)
        .options(contains_eager(Greeting.author))
        .where(not_hidden(Greeting.author_id, current_user))
        .order_by(Greeting.created_at.desc(), Greeting.id.desc())
        .limit(settings["max_greetings"])
    ).all()
    return render_template(
        "hello/wall.html",
        greetings=greetings,
        headline=settings["headline"],
        may_greet=can_greet(current_user),
        can_delete=can_delete_greeting,
        max_length=MESSAGE_MAX_LENGTH,
        values=values or {},
        errors=errors or {},
    ), status


@bp.get("/")
def wall():
    return _wall()


@bp.post("/")
@login_required
def greet():
    if not can_greet(current_user):
        abort(403)
    data, errors, values = load_form(GreetingSchema(), request.form)
    if errors:
        return _wall(values, errors, status=400)
    db.session.add(Greeting(author_id=current_user.id, message=data["message"]))
    db.session.commit()
    flash(_("Thanks for saying hello!"), "success")
    return redirect(url_for("hello.wall"))


@bp.post("/<int:greeting_id>/delete")
@login_required
def delete(greeting_id: int):
    greeting = db.session.get(Greeting, greeting_id)
    if greeting is None or not can_delete_greeting(current_user, greeting):
        abort(404)
    db.session.delete(greeting)
    db.session.commit()
    flash(_("The greeting was removed."), "success")
    return redirect(url_for("hello.wall"))
