"""Image checks and re-encoding: what the uploader sent is never what is served.

Decoding a fresh copy of the pixels drops EXIF (GPS positions, camera serials), XMP and
comments, and defeats polyglot files; a pixel limit checked *before* decoding refuses
decompression bombs (a few kilobytes that would expand to gigabytes).
"""
from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# What a file of each format may be called and declared as by the browser that sends it.
EXTENSIONS = {"PNG": {"png"}, "JPEG": {"jpg", "jpeg", "jpe", "jfif"}, "GIF": {"gif"}, "WEBP": {"webp"}}
MIME_TYPES = {"PNG": {"image/png", "image/x-png"}, "JPEG": {"image/jpeg", "image/pjpeg", "image/jpg"},
              "GIF": {"image/gif"}, "WEBP": {"image/webp"}}
# Types that say nothing about the contents (browsers send them for unknown files).
VAGUE_MIME_TYPES = {"", "application/octet-stream", "binary/octet-stream"}


def _declared_mismatch(image_format: str, filename: str | None, mimetype: str | None) -> bool:
    """Whether the file's name or declared type says it is something other than what it contains.

    A PNG called ``photo.jpg``, or a JPEG sent as ``image/svg+xml`` or named ``page.html``, is
    refused rather than silently "fixed": such a file was mislabelled on purpose or by a broken
    tool, and the uploader should know. A name without an extension is judged by its contents.
    """
    if filename and "." in filename.strip("."):
        extension = filename.rsplit(".", 1)[1].lower()
        if extension not in EXTENSIONS[image_format]:
            return True
    mimetype = (mimetype or "").split(";")[0].strip().lower()
    return mimetype not in VAGUE_MIME_TYPES and mimetype not in MIME_TYPES[image_format]


class ImageRejected(ValueError):
    """An upload that is not stored; ``message`` is shown at the form field."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    key: str
    content_type: str
    width: int
    height: int
    data: bytes
    #: Smaller copies stored with it (``core.storage.renditions``), made by ``store_image``.
    renditions: tuple[StoredFile, ...] = ()


def reencode_image(data: bytes, *, max_bytes: int, max_pixels: int, max_side: int, square: bool = False,
                   prefix: str = "images", filename: str | None = None, mimetype: str | None = None) -> StoredFile:
    """A clean PNG (transparency) or JPEG copy of ``data``, scaled to fit ``max_side``.

    ``square`` crops the centre square first (avatars). The key is ``<prefix>/<hash>.<ext>``
    where the hash covers the bytes and a random salt: every upload gets its own key, so
    deleting one owner's file never removes an identical file someone else uploaded, and the
    bytes behind a key still never change (they are cached for good). ``filename`` and
    ``mimetype``, as the browser declared them, must agree with the contents.
    """
    if not data:
        raise ImageRejected(_l("Choose an image file."))
    if len(data) > max_bytes:
        from core.errors import _size_text

        raise ImageRejected(_l("The image is too large (at most %(size)s).", size=_size_text(max_bytes)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as source:
                if source.format not in ACCEPTED_FORMATS:
                    raise ImageRejected(_l("Upload a PNG, JPEG, GIF or WebP image."))
                if _declared_mismatch(source.format, filename, mimetype):
                    raise ImageRejected(_l("The file's name or type does not match its contents (a %(format)s "
                                           "image). Save it again as an image and upload that.",
                                           format=source.format))
                width, height = source.size
                if width * height > max_pixels:
                    raise ImageRejected(_l("The image has too many pixels."))
                source.seek(0)
                if source.format == "JPEG":  # decode a phone photo at a fraction of its size: faster, less memory
                    source.draft(source.mode, (max_side, max_side))
                source.load()
                has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
                pixels = source.convert("RGBA" if has_alpha else "RGB")
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected(_l("The image has too many pixels.")) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise ImageRejected(_l("This file is not an image we can read.")) from None
    if square and pixels.width != pixels.height:
        side = min(pixels.size)
        left, top = (pixels.width - side) // 2, (pixels.height - side) // 2
        pixels = pixels.crop((left, top, left + side, top + side))
    pixels.thumbnail((max_side, max_side))
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        ext, content_type = "png", "image/png"
    else:
        clean.save(out, format="JPEG", quality=85)
        ext, content_type = "jpg", "image/jpeg"
    encoded = out.getvalue()
    key = f"{prefix}/{hashlib.sha256(secrets.token_bytes(16) + encoded).hexdigest()}.{ext}"
    return StoredFile(key=key, content_type=content_type, width=clean.width, height=clean.height, data=encoded)
