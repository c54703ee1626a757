"""Smaller copies of stored images, so a phone or a 24-pixel avatar does not download the full file.

A rendition lives beside its original under a derived key: ``images/<hash>.jpg`` has
``images/<hash>-640.jpg``, at most 640 pixels wide. The widths are fixed per key folder
(``WIDTHS``), so pages can name a rendition without asking storage whether it exists:
``store_image`` makes them with the original, and ``/files/`` makes a missing one from its
original on first request (files uploaded before renditions existed, or an original narrower
than the rendition, which is then an identical copy) and keeps it. A rendition belongs to its
original: it is deleted with it (``delete_file``, ``delete_after_commit``) and counts as
referenced while the original is (``core.storage.orphans``).
"""
from __future__ import annotations

import io
import re

from markupsafe import Markup
from PIL import Image

#: Rendition widths by key folder; an original wider than a width gets a copy that wide.
WIDTHS: dict[str, tuple[int, ...]] = {"avatars": (64, 128), "images": (640,)}

_RENDITION = re.compile(r"^(?P<folder>[a-z0-9]+)/(?P<hash>[0-9a-f]{64})-(?P<width>[0-9]{2,4})\.(?P<ext>png|jpg)$")


def rendition_key(key: str, width: int) -> str:
    """The key of ``key``'s rendition ``width`` pixels wide."""
    stem, ext = key.rsplit(".", 1)
    return f"{stem}-{width}.{ext}"


def parse_rendition(key: str) -> tuple[str, int] | None:
    """``(original key, width)`` if ``key`` names a rendition of a width its folder has, else None."""
    match = _RENDITION.match(key)
    if match is None:
        return None
    width = int(match["width"])
    if width not in WIDTHS.get(match["folder"], ()):
        return None
    return f"{match['folder']}/{match['hash']}.{match['ext']}", width


def original_key(key: str) -> str:
    """The original a key belongs to: itself, or the original of a rendition."""
    parsed = parse_rendition(key)
    return parsed[0] if parsed else key


def rendition_keys(key: str) -> list[str]:
    """Every rendition key ``key`` may have (for deleting them with it)."""
    if parse_rendition(key) is not None:
        return []
    return [rendition_key(key, width) for width in WIDTHS.get(key.split("/", 1)[0], ())]


def widths_below(key: str, width: int) -> tuple[int, ...]:
    """The rendition widths of ``key``'s folder narrower than an original ``width`` pixels wide."""
    return tuple(w for w in WIDTHS.get(key.split("/", 1)[0], ()) if w < width)


def scaled(data: bytes, width: int, content_type: str) -> bytes:
    """A copy of an (already clean) stored image at most ``width`` pixels wide, in the same format."""
    with Image.open(io.BytesIO(data)) as source:
        source.load()
        pixels = source.copy()
    pixels.thumbnail((width, pixels.height))
    out = io.BytesIO()
    if content_type == "image/png":
        pixels.save(out, format="PNG", optimize=True)
    else:
        pixels.convert("RGB").save(out, format="JPEG", quality=82)
    return out.getvalue()


def srcset(key: str | None, width: int | None, url_for_key) -> Markup:
    """``srcset`` for an original ``width`` pixels wide: its renditions and itself, or "" if it has none.

    ``url_for_key`` turns a key into its URL (``core.storage.file_url``).
    """
    if not key or not width:
        return Markup("")
    smaller = widths_below(key, width)
    if not smaller:
        return Markup("")
    candidates = [f"{url_for_key(rendition_key(key, w))} {w}w" for w in smaller]
    candidates.append(f"{url_for_key(key)} {width}w")
    return Markup(", ").join(candidates)
