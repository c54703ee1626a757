"""The directory the plugin ships with (``data/*.json``), loaded through the admin form's schemas."""
from __future__ import annotations

import copy
import json
import logging
from functools import lru_cache
from pathlib import Path

from flask import current_app

from core.plugin_api import db
from plugins.helpcenter.editing import apply_emergency_number, apply_helpline
from plugins.helpcenter.models import EmergencyNumber, Helpline
from plugins.helpcenter.schemas import EmergencyNumberSchema, helpline_schema

log = logging.getLogger("commonground.plugins.helpcenter")
DATA_DIR = Path(__file__).parent / "data"


def _load(name: str) -> list[dict]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def directory_is_empty() -> bool:
    """True only if no entry was ever added: retired and edited entries count as the admin's choice."""
    return not (db.session.scalar(db.select(Helpline.id).limit(1))
                or db.session.scalar(db.select(EmergencyNumber.country).limit(1)))


@lru_cache(maxsize=8)
def _shipped(languages: tuple[str, ...]) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    """The shipped helplines and emergency numbers, validated once per process and languages: the
    files do not change while it runs, and validating them cost most of a seeding."""
    from marshmallow import EXCLUDE

    schema = helpline_schema(languages)(unknown=EXCLUDE)
    numbers = EmergencyNumberSchema()
    return (tuple(schema.load(entry) for entry in _load("helplines.json")),
            tuple(numbers.load(entry) for entry in _load("emergency_numbers.json")))


def seed_directory() -> bool:
    """Add the shipped helplines and emergency numbers to an empty directory; returns whether it did."""
    if not directory_is_empty():
        return False
    helplines, numbers = _shipped(tuple(current_app.config["LANGUAGES"]))
    for data in helplines:
        apply_helpline(Helpline(), copy.deepcopy(data))  # the rows get values of their own
    for data in numbers:
        apply_emergency_number(EmergencyNumber(country=data["country"]), copy.deepcopy(data))
    db.session.flush()
    log.info("helpcenter: shipped helpline directory added")
    return True
