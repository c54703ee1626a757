"""The S3-compatible backend against a REAL server (SeaweedFS from the test extra, ``s3_server``)."""
from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.fixture
def app_config(s3_server):
    s3_server.empty()
    return s3_server.config


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def test_the_app_uses_the_s3_backend_when_configured(app):
    from core.storage import get_backend
    from core.storage.s3 import S3Backend

    assert isinstance(get_backend(), S3Backend)

def test_the_s3_backend_keeps_files_in_the_bucket(app, s3_server):
    """Not a mock: the object is in SeaweedFS' bucket, with its content type, and leaves it on delete."""
    from core.storage import delete_file, store_image

    with app.test_request_context():
        stored = store_image(io.BytesIO(_png()))
    stat = s3_server.client.stat_object(s3_server.bucket, stored.key)
    assert stat.content_type == stored.content_type == "image/jpeg" and stat.size == len(stored.data)
    assert s3_server.keys() == [stored.key]
    with app.test_request_context():
        delete_file(stored.key)
    assert s3_server.keys() == []


def test_s3_needs_its_settings(app):
    from core.storage import make_backend

    with pytest.raises(RuntimeError, match="S3_BUCKET"):
        make_backend({"STORAGE_BACKEND": "s3", "S3_ENDPOINT": "http://127.0.0.1:1", "S3_ACCESS_KEY": "a",
                      "S3_SECRET_KEY": "b"})


def test_an_unknown_backend_is_refused_at_start(app):
    from core.storage import make_backend

    with pytest.raises(RuntimeError, match="Unknown STORAGE_BACKEND"):
        make_backend({"STORAGE_BACKEND": "ftp"})


def test_wrong_s3_credentials_fail_loudly(app, s3_server):
    from minio.error import S3Error

    from core.storage.s3 import S3Backend

    backend = S3Backend(s3_server.config["S3_ENDPOINT"], s3_server.bucket, s3_server.access_key, "wrong")
    with pytest.raises(S3Error, match="AccessDenied|SignatureDoesNotMatch"):
        backend.put("images/" + "a" * 64 + ".png", b"x", "image/png")
