"""Every page of the help flow is the same size on the wire.

HTTPS hides what a page says, not how long it is: "I'm worried about someone" answered 5,565
bytes, "I need support" 4,365, so anyone watching the connection (a school's network, a partner
on the same Wi-Fi) could tell which path a person chose. Each HTML response of the help center
is padded to the next multiple of ``HELPCENTER_RESPONSE_BUCKET`` bytes (16 KiB: every path, in
every language, fits the first bucket) with a comment of spaces after the document. Compression
would undo this, so the deploy guide turns it off for ``/help``.
"""
from __future__ import annotations

from flask import Response, current_app

DEFAULT_BUCKET = 16 * 1024
_OPEN, _CLOSE = b"\n<!--", b"-->\n"


def padded(body: bytes, bucket: int) -> bytes:
    """``body`` plus a comment of spaces, ``bucket`` bytes long or a multiple of it."""
    least = len(body) + len(_OPEN) + len(_CLOSE)
    size = -(-least // bucket) * bucket
    return body + _OPEN + b" " * (size - least) + _CLOSE


def pad_response(response: Response) -> Response:
    if response.direct_passthrough or response.is_streamed or response.mimetype != "text/html":
        return response
    bucket = int(current_app.config.get("HELPCENTER_RESPONSE_BUCKET", DEFAULT_BUCKET))
    response.set_data(padded(response.get_data(), bucket))
    return response
