"""Creating a group and editing its settings through the web pages."""
from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Group, Membership


def _form(**overrides):
    data = {
        "slug": "book-club", "name": "Book Club", "description": "We read together.",
        "rules": "Be kind\nNo spoilers", "visibility": "public", "join_mode": "open", "join_question": "",
    }
    data.update(overrides)
    return data


def test_member_creates_group_and_becomes_owner(member_client, member):
    response = member_client.post("/g/new", data=_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/g/book-club")
    group = db.session.scalar(db.select(Group).where(Group.slug == "book-club"))
    assert group.name == "Book Club"
    assert group.rules == ["Be kind", "No spoilers"]
    assert group.member_count == 1
    owner = db.session.scalar(db.select(Membership).where(Membership.group_id == group.id))
    assert (owner.user_id, owner.role) == (member.id, "owner")
    page = member_client.get("/g/book-club")
    assert "Book Club" in page.text and "No spoilers" in page.text


def test_create_form_is_offered_with_every_field(member_client):
    page = member_client.get("/g/new")
    assert page.status_code == 200
    for name in ("slug", "name", "description", "rules", "visibility", "join_mode", "join_question"):
        assert f'name="{name}"' in page.text
    assert 'for="field-slug"' in page.text


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/g/new")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_unconfirmed_account_cannot_create_group(make_user, login, client):
    user = make_user("newbie", email_confirmed_at=None)
    login(client, user)
    response = client.post("/g/new", data=_form())
    assert response.status_code == 403
    assert "Confirm your email" in response.text
    assert db.session.scalar(db.select(Group.id)) is None


def test_missing_name_is_reported_at_the_field_and_values_kept(member_client):
    response = member_client.post("/g/new", data=_form(name=""))
    assert response.status_code == 422
    assert 'id="name-error"' in response.text
    assert "This field is required." in response.text
    assert 'value="book-club"' in response.text
    assert "No spoilers" in response.text
    assert db.session.scalar(db.select(Group.id)) is None


def test_overlong_name_and_description_are_refused(member_client):
    response = member_client.post("/g/new", data=_form(name="n" * 101, description="d" * 2001))
    assert response.status_code == 422
    assert 'id="name-error"' in response.text and 'id="description-error"' in response.text
    assert "at most 100 characters" in response.text


def test_duplicate_slug_is_reported_at_the_slug_field(member_client, make_group):
    make_group(slug="book-club")
    response = member_client.post("/g/new", data=_form())
    assert response.status_code == 422
    assert 'id="slug-error"' in response.text
    assert "already taken" in response.text
    assert db.session.scalar(db.select(db.func.count(Group.id))) == 1


@pytest.mark.parametrize("slug", ["ab", "Has Space", "under_score", "-leading", "trailing-", "x" * 65, "new",
                                  "invitations"])
def test_bad_or_reserved_slugs_are_refused(member_client, slug):
    response = member_client.post("/g/new", data=_form(slug=slug))
    assert response.status_code == 422
    assert 'id="slug-error"' in response.text


def test_capitals_in_slug_are_lowered(member_client):
    response = member_client.post("/g/new", data=_form(slug="Book-Club"))
    assert response.status_code == 302
    assert db.session.scalar(db.select(Group.slug)) == "book-club"


def test_more_than_ten_rules_are_refused(member_client):
    rules = "\n".join(f"Rule {n}" for n in range(11))
    response = member_client.post("/g/new", data=_form(rules=rules))
    assert response.status_code == 422
    assert 'id="rules-error"' in response.text
    assert "At most 10 rules" in response.text
    assert "Rule 10" in response.text  # what was typed is kept


def test_overlong_rule_is_named_by_number(member_client):
    response = member_client.post("/g/new", data=_form(rules="Fine\n" + "x" * 201))
    assert response.status_code == 422
    assert "Rule 2 is longer than 200 characters" in response.text


def test_blank_rule_lines_are_ignored(member_client):
    member_client.post("/g/new", data=_form(rules="One\n\n   \nTwo\n"))
    assert db.session.scalar(db.select(Group.rules)) == ["One", "Two"]


def test_by_request_group_needs_a_join_question(member_client):
    response = member_client.post("/g/new", data=_form(join_mode="request", join_question=""))
    assert response.status_code == 422
    assert 'id="join_question-error"' in response.text
    assert "need a question" in response.text


def test_join_question_is_limited_to_300_characters(member_client):
    response = member_client.post("/g/new", data=_form(join_mode="request", join_question="q" * 301))
    assert response.status_code == 422
    assert 'id="join_question-error"' in response.text


def test_unknown_visibility_is_refused(member_client):
    response = member_client.post("/g/new", data=_form(visibility="secret"))
    assert response.status_code == 422
    assert 'id="visibility-error"' in response.text


def test_private_by_request_group_is_created(member_client):
    response = member_client.post("/g/new", data=_form(visibility="private", join_mode="request",
                                                          join_question="Why do you want to join?"))
    assert response.status_code == 302
    group = db.session.scalar(db.select(Group))
    assert (group.visibility, group.join_mode, group.join_question) == ("private", "request",
                                                                         "Why do you want to join?")


@pytest.mark.plugins("tests.core.group_hooks_plugin")
def test_group_created_hook_is_called(member_client, enable_plugin):
    from tests.core import group_hooks_plugin

    enable_plugin("group_hooks")
    group_hooks_plugin.EVENTS.clear()
    member_client.post("/g/new", data=_form())
    assert ("group_created", "book-club", "member") in group_hooks_plugin.EVENTS


# --- settings ------------------------------------------------------------------------------------


def test_owner_edits_settings(client, login, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="club")
    login(client, owner)
    page = client.get("/g/club/settings")
    assert page.status_code == 200
    response = client.post("/g/club/settings", data={
        "name": "Club renamed", "description": "New text", "rules": "Only rule", "visibility": "private",
        "join_mode": "request", "join_question": "Who are you?",
    })
    assert response.status_code == 302
    group = db.session.scalar(db.select(Group).where(Group.slug == "club"))
    assert (group.name, group.rules, group.visibility, group.join_question) == (
        "Club renamed", ["Only rule"], "private", "Who are you?")


def test_settings_page_shows_current_values_and_plugin_slot(client, login, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="club", rules=["First", "Second"], description="About us")
    login(client, owner)
    page = client.get("/g/club/settings")
    assert "First\nSecond" in page.text
    assert "About us" in page.text


def test_settings_errors_keep_what_was_typed(client, login, make_user, make_group):
    owner = make_user("owner")
    make_group(owner=owner, slug="club")
    login(client, owner)
    response = client.post("/g/club/settings", data={
        "name": "Typed name", "description": "", "rules": "", "visibility": "public", "join_mode": "request",
        "join_question": "",
    })
    assert response.status_code == 422
    assert 'id="join_question-error"' in response.text
    assert 'value="Typed name"' in response.text
    assert db.session.scalar(db.select(Group.name)) != "Typed name"


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_settings_are_for_admins_only(client, login, make_user, make_group, role):
    person = make_user("person")
    make_group(slug="club", members=[(person, role)])
    login(client, person)
    assert client.get("/g/club/settings").status_code == 404
    assert client.post("/g/club/settings", data={"name": "Hijacked"}).status_code == 404
    assert db.session.scalar(db.select(Group.name)) != "Hijacked"


def test_admin_may_edit_settings(client, login, make_user, make_group):
    admin = make_user("admin1")
    make_group(slug="club", members=[(admin, "admin")])
    login(client, admin)
    assert client.get("/g/club/settings").status_code == 200
