"""Stored files in an S3-compatible bucket (AWS S3, SeaweedFS, MinIO, Ceph, R2…), through the ``minio`` client.

Chosen with ``STORAGE_BACKEND = "s3"``; ``S3_ENDPOINT`` (``host:port`` or a URL), ``S3_BUCKET``,
``S3_ACCESS_KEY``, ``S3_SECRET_KEY`` and ``S3_REGION`` say where. Objects are private: browsers
still fetch them through ``/files/<key>``, so one URL scheme, one set of headers and one access
path serve every backend. The bucket is not created here: an operator makes it (and its
lifecycle rules) once; a missing bucket is an error at the first upload, not at start-up.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from minio import Minio
from minio.error import S3Error
from urllib3 import PoolManager, Retry, Timeout

from core.storage.backend import valid_key

log = logging.getLogger("commonground.storage")

# Answers that mean "no such object" rather than a failure of the store.
MISSING = {"NoSuchKey", "NoSuchObject", "NotFound"}


def _endpoint(value: str) -> tuple[str, bool]:
    """``host:port`` and whether to use TLS, from ``https://host:port``, ``http://…`` or a bare ``host:port``."""
    if "://" not in value:
        return value, True
    parts = urlsplit(value)
    return parts.netloc, parts.scheme == "https"


class S3Backend:
    """Files as objects in one bucket, keyed exactly like the local backend's paths."""

    def __init__(self, endpoint: str, bucket: str, access_key: str, secret_key: str, region: str | None = None,
                 secure: bool | None = None, timeout: float = 10.0) -> None:
        host, tls = _endpoint(endpoint)
        http = PoolManager(timeout=Timeout(connect=timeout, read=timeout), maxsize=10,
                           retries=Retry(total=3, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]))
        # The region is passed so the client never asks the server for it before each first request.
        self.client = Minio(host, access_key=access_key, secret_key=secret_key, region=region or "us-east-1",
                            secure=tls if secure is None else secure, http_client=http)
        self.bucket = bucket

    @classmethod
    def from_config(cls, config: Any) -> S3Backend:
        missing = [name for name in ("S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY")
                   if not config.get(name)]
        if missing:
            raise RuntimeError(f"STORAGE_BACKEND 's3' needs {', '.join(missing)}")
        return cls(config["S3_ENDPOINT"], config["S3_BUCKET"], config["S3_ACCESS_KEY"], config["S3_SECRET_KEY"],
                   region=config.get("S3_REGION"), secure=config.get("S3_SECURE"))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        if not valid_key(key):
            raise ValueError(f"invalid storage key {key!r}")
        self.client.put_object(self.bucket, key, io.BytesIO(data), len(data), content_type=content_type)

    def get(self, key: str) -> bytes | None:
        if not valid_key(key):
            return None
        try:
            response = self.client.get_object(self.bucket, key)
        except S3Error as error:
            if error.code in MISSING:
                return None
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def delete(self, key: str) -> None:
        """S3 answers a delete of a missing object with success, so this is idempotent like the local one."""
        if valid_key(key):
            self.client.remove_object(self.bucket, key)

    def keys(self) -> list[str]:
        """Every key in the bucket (tests and ``flask`` maintenance; not used by pages)."""
        return [item.object_name for item in self.client.list_objects(self.bucket, recursive=True)]

    def entries(self) -> Iterator[tuple[str, datetime]]:
        """Every valid key with its object's last-modified time, page by page as the bucket lists them."""
        for item in self.client.list_objects(self.bucket, recursive=True):
            if valid_key(item.object_name) and item.last_modified is not None:
                yield item.object_name, item.last_modified
