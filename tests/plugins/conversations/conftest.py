"""Conversations tests run with the plugin (and reporting, for blocks and reports) enabled."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.conversations", "plugins.reporting"]


@pytest.fixture(autouse=True)
def plugins_enabled(app, enable_plugin) -> None:
    enable_plugin("conversations")
    enable_plugin("reporting")


@dataclass
class People:
    group: Any
    owner: Any
    moderator: Any
    alice: Any
    bob: Any
    carol: Any
    stranger: Any
    other_group: Any
    other_moderator: Any
    admin: Any


@pytest.fixture
def people(make_user, make_group) -> People:
    """A group (owner, moderator, alice, bob, carol); a stranger; another group's moderator; a site admin."""
    owner = make_user("owner", display_name="Olga Owner")
    moderator = make_user("mod", display_name="Mona Moderator")
    alice = make_user("alice", display_name="Alice A")
    bob = make_user("bob", display_name="Bob B")
    carol = make_user("carol", display_name="Carol C")
    stranger = make_user("stranger", display_name="Sam Stranger")
    other_moderator = make_user("othermod", display_name="Otto Othermod")
    admin = make_user("admin", display_name="Ada Admin", is_site_admin=True)
    group = make_group(owner=owner, slug="garden", members=((moderator, "moderator"), alice, bob, carol))
    other = make_group(owner=make_user("otherowner"), slug="kitchen", members=((other_moderator, "moderator"),))
    return People(group, owner, moderator, alice, bob, carol, stranger, other, other_moderator, admin)


@pytest.fixture
def client_for(app, login):
    def make(user: Any):
        return login(app.test_client(), user)

    return make


@pytest.fixture
def send(client_for):
    """``send(sender, "bob, carol", "text")``: start a conversation through the form; returns the response."""

    def go(sender: Any, recipients: str, body: str, subject: str = "", client=None):
        c = client or client_for(sender)
        return c.post("/messages/new", data={"recipients": recipients, "body": body, "subject": subject})

    return go
