"""Uploaded images: re-encoded, stripped of metadata, size- and pixel-limited, served with their type."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image


def _png(size=(40, 30), color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG", **save)
    return out.getvalue()


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (50, 50), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret note")
    return out.getvalue()


def test_an_image_is_reencoded_without_metadata(app):
    from core.storage import store_image

    with app.test_request_context():
        stored = store_image(io.BytesIO(_jpeg_with_exif()))
    assert stored.content_type == "image/jpeg"
    assert b"SpyCam" not in stored.data and b"secret note" not in stored.data
    assert not Image.open(io.BytesIO(stored.data)).getexif()


def test_a_stored_image_is_served_with_its_content_type(app, client):
    from core.storage import file_url, store_image

    with app.test_request_context():
        stored = store_image(io.BytesIO(_png()))
        url = file_url(stored.key)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == stored.content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == stored.data


def test_large_images_are_scaled_down(app):
    from core.storage import store_image

    with app.test_request_context():
        stored = store_image(io.BytesIO(_png(size=(3000, 1500))), max_side=300)
    assert (stored.width, stored.height) == (300, 150)


@pytest.mark.parametrize("data", [b"", b"GIF89a not really", b"%PDF-1.4 a document", b"<svg xmlns='x'/>"])
def test_a_file_that_is_not_an_image_is_refused(app, data):
    from core.storage import ImageRejected, store_image

    with app.test_request_context(), pytest.raises(ImageRejected):
        store_image(io.BytesIO(data))


def test_a_file_over_the_size_limit_is_refused(app):
    from core.storage import ImageRejected, store_image

    with app.test_request_context(), pytest.raises(ImageRejected, match="too large"):
        store_image(io.BytesIO(_png()), max_bytes=50)


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (the shape of an image bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def test_an_image_bomb_is_refused_before_decoding(app):
    """A PNG of a few bytes that claims 20000 x 20000 pixels (1.2 GB decoded) is refused."""
    from core.storage import ImageRejected, store_image

    bomb = _png_claiming(20000, 20000)
    assert len(bomb) < 200
    with app.test_request_context(), pytest.raises(ImageRejected, match="too many pixels"):
        store_image(io.BytesIO(bomb))


def test_unknown_or_malformed_keys_answer_404(client):
    assert client.get("/files/images/" + "0" * 64 + ".png").status_code == 404
    assert client.get("/files/../secret_key").status_code == 404
