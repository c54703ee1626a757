"""Readable, unique address parts for hubs, topics and partners."""
from __future__ import annotations

import re
import unicodedata

from core.plugin_api import db

TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(TRANSLITERATE)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:50] or "item"


def unique_slug(model, text: str) -> str:
    """``slugify(text)``, with ``-2``, ``-3``... when taken (one query)."""
    base = slugify(text)
    taken = set(db.session.scalars(db.select(model.slug).where(model.slug.like(base + "%"))))
    if base not in taken and base not in ("new", "partners"):
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
