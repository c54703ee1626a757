"""Resource hubs: hubs -> topics -> resources, partner organisations, revisions, weekly counters.

A resource's words live in revisions, one chain per locale (``Text``): the original's locale
is the resource's ``language``, translations are further ``Text`` rows. A ``Text`` points at
its published revision (what readers see) and carries a ``version`` that every save bumps, so
two editors saving the same text at once are told (optimistic locking). Reading and voting
leave only ``ReadCount`` and ``VoteCount``: integers per resource and ISO week, nothing else.

Hubs show only on the plugin's own pages (its tab and nav item never change), so no table here
retires a cached page of core's when written.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.plugin_api import Group, NotOnCachedPages, User, UTCDateTime, db, utcnow

AUTOINCREMENT = {"sqlite_autoincrement": True}
KINDS = ("article", "guide", "video", "helpline", "chat", "tool")
HUB_ROLES = ("owner", "editor")
# A revision is a draft until a different editor publishes it; a newer published one supersedes it.
DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"


class Hub(NotOnCachedPages, db.Model):
    """A collection of resources: site-wide (``group_id`` NULL, run by site admins) or a group's."""

    __tablename__ = "resources_hubs"
    __table_args__ = (UniqueConstraint("slug", name="uq_resources_hubs_slug"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), nullable=False)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # {"en": "...", "de": "..."}: one title and introduction per site language.
    title: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    intro: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    is_sample: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    group: Mapped[Group | None] = relationship(Group, lazy="raise")
    # Loaded with the hub by the pages (one joined query): a hub has a handful of topics.
    topics: Mapped[list[Topic]] = relationship("Topic", lazy="raise", viewonly=True,
                                               order_by="[Topic.position, Topic.id]")


class HubRole(NotOnCachedPages, db.Model):
    """Who edits a hub: owners grant and take back the editor role."""

    __tablename__ = "resources_hub_roles"

    hub_id: Mapped[int] = mapped_column(ForeignKey("resources_hubs.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10), nullable=False, default="editor")

    user: Mapped[User] = relationship(User, lazy="raise")


class Topic(NotOnCachedPages, db.Model):
    __tablename__ = "resources_topics"
    __table_args__ = (UniqueConstraint("hub_id", "slug", name="uq_resources_topics_hub_slug"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("resources_hubs.id", ondelete="CASCADE"), nullable=False)
    slug: Mapped[str] = mapped_column(String(60), nullable=False)
    name: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    description: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # Helpline directory topics this topic maps to, for {{ helpline:topic }} placeholders.
    helpline_topic: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Partner(NotOnCachedPages, db.Model):
    """An organisation resources come from; ``verified`` is set by a site admin only."""

    __tablename__ = "resources_partners"
    __table_args__ = (UniqueConstraint("slug", name="uq_resources_partners_slug"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    logo_key: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    verified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class Resource(NotOnCachedPages, db.Model):
    """What a resource is, independent of its words (those are in ``Text``/``Revision``)."""

    __tablename__ = "resources_items"
    __table_args__ = (Index("ix_resources_items_topic", "topic_id", "id"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("resources_hubs.id", ondelete="CASCADE"), nullable=False,
                                        index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("resources_topics.id", ondelete="CASCADE"), nullable=False)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("resources_partners.id", ondelete="SET NULL"),
                                                   index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="article")
    language: Mapped[str] = mapped_column(String(10), nullable=False, default="en")
    link: Mapped[str | None] = mapped_column(String(500))
    review_by: Mapped[date | None] = mapped_column(Date)
    is_sample: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Set by the daily staleness job, so editors are told once per overdue date.
    stale_notified_for: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    hub: Mapped[Hub] = relationship(Hub, lazy="raise")
    topic: Mapped[Topic] = relationship(Topic, lazy="raise")
    partner: Mapped[Partner | None] = relationship(Partner, lazy="raise")
    texts: Mapped[list[ResourceText]] = relationship(lazy="raise", viewonly=True, order_by="ResourceText.locale")


class ResourceText(NotOnCachedPages, db.Model):
    """One locale's words of a resource: the original or a translation, each reviewed on its own."""

    __tablename__ = "resources_texts"
    __table_args__ = (UniqueConstraint("resource_id", "locale", name="uq_resources_texts_locale"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources_items.id", ondelete="CASCADE"), nullable=False)
    locale: Mapped[str] = mapped_column(String(10), nullable=False)
    is_original: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Plain ids, not foreign keys: texts and revisions point at each other, and a revision is
    # only ever deleted with its text.
    published_revision_id: Mapped[int | None] = mapped_column(Integer)
    latest_revision_id: Mapped[int | None] = mapped_column(Integer)
    # Bumped by every save: a save based on an older version is a conflict.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    published: Mapped[Revision | None] = relationship(
        primaryjoin="foreign(ResourceText.published_revision_id) == Revision.id", lazy="raise", viewonly=True)
    latest: Mapped[Revision | None] = relationship(
        primaryjoin="foreign(ResourceText.latest_revision_id) == Revision.id", lazy="raise", viewonly=True)


class Revision(NotOnCachedPages, db.Model):
    """One saved state of a text, with who wrote it, who published it and why."""

    __tablename__ = "resources_revisions"
    __table_args__ = (Index("ix_resources_revisions_text", "text_id", "id"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("resources_texts.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_html: Mapped[str] = mapped_column(Text, nullable=False, default="")
    audience: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=DRAFT)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # For a translation: the original's revision it was translated from (out of date when older).
    source_revision_id: Mapped[int | None] = mapped_column(Integer)
    # For the original: the resource's facts (topic, type, partner, link, review-by date) as this
    # revision proposes them; they reach the resource when the revision is published.
    facts: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(User, foreign_keys=[author_id], lazy="raise")
    reviewer: Mapped[User | None] = relationship(User, foreign_keys=[reviewer_id], lazy="raise")


class ReadCount(db.Model):
    """How often a resource was opened in an ISO week ("2026-W49"); never who opened it."""

    __tablename__ = "resources_read_counts"

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources_items.id", ondelete="CASCADE"),
                                             primary_key=True)
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    @staticmethod
    def page_cache_keys() -> tuple[str, ...]:
        """Counts show on no cached page (only a resource's own and its editors' pages)."""
        return ()


class VoteCount(db.Model):
    """"Was this helpful?" answers per resource and week: two integers, nothing about who."""

    __tablename__ = "resources_vote_counts"

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources_items.id", ondelete="CASCADE"),
                                             primary_key=True)
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    yes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    no: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    @staticmethod
    def page_cache_keys() -> tuple[str, ...]:
        """Counts show on no cached page (only a resource's own and its editors' pages)."""
        return ()
