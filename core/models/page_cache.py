"""The shared version store of the page cache when no Redis is configured (``core.page_cache``)."""
from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class PageVersion(db.Model):
    """One row per scope (``site``, ``g:<group id>``, ``u:<user id>``): a random token that every
    write changing what the scope's pages show replaces. Cached pages are keyed by the tokens, so
    a replaced token retires them in every worker and on every host."""

    __tablename__ = "page_versions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
