"""The directory the plugin ships with (``data/*.json``), loaded through the admin form's schemas."""
from __future__ import annotations

import json
import logging
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


def seed_directory() -> bool:
    """Add the shipped helplines and emergency numbers to an empty directory; returns whether it did."""
    if not directory_is_empty():
        return False
    from marshmallow import EXCLUDE

    schema = helpline_schema(tuple(current_app.config["LANGUAGES"]))(unknown=EXCLUDE)
    for entry in _load("helplines.json"):
        apply_helpline(Helpline(), schema.load(entry))
    numbers = EmergencyNumberSchema()
    for entry in _load("emergency_numbers.json"):
        data = numbers.load(entry)
        apply_emergency_number(EmergencyNumber(country=data["country"]), data)
    db.session.flush()
    log.info("helpcenter: shipped helpline directory added")
    return True
