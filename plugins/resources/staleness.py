"""Review-by dates: a daily job tells a hub's editors once about each resource that is overdue."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.plugin_api import NotificationKind, User, db, notify_many, utcnow
from plugins.resources.models import Hub, HubRole, Resource, ResourceText, Revision

STALE_JOB = "resources.flag_stale"
STALE_KIND = "resources_stale"


def _stale_message(note) -> Markup:
    return Markup(_("“%(title)s” is due for review (review by %(date)s).",
                    title=escape(note.data.get("title", "")), date=note.data.get("review_by", "")))


def notification_kinds() -> list[NotificationKind]:
    return [NotificationKind(STALE_KIND, _stale_message)]


def editors_of(hub: Hub) -> list[User]:
    """The hub's editors and owners by role; for a site hub without any, the site admins."""
    people = list(db.session.scalars(db.select(User).join(HubRole, HubRole.user_id == User.id)
                                     .where(HubRole.hub_id == hub.id)))
    if not people and hub.group_id is None:
        people = list(db.session.scalars(db.select(User).where(User.is_site_admin.is_(True))))
    return people


def flag_stale(today: date | None = None) -> int:
    """Notify editors of each resource past its review-by date, once per date; returns how many were flagged.

    Idempotent: ``stale_notified_for`` records the date editors were told about, so a second run
    (or a second worker) finds nothing new; a new review-by date starts over.
    """
    today = today or utcnow().date()
    overdue = db.session.execute(
        db.select(Resource, Hub, Revision.title)
        .join(Hub, Hub.id == Resource.hub_id)
        .join(ResourceText, (ResourceText.resource_id == Resource.id) & ResourceText.is_original.is_(True))
        .join(Revision, Revision.id == ResourceText.latest_revision_id)
        .where(Resource.review_by.is_not(None), Resource.review_by < today,
               (Resource.stale_notified_for.is_(None)) | (Resource.stale_notified_for != Resource.review_by))
        .with_for_update(of=Resource, skip_locked=True)
    ).all()
    for resource, hub, title in overdue:
        url = url_for("resources.resource", hub=hub.slug, resource_id=resource.id)
        notify_many(editors_of(hub), STALE_KIND, url=url, bypass_policy=True,
                    data={"title": title, "review_by": resource.review_by.isoformat(), "resource_id": resource.id})
        resource.stale_notified_for = resource.review_by
    db.session.commit()
    return len(overdue)
