"""`flask users create-admin`."""
from __future__ import annotations

from core.extensions import db
from core.models import User

STRONG = "quiet harbour lamps 7"


def admin_named(username):
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.username == username))


def test_create_admin_with_password_option(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create-admin", "--email", "Boss@Example.org", "--username", "boss",
        "--display-name", "The Boss", "--password", STRONG])
    assert result.exit_code == 0, result.output
    user = admin_named("boss")
    assert user.is_site_admin and user.email_confirmed and user.adult_attested_at
    assert user.email == "boss@example.org" and user.check_password(STRONG)


def test_create_admin_prompts_for_password_twice(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", "a@example.org", "--username", "admin", "--display-name", "Admin"],
        input=f"{STRONG}\n{STRONG}\n",
    )
    assert result.exit_code == 0, result.output
    assert admin_named("admin").check_password(STRONG)  # reserved names are fine for the operator


def test_create_admin_prompt_repeats_on_mismatch(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--email", "a@example.org", "--username", "boss", "--display-name", "B"],
        input=f"{STRONG}\nsomething else\n{STRONG}\n{STRONG}\n",
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output.lower() or "don't match" in result.output.lower()


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create-admin", "--email", "a@example.org", "--username", "boss", "--display-name", "B",
        "--password", "password1"])
    assert result.exit_code == 1
    assert "password:" in result.output
    assert admin_named("boss") is None


def test_create_admin_refuses_a_taken_email(app, make_user):
    make_user("someone", email="a@example.org")
    result = app.test_cli_runner().invoke(args=[
        "users", "create-admin", "--email", "a@example.org", "--username", "boss", "--display-name", "B",
        "--password", STRONG])
    assert result.exit_code == 1
    assert "email:" in result.output and "already exists" in result.output
    assert admin_named("boss") is None
