"""Reporting tests run with the plugin installed and enabled; a small community to work with."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.reporting"]


@pytest.fixture(autouse=True)
def reporting_enabled(app, enable_plugin) -> None:
    enable_plugin("reporting")


@dataclass
class Community:
    group: Any
    owner: Any
    moderator: Any
    moderator2: Any
    alice: Any
    bob: Any
    carol: Any
    post: Any
    comment: Any


@pytest.fixture
def community(make_user, make_group, make_post, make_comment) -> Community:
    """A public group: owner, two moderators, members alice, bob and carol; bob posted, carol commented."""
    owner = make_user("owner", display_name="Olga Owner")
    moderator = make_user("mod", display_name="Mona Moderator")
    moderator2 = make_user("mod2", display_name="Max Moderator")
    alice = make_user("alice", display_name="Alice Reporter", email="alice.reporter@example.org")
    bob = make_user("bob", display_name="Bob Author")
    carol = make_user("carol", display_name="Carol Member")
    group = make_group(owner=owner, slug="garden", members=((moderator, "moderator"), (moderator2, "moderator"),
                                                            alice, bob, carol),
                       rules=["Be kind", "No advertising"])
    post = make_post(group, bob, "Bob's **post** about tomatoes")
    comment = make_comment(post, carol, "Carol's thoughtful reply")
    return Community(group, owner, moderator, moderator2, alice, bob, carol, post, comment)


@pytest.fixture
def client_for(app, login):
    """``client_for(user)``: a test client logged in as ``user``."""

    def make(user: Any):
        return login(app.test_client(), user)

    return make
