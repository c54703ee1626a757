"""Events as content other features act on: reporting (``content_types``) and search.

Both describe an event with the group it belongs to. Core does the rest: an event is found,
reported or shown only where events are switched on for its group, and a private group's
events only to its members.
"""
from __future__ import annotations

from typing import Any

from core.plugin_api import (
    ContentType,
    Group,
    SearchDocument,
    SearchSource,
    can_view_group_content,
    db,
    is_hidden_from,
)
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import true

from commonground_events.models import Event

CONTENT_TYPE = "events_event"
"""The name reports and search results use for an event (content types and search sources share it)."""


def event_url(event: Event) -> str:
    return url_for("events.show", slug=db.session.get(Group, event.group_id).slug, event_id=event.id)


def visible_to(event: Event, user: Any) -> bool:
    """Whoever may see the group's content, unless the event's author is hidden from them."""
    group = db.session.get(Group, event.group_id)
    if group is None or not can_view_group_content(user, group):
        return False
    return not is_hidden_from(user, event.created_by_id)


def snapshot(event: Event) -> str:
    """The plain text a report keeps as evidence."""
    return "\n".join(part for part in (event.title, event.location, event.description) if part)


def content_type() -> ContentType:
    return ContentType(
        name=CONTENT_TYPE, label=_l("Event"),
        load=lambda event_id: db.session.get(Event, event_id),
        visible_to=visible_to,
        author_id=lambda event: event.created_by_id,
        group_id=lambda event: event.group_id,
        snapshot=snapshot,
        url=event_url,
        delete=lambda event: db.session.delete(event),
    )


def document(event: Event) -> SearchDocument:
    return SearchDocument(object_id=event.id, title=event.title,
                          body="\n".join(filter(None, (event.location, event.description))),
                          group_id=event.group_id, author_id=event.created_by_id, created_at=event.created_at)


def search_source() -> SearchSource:
    return SearchSource(
        name=CONTENT_TYPE, label=_l("Events"), item_label=_l("Event"), model=Event, document=document,
        visible=lambda viewer, entries: true(),  # core's rules (group, people hidden, plugin on) are all
        url=lambda hit: url_for("events.show", slug=hit.group_slug, event_id=hit.object_id),
        watch=("title", "location", "description"),
    )
