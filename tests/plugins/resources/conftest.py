"""Resource-hub tests: the resources plugin and the help center, both enabled; a hub with topics and two editors."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def app_plugins() -> list[str]:
    return ["plugins.resources", "plugins.helpcenter"]


@pytest.fixture
def app(app, enable_plugin):
    enable_plugin("helpcenter")
    enable_plugin("resources")
    return app


@pytest.fixture
def hub(app):
    """A site-wide hub with two topics (``grief`` maps to the helpline topic "grief")."""
    from core.extensions import db
    from plugins.resources.models import Hub, Topic

    hub = Hub(slug="wellbeing", title={"en": "Wellbeing", "de": "Wohlbefinden"}, intro={"en": "Help by topic."})
    db.session.add(hub)
    db.session.flush()
    db.session.add_all([
        Topic(hub_id=hub.id, slug="grief", name={"en": "Loss and grief", "de": "Verlust und Trauer"},
              helpline_topic="grief", position=0),
        Topic(hub_id=hub.id, slug="money", name={"en": "Financial stress", "de": "Finanzielle Sorgen"}, position=1),
    ])
    db.session.commit()
    return hub


@pytest.fixture
def topic(hub):
    from core.extensions import db
    from plugins.resources.models import Topic

    return db.session.scalar(db.select(Topic).where(Topic.hub_id == hub.id, Topic.slug == "grief"))


@pytest.fixture
def make_editor(hub, make_user) -> Callable[..., Any]:
    from core.extensions import db
    from plugins.resources.models import HubRole

    def factory(username: str, role: str = "editor") -> Any:
        user = make_user(username)
        db.session.add(HubRole(hub_id=hub.id, user_id=user.id, role=role))
        db.session.commit()
        return user

    return factory


@pytest.fixture
def writer(make_editor):
    return make_editor("writer")


@pytest.fixture
def reviewer(make_editor):
    return make_editor("reviewer")


@pytest.fixture
def make_resource(hub, topic, writer, reviewer) -> Callable[..., Any]:
    """``make_resource(title=..., body=..., published=True, **facts)``: by ``writer``, published by ``reviewer``."""
    from core.extensions import db
    from plugins.resources.editing import create_resource, publish
    from plugins.resources.models import ResourceText, Revision

    def factory(title: str = "Coping with grief", body: str = "Talk to someone.", published: bool = True,
                **facts: Any) -> Any:
        data = {"title": title, "summary": facts.pop("summary", "A short guide."), "body": body, "audience": "",
                "note": "", "topic_id": facts.pop("topic_id", topic.id), "kind": facts.pop("kind", "article"),
                "language": facts.pop("language", "en"), "partner_id": facts.pop("partner_id", None),
                "link": facts.pop("link", None), "review_by": facts.pop("review_by", None)}
        resource = create_resource(hub.id, data, writer.id)
        if published:
            text = db.session.scalar(db.select(ResourceText).where(ResourceText.resource_id == resource.id))
            publish(db.session.get(Revision, text.latest_revision_id), reviewer.id)
        db.session.commit()
        return resource

    return factory


@pytest.fixture
def translate(writer, reviewer) -> Callable[..., Any]:
    """``translate(resource, "de", title=..., body=..., published=True)``."""
    from core.extensions import db
    from plugins.resources.editing import publish, save_text, text_for

    def do(resource: Any, locale: str, title: str, body: str = "", published: bool = True) -> Any:
        text = text_for(resource, locale)
        revision = save_text(text, {"title": title, "summary": "", "body": body, "audience": "", "note": "",
                                    "version": text.version}, writer.id)
        if published:
            publish(revision, reviewer.id)
        db.session.commit()
        return revision

    return do
