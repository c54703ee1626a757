"""`flask seed`: demo data, once. ``make run`` calls it on every start; it is idempotent."""
from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from core.extensions import db


@click.command("seed", help="Add demo data to an empty database (does nothing otherwise).")
@with_appcontext
def cli() -> None:
    from core.markdown import render_markdown
    from core.models import Group, Membership, Post, User
    from core.models.base import utcnow
    from core.plugins import get_plugins

    if db.session.scalar(db.select(db.func.count(User.id))):
        click.echo("Demo data already present; nothing to do.")
        return
    password = secrets.token_urlsafe(12)
    now = utcnow()
    admin = User(email="admin@example.org", username="admin", display_name="Demo Admin", locale="en",
                 adult_attested_at=now, email_confirmed_at=now, is_site_admin=True)
    admin.set_password(password)
    member = User(email="sam@example.org", username="sam", display_name="Sam Member", locale="de",
                  adult_attested_at=now, email_confirmed_at=now)
    member.set_password(password)
    db.session.add_all([admin, member])
    db.session.flush()
    group = Group(slug="neighbours", name="Neighbours helping neighbours", created_by_id=admin.id,
                  description="A friendly public group to try Common Ground.",
                  rules=["Be kind.", "No advertising.", "Keep private matters private."], member_count=2)
    db.session.add(group)
    db.session.flush()
    db.session.add_all([
        Membership(group_id=group.id, user_id=admin.id, role="owner"),
        Membership(group_id=group.id, user_id=member.id, role="member"),
    ])
    body = "Welcome! Introduce yourself and say what you would like help with."
    db.session.add(Post(group_id=group.id, author_id=admin.id, body_source=body, body_html=render_markdown(body)))
    db.session.flush()
    get_plugins().call("seed_demo", app=current_app._get_current_object())
    db.session.commit()
    click.echo("Demo data created.")
    click.echo(f"  Site admin:  admin@example.org  /  {password}")
    click.echo(f"  Member:      sam@example.org    /  {password}")
