"""Claims that make jobs safe with several workers: a key taken once, until it expires.

A periodic job's run for one minute (``tick:<job>:<minute>``) and one execution of a queued
job (``run:<job id>``) are each claimed here before they happen, so two schedulers or a
message delivered twice never do the work twice. Keys hold no arguments, only names and
random job ids; expired claims are deleted by the ``core.jobs.clean_up`` job.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.base import UTCDateTime


class JobClaim(db.Model):
    __tablename__ = "job_claims"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
