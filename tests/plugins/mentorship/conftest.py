"""Mentorship tests: the plugin (and reporting, for blocks) enabled in a small group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.mentorship", "plugins.reporting"]


@pytest.fixture(autouse=True)
def _fresh_suggestion_store():
    """Suggestions are remembered per process; each test starts from an empty store."""
    from plugins.mentorship import suggestion_cache

    suggestion_cache.forget()
    yield
    suggestion_cache.forget()


@dataclass
class Circle:
    group: Any
    owner: Any
    admin: Any
    moderator: Any
    mentor: Any
    mentee: Any
    other: Any
    outsider: Any
    site_admin: Any


@pytest.fixture
def circle(app, make_user, make_group, enable_plugin) -> Circle:
    """Group "parents": owner, admin, moderator, members Mia (mentor), Ben (mentee), Oli; outsiders."""
    owner = make_user("owner", display_name="Olga Owner")
    admin = make_user("admin", display_name="Ada Admin")
    moderator = make_user("mod", display_name="Mo Moderator")
    mentor = make_user("mia", display_name="Mia Mentor")
    mentee = make_user("ben", display_name="Ben Mentee")
    other = make_user("oli", display_name="Oli Other")
    outsider = make_user("zed", display_name="Zed Outsider")
    site_admin = make_user("root", display_name="Site Admin", is_site_admin=True)
    group = make_group(
        owner=owner, slug="parents", members=((admin, "admin"), (moderator, "moderator"), mentor, mentee, other)
    )
    enable_plugin("reporting")
    enable_plugin("mentorship", group)
    return Circle(group, owner, admin, moderator, mentor, mentee, other, outsider, site_admin)


@pytest.fixture
def client_for(app, login):
    def make(user: Any):
        return login(app.test_client(), user)

    return make


SIGNUP = {
    "goals": "Learn to run a small soap business",
    "topics": ["Crafts"],
    "languages": ["en"],
    "time_zone": "Europe/Berlin",
    "availability": ["0-evening", "2-evening"],
    "capacity": "2",
}


@pytest.fixture
def programme(circle):
    """An open skill-development programme in the group."""
    from core.plugin_api import db
    from plugins.mentorship.programmes import create_from_template
    from plugins.mentorship.template_files import shipped_templates

    made = create_from_template(circle.group, circle.owner, shipped_templates()[("skill_development", "en")])
    made.state = "open"
    db.session.commit()
    return made


@pytest.fixture
def sign_up(circle, programme):
    """``sign_up(user, role, **overrides)``: a sign-up made the way the form makes it."""
    from core.plugin_api import db
    from plugins.mentorship.schemas import ProgrammeSignupSchema
    from plugins.mentorship.signups import sign_up as do

    def make(user, role, **overrides):
        values = {**SIGNUP, **overrides}
        data = ProgrammeSignupSchema(topics=programme.topics).load(values)
        signup = do(user, programme, circle.group, role, data)
        db.session.commit()
        return signup

    return make


@pytest.fixture
def pair(circle, programme, sign_up):
    """Mia mentors Ben, paired by the admin."""
    from flask import Flask  # noqa: F401

    from core.plugin_api import db
    from plugins.mentorship.pairing import make_pair

    sign_up(circle.mentor, "mentor")
    sign_up(circle.mentee, "mentee")
    with _request():
        made = make_pair(programme, circle.group, circle.mentor.id, circle.mentee.id)
    db.session.commit()
    return made


def _request():
    from flask import current_app

    return current_app.test_request_context()
