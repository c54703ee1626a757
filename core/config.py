"""Configuration: defaults < instance/config.py < COMMONGROUND_* environment variables.

The layering lets a packaged install run with no file at all, an operator keep
secrets in ``instance/config.py``, and a container override anything with the
environment.
"""
from __future__ import annotations

import copy
import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "COMMONGROUND_"
# The development address; `flask dev` (`make run`) replaces it with the address it serves.
DEFAULT_SITE_URL = "http://127.0.0.1:5000"


class Defaults:
    """Values every install starts from."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled from DATABASE_URL or instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # pool_pre_ping is on unless set here
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (deploy guide)
    # Reverse proxies in front of the app (deploy guide): trust this many hops of X-Forwarded-For/-Proto/-Host,
    # so rate limits count real client addresses. 0: the app is reached directly.
    PROXY_COUNT = 0
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE: bool | None = None  # None: same as SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    # Log-in sessions live on the server (Settings → Sessions). One unused for this long ends;
    # with "remember me" the limit is REMEMBER_COOKIE_DURATION instead.
    LOGIN_SESSION_IDLE_SECONDS = 60 * 60 * 24 * 14
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 60
    # "Last seen" of a session is written at most this often (a read does not write every time).
    LOGIN_SESSION_TOUCH_SECONDS = 5 * 60
    WTF_CSRF_TIME_LIMIT = None
    # Requests with a larger body are refused with 413 before any of it is read (deploy guide:
    # keep the reverse proxy's limit, e.g. nginx client_max_body_size, at least this large).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # JSON bodies nested deeper than this are refused with 400 (parsers recurse).
    MAX_JSON_DEPTH = 32
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ["en", "de"]
    DEFAULT_COUNTRY = "DE"
    SITE_NAME = "Common Ground"
    SITE_DESCRIPTION = ""  # shown on the home page and in mail until the first-run setup sets one
    SITE_URL = DEFAULT_SITE_URL  # the public address: the base of every link in mail
    MAIL_FROM = "Common Ground <no-reply@commonground.local>"
    MAIL_SMTP_HOST: str | None = None  # unset: mail is written to files under instance/mail
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_USERNAME: str | None = None
    MAIL_SMTP_PASSWORD: str | None = None
    MAIL_SMTP_STARTTLS = False
    MAIL_SMTP_CONNECT_TIMEOUT = 5  # seconds to reach the server
    MAIL_SMTP_TIMEOUT = 10  # seconds to wait for each answer once connected
    # True only if the mail server accepts SMTPUTF8 (addresses with letters like ä before the @);
    # otherwise such addresses are refused where they are entered, as they could never get mail.
    MAIL_SMTPUTF8 = False
    MAIL_SPOOL_DIR: str | None = None  # default instance/mail
    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_BACKOFF_SECONDS = 30
    # Delivered mail is deleted after this many days, mail that failed for good after these.
    OUTBOX_KEEP_SENT_DAYS = 7
    OUTBOX_KEEP_FAILED_DAYS = 30
    # The task queue (core.jobs.queue): unset is a SQLite file in instance/; "redis://host:6379/0"
    # in production. Sites sharing one Redis need different JOBS_NAMEs.
    JOBS_URL: str | None = None
    JOBS_NAME = "commonground"
    # Buffered counters (core.counters: views counted without a database write): unset follows
    # JOBS_URL (a SQLite file beside the queue's, or Redis); "memory://" for one process only.
    COUNTERS_URL: str | None = None
    # The page cache (core.page_cache): where the shared versions live — unset follows JOBS_URL
    # (Redis when the queue is in Redis, else the database); "redis://…" or "database" explicitly.
    PAGE_CACHE_URL: str | None = None
    PAGE_CACHE_BYTES = 32 * 1024 * 1024  # rendered pages kept per web process; 0 switches the cache off
    PAGE_CACHE_SECONDS = 300  # the longest a page is kept (for what changes with time alone)
    PAGE_CACHE_FRONT_DOOR = True  # answer page-cache hits in front of Flask (core.page_cache.front)
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"  # per process: several web workers need redis://… (deploy guide)
    # With more than one web worker, per-process counters are refused at start unless this is True.
    RATELIMIT_ALLOW_PER_PROCESS = False
    # How many processes serve the site; gunicorn.conf.py sets it (COMMONGROUND_WEB_WORKERS). None:
    # unknown, the WEB_CONCURRENCY environment variable is asked instead.
    WEB_WORKERS: int | None = None
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_SIGNUP = "5 per minute;20 per hour"
    RATELIMIT_PASSWORD_RESET = "5 per minute;20 per hour"
    PAGE_SIZE = 20
    # Hosts posts may show images from ("images.example.org", "*.example.org"); any other remote
    # image is shown as a link, so no third party learns who reads a post. After a change, run
    # `flask content rerender`.
    IMAGE_HOSTS_ALLOWED: list[str] = []
    # werkzeug hash method for passwords; the test kit uses a one-round pbkdf2 so fixtures stay cheap.
    PASSWORD_HASH_METHOD = "scrypt"
    API_TITLE = "Common Ground API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/api/v1/static/swagger-ui/"
    OPENAPI_REDOC_PATH = None
    # Uploaded files (core.storage): "local" keeps them in UPLOADS_DIR (default instance/uploads);
    # "s3" in a bucket on S3-compatible object storage (the bucket must exist).
    STORAGE_BACKEND = "local"
    UPLOADS_DIR: str | None = None
    S3_ENDPOINT: str | None = None  # "https://s3.eu-central-1.amazonaws.com", "http://127.0.0.1:8333"
    S3_BUCKET: str | None = None
    S3_ACCESS_KEY: str | None = None
    S3_SECRET_KEY: str | None = None
    S3_REGION: str | None = None  # default "us-east-1"
    S3_SECURE: bool | None = None  # None: from the endpoint's scheme (TLS unless it says http://)
    # Stored files no row points at (a crash between storing and committing) are deleted by a
    # daily job once they are this old, so a file whose upload is still in flight is never touched.
    STORAGE_ORPHAN_GRACE_SECONDS = 24 * 3600
    # Forms that take a file (core.storage.accepts_uploads) accept bodies up to this size, so a
    # photo over its own limit gets a message at its field rather than a 413 page.
    UPLOAD_REQUEST_MAX_BYTES = 24 * 1024 * 1024
    # Avatars: at most this large as uploaded (a phone photo); stored as one square of AVATAR_SIZE pixels.
    AVATAR_MAX_BYTES = 8 * 1024 * 1024
    AVATAR_SIZE = 256
    # Images in posts: each at most this large as uploaded, scaled to fit POST_IMAGE_SIDE pixels.
    POST_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    POST_IMAGE_SIDE = 1600
    # How many images one post may have; attached-but-unpublished ones are deleted after this many hours.
    POST_IMAGES_MAX = 4
    PENDING_IMAGE_HOURS = 24
    UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    # Larger images are refused before decoding (decompression bombs).
    IMAGE_MAX_PIXELS = 25_000_000
    PLUGINS_BLOCKED: list[str] = []
    PLUGINS: list[str] | None = None  # None: every installed plugin; a list: only these (tests)
    SEED_DEMO = True


def _parse_env_value(raw: str) -> Any:
    """JSON where it parses (``30``, ``["en", "de"]``); ``True``/``FALSE`` in any case are booleans too.

    A string that is not JSON raises, and Flask keeps it as the string it is.
    """
    lowered = raw.strip().lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    return json.loads(raw)


def _id_list(value: Any) -> list[str]:
    """A list setting given as JSON or, as the docs promise for env vars, comma-separated."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list | tuple | set):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value)]


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Apply the three layers, then fill derived values (database URL, secret key)."""
    app.config.from_object(Defaults)
    # The defaults' dicts and lists are class attributes: each app gets its own copy to change.
    for key, value in list(app.config.items()):
        if isinstance(value, dict | list):
            app.config[key] = copy.deepcopy(value)
    instance_path = Path(app.instance_path)
    app.config.from_pyfile(str(instance_path / "config.py"), silent=True)
    # COMMONGROUND_PAGE_SIZE=30, COMMONGROUND_SQLALCHEMY_ENGINE_OPTIONS__pool_size=10 (nested keys).
    app.config.from_prefixed_env(ENV_PREFIX.rstrip("_"), loads=_parse_env_value)
    app.config["PLUGINS_BLOCKED"] = _id_list(app.config.get("PLUGINS_BLOCKED") or [])
    if os.environ.get("DATABASE_URL") and not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        instance_path.mkdir(parents=True, exist_ok=True)
        uri = f"sqlite:///{instance_path / 'commonground.sqlite'}"
    if uri.startswith("postgres://"):
        uri = "postgresql+psycopg://" + uri[len("postgres://"):]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    # A pooled connection can die behind the pool's back (a PostgreSQL restart, a failover, an idle
    # timeout): test it when it is checked out, so the next request reconnects instead of failing.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance_path)
    if not app.config.get("MAIL_SPOOL_DIR"):
        app.config["MAIL_SPOOL_DIR"] = str(instance_path / "mail")
    if not app.config.get("UPLOADS_DIR"):
        app.config["UPLOADS_DIR"] = str(instance_path / "uploads")


def _instance_secret(instance_path: Path) -> str:
    """Generate a secret once per install so sessions survive restarts without a committed key."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
