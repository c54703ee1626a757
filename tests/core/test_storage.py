"""Uploaded images: re-encoded, stripped of metadata, size- and pixel-limited, served with their type.

Every test runs twice: on local disk and on a REAL S3-compatible server (SeaweedFS, started once
per session by the ``s3_server`` fixture), through ``storage_config``.
"""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image


@pytest.fixture
def app_config(storage_config):
    return storage_config


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


def test_an_image_is_reencoded_without_metadata(app, stored_keys):
    from core.storage import get_backend, store_image

    with app.test_request_context():
        stored = store_image(io.BytesIO(_jpeg_with_exif()))
    assert stored.content_type == "image/jpeg"
    kept = get_backend().get(stored.key)
    assert kept == stored.data
    assert b"SpyCam" not in kept and b"secret note" not in kept and b"GPS" not in kept
    assert not Image.open(io.BytesIO(kept)).getexif()
    assert stored_keys() == [stored.key]


def test_the_same_image_uploaded_twice_gets_two_keys(app, stored_keys):
    """Deleting one owner's copy must never remove the file someone else uploaded."""
    from core.storage import delete_file, get_backend, store_image

    with app.test_request_context():
        first, second = store_image(io.BytesIO(_png())), store_image(io.BytesIO(_png()))
        delete_file(first.key)
    assert first.key != second.key
    assert stored_keys() == [second.key]
    assert get_backend().get(second.key) == second.data


def test_a_deleted_file_is_gone_and_deleting_again_is_harmless(app, client, stored_keys):
    from core.storage import delete_file, file_url, get_backend, store_image

    with app.test_request_context():
        stored = store_image(io.BytesIO(_png()))
        url = file_url(stored.key)
        delete_file(stored.key)
        delete_file(stored.key)
    assert get_backend().get(stored.key) is None
    assert stored_keys() == []
    assert client.get(url).status_code == 404


def test_a_square_crop_keeps_the_centre(app):
    from core.storage import store_image

    image = Image.new("RGB", (300, 100), (255, 0, 0))
    image.paste((0, 0, 255), (100, 0, 200, 100))  # blue centre square between red sides
    out = io.BytesIO()
    image.save(out, format="PNG")
    with app.test_request_context():
        stored = store_image(io.BytesIO(out.getvalue()), square=True, max_side=50, prefix="avatars")
    assert stored.key.startswith("avatars/")
    assert (stored.width, stored.height) == (50, 50)
    red, green, blue = Image.open(io.BytesIO(stored.data)).convert("RGB").getpixel((2, 25))
    assert blue > 200 and red < 60


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
def test_a_file_that_is_not_an_image_is_refused(app, data, stored_keys):
    from core.storage import ImageRejected, store_image

    with app.test_request_context(), pytest.raises(ImageRejected):
        store_image(io.BytesIO(data))
    assert stored_keys() == []


def test_a_file_over_the_size_limit_is_refused(app, stored_keys):
    from core.storage import ImageRejected, store_image

    with app.test_request_context(), pytest.raises(ImageRejected, match="too large"):
        store_image(io.BytesIO(_png()), max_bytes=50)
    assert stored_keys() == []


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (the shape of an image bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def test_an_image_bomb_is_refused_before_decoding(app, stored_keys):
    """A PNG of a few bytes that claims 20000 x 20000 pixels (1.2 GB decoded) is refused."""
    from core.storage import ImageRejected, store_image

    bomb = _png_claiming(20000, 20000)
    assert len(bomb) < 200
    with app.test_request_context(), pytest.raises(ImageRejected, match="too many pixels"):
        store_image(io.BytesIO(bomb))
    assert stored_keys() == []


def test_unknown_or_malformed_keys_answer_404(client):
    assert client.get("/files/images/" + "0" * 64 + ".png").status_code == 404
    assert client.get("/files/../secret_key").status_code == 404

