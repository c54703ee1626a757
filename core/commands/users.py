"""`flask users` commands: create a site admin from the shell (first install, lost access)."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from marshmallow import ValidationError

from core.extensions import db

cli = AppGroup("users", help="Manage user accounts.")


@cli.command("create-admin")
@click.option("--email", required=True, help="Email address of the new admin.")
@click.option("--username", required=True, help="3-32 characters: a-z, 0-9 and _.")
@click.option("--display-name", required=True, help="Name shown to others.")
@click.option("--password", help="Leave out to be asked (twice, hidden).")
@click.option("--locale", default="en", show_default=True, help="Language: en or de.")
def create_admin(email: str, username: str, display_name: str, password: str | None, locale: str) -> None:
    """Create a confirmed site-admin account (the same rules as sign-up apply)."""
    from flask_babel import force_locale

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with force_locale("en"):
        _create(email, username, display_name, password, locale)


def _create(email: str, username: str, display_name: str, password: str, locale: str) -> None:
    from core.auth import accounts
    from core.schemas.users import SignupSchema

    raw = {"email": email, "username": username, "display_name": display_name, "password": password,
           "locale": locale, "adult": True}
    try:
        data = SignupSchema(allow_reserved=True).load(raw)
    except ValidationError as err:
        for field, messages in sorted(err.messages.items()):
            for message in messages if isinstance(messages, list) else [messages]:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from None
    try:
        user = accounts.register(data, confirmed=True, site_admin=True)
    except accounts.SignupConflict as conflict:
        click.echo(f"{conflict.field}: {accounts.conflict_message(conflict.field)}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"Site admin {user.username} <{user.email}> created.")
