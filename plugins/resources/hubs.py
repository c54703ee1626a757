"""Creating and changing hubs, topics and partner organisations: one place for the pages and the API.

Each function takes validated data (``schemas``) and the names of the fields the caller sent
(``sent``; None means all, as from a form), so a partial API update changes only those.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.plugin_api import db
from plugins.resources.models import Hub, Partner, Topic
from plugins.resources.slugs import slugify, unique_slug

LOCALIZED = ("title", "intro")


def _texts(data: dict, name: str, before: dict | None = None, sent: Iterable[str] | None = None) -> dict:
    """``{"en": ..., "de": ...}`` from ``<name>_en``/``<name>_de``; unsent languages keep ``before``'s text."""
    texts = dict(before or {})
    for code in ("en", "de"):
        key = f"{name}_{code}"
        if sent is not None and key not in sent:
            continue
        if data.get(key):
            texts[code] = data[key]
        else:
            texts.pop(code, None)
    return texts


def create_hub(data: dict[str, Any], group_id: int | None) -> Hub:
    hub = Hub(slug=unique_slug(Hub, data["title_en"]), group_id=group_id, title=_texts(data, "title"),
              intro=_texts(data, "intro"))
    db.session.add(hub)
    db.session.flush()
    return hub


def update_hub(hub: Hub, data: dict[str, Any], sent: Iterable[str] | None = None) -> None:
    """New names and introductions; the address (slug) stays, so links keep working."""
    hub.title = _texts(data, "title", hub.title, sent)
    hub.intro = _texts(data, "intro", hub.intro, sent)


def create_topic(hub: Hub, data: dict[str, Any]) -> Topic:
    taken = set(db.session.scalars(db.select(Topic.slug).where(Topic.hub_id == hub.id)))
    base = slugify(data["title_en"])
    slug = next(candidate for candidate in (base if n == 1 else f"{base}-{n}" for n in range(1, len(taken) + 2))
                if candidate not in taken)
    topic = Topic(hub_id=hub.id, slug=slug, name=_texts(data, "title"), description=_texts(data, "intro"),
                  helpline_topic=data.get("helpline_topic"), position=len(taken))
    db.session.add(topic)
    db.session.flush()
    return topic


def update_topic(topic: Topic, data: dict[str, Any], sent: Iterable[str] | None = None) -> None:
    topic.name = _texts(data, "title", topic.name, sent)
    topic.description = _texts(data, "intro", topic.description, sent)
    if sent is None or "helpline_topic" in sent:
        topic.helpline_topic = data.get("helpline_topic")


def save_partner(partner: Partner | None, data: dict[str, Any], sent: Iterable[str] | None = None,
                 verified: bool | None = None) -> Partner:
    """Create (``partner`` None) or change a partner organisation; ``verified`` only from a site admin."""
    if partner is None:
        partner = Partner(slug=unique_slug(Partner, data["name"]), name=data["name"])
        db.session.add(partner)
    for name in ("name", "description", "link", "languages"):
        if sent is None or name in sent:
            setattr(partner, name, data[name])
    if sent is None or "country" in sent:
        partner.country = data["country"].upper() if data.get("country") else None
    if verified is not None:
        partner.verified = verified
    db.session.flush()
    return partner
