"""Migrations: ``flask db upgrade`` on an empty database builds exactly the models' schema.

Core and every plugin keep their own Alembic branch (``core.plugins.migrations``). Each test
gets a database of its own (SQLite file, or a throwaway PostgreSQL database when
``COMMONGROUND_TEST_DATABASE_URL`` is set) and runs the real ``flask db`` commands: an empty one
where core's upgrade path is under test, else a copy of core migrated once per session
(``migrated_database_url``).
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Integer, create_engine, inspect, text

from core.models import search as search_index
from core.testing import throwaway_database

ROOT = Path(__file__).resolve().parents[2]
HELLO = "commonground_hello"


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A database with no tables at all, dropped after the test."""
    with throwaway_database("cg_mig", str(tmp_path)) as url:
        yield url


@contextlib.contextmanager
def built_app(database_url: str, plugins: list | None, **config) -> Iterator:
    """An app on ``database_url``; ``plugins=None`` discovers installed plugins like production."""
    from core import create_app
    from core.extensions import db

    settings = {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url,
                "RATELIMIT_STORAGE_URI": "memory://", "PLUGINS": None}
    settings.update(config)
    app = create_app(settings, plugins=plugins)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def flask_db(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def schema_differences(app) -> list:
    """Alembic's autogenerate comparison of the database with the models of core and loaded plugins.

    The process-wide metadata may also hold models of plugins other tests imported; only the
    tables of core and of this app's plugins are expected, while every table in the database counts.
    """
    from core.extensions import db
    from core.plugins import migrations as migration_branches

    owners = migration_branches.table_owners(app)
    loaded = {"core", *migration_branches.plugin_packages(app)}

    def include_object(obj, name, type_, reflected, compare_to):
        if not search_index.include_object(obj, name, type_, reflected, compare_to):
            return False  # search's full-text objects, made by its migration (checked below)
        if type_ == "table" and not reflected:
            return owners.get(name, "core") in loaded
        if type_ == "table" and name == "alembic_version":
            return False
        return True

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        return compare_metadata(context, db.metadata)


def script_directory(app):
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def applied_revisions(app) -> set[str]:
    """Every revision the database is at or past (alembic_version keeps only the newest ones)."""
    from core.extensions import db

    with db.engine.connect() as conn:
        current = tuple(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return {rev.revision for rev in script_directory(app).iterate_revisions(current, "base")}


def heads(app) -> set[str]:
    return set(script_directory(app).get_heads())


def test_upgrade_builds_exactly_the_core_schema(empty_database_url):
    with built_app(empty_database_url, plugins=[]) as app:
        flask_db(app, "upgrade")
        assert schema_differences(app) == []
        assert heads(app) <= applied_revisions(app)


def test_upgrade_brings_core_and_the_example_plugin_to_their_heads(empty_database_url):
    with built_app(empty_database_url, plugins=[HELLO]) as app:
        flask_db(app, "upgrade")
        assert "hello_greetings" in inspect(app.extensions["sqlalchemy"].engine).get_table_names()
        assert schema_differences(app) == []
        assert heads(app) <= applied_revisions(app)
        assert len(heads(app)) == 2


def test_every_installed_plugin_has_migrations_matching_its_models(empty_database_url):
    """Discovery as in production: a plugin whose models and migrations disagree fails here."""
    with built_app(empty_database_url, plugins=None) as app:
        flask_db(app, "upgrade")
        assert schema_differences(app) == []


def test_example_plugin_branch_depends_on_core_and_carries_its_label():
    from core import create_app
    from core.plugins.migrations import CORE_BRANCH

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}, plugins=[HELLO])
    with app.app_context():
        script = script_directory(app)
        bases = {label: s for s in script.walk_revisions() if s.down_revision is None for label in s.branch_labels}
        hello_base, core_base = bases["hello"], bases[CORE_BRANCH]
    assert hello_base.dependencies == core_base.revision
    assert Path(hello_base.path).parent.parent.parent.name == HELLO


def test_downgrading_a_plugin_branch_leaves_core_alone(migrated_database_url):
    with built_app(migrated_database_url, plugins=[HELLO]) as app:
        flask_db(app, "upgrade")
        flask_db(app, "downgrade", "hello@base")
        tables = inspect(app.extensions["sqlalchemy"].engine).get_table_names()
        assert "hello_greetings" not in tables and "users" in tables
        flask_db(app, "upgrade")
        assert schema_differences(app) == []


def test_blocked_plugin_does_not_stop_the_upgrade(empty_database_url):
    """Its revisions are in the database already; the blocked plugin itself is never imported."""
    with built_app(empty_database_url, plugins=None, PLUGINS=["hello"]) as app:
        flask_db(app, "upgrade")
    with built_app(empty_database_url, plugins=None, PLUGINS=["hello"], PLUGINS_BLOCKED=["hello"]) as app:
        assert "hello" not in app.extensions["commonground.plugins"].installed
        flask_db(app, "upgrade")


@pytest.fixture
def scaffolded_plugin(tmp_path, monkeypatch) -> tuple[str, Path]:
    """A brand-new plugin distribution (from ``flask plugins new``) importable from ``tmp_path``."""
    from core.scaffold import create_plugin

    plugin_id = f"mig{uuid.uuid4().hex[:6]}"
    root = create_plugin(plugin_id, tmp_path, scope="group")
    monkeypatch.syspath_prepend(str(root))
    return plugin_id, root


def test_a_generated_plugins_first_revision_builds_exactly_its_models(empty_database_url, scaffolded_plugin):
    plugin_id, _root = scaffolded_plugin
    with built_app(empty_database_url, plugins=[f"commonground_{plugin_id}"]) as app:
        flask_db(app, "upgrade")
        assert f"{plugin_id}_entries" in inspect(app.extensions["sqlalchemy"].engine).get_table_names()
        assert schema_differences(app) == []
        assert heads(app) <= applied_revisions(app)


def test_migrate_adds_the_next_revision_to_a_generated_plugins_branch(empty_database_url, scaffolded_plugin):
    plugin_id, root = scaffolded_plugin
    package = f"commonground_{plugin_id}"
    models = root / package / "models.py"
    text_column = "    text: Mapped[str] = mapped_column(String(TEXT_MAX_LENGTH), nullable=False)\n"
    assert text_column in models.read_text()
    models.write_text(models.read_text().replace(
        text_column, text_column + "    mood: Mapped[str | None] = mapped_column(String(20))\n"))
    versions = root / package / "migrations" / "versions"
    (first,) = versions.glob("*.py")
    with built_app(empty_database_url, plugins=[HELLO, package]) as app:
        flask_db(app, "upgrade")
        # Drift in another plugin's table must not leak into this plugin's revision.
        with app.extensions["sqlalchemy"].engine.begin() as conn:
            conn.execute(text("DROP TABLE hello_greetings"))
        flask_db(app, "migrate", "-m", "mood", "--head", f"{plugin_id}@head")
        (second,) = set(versions.glob("*.py")) - {first}
        source = second.read_text()
        first_revision = next(rev.revision for rev in script_directory(app).walk_revisions()
                              if plugin_id in rev.branch_labels and rev.down_revision is None)
        assert f"down_revision = '{first_revision}'" in source
        assert "add_column(sa.Column('mood'" in source and "hello_greetings" not in source
        assert "core.models" not in source  # custom column types are written as plain SQLAlchemy types

        flask_db(app, "upgrade", f"{plugin_id}@head")
        engine = app.extensions["sqlalchemy"].engine
        columns = {c["name"] for c in inspect(engine).get_columns(f"{plugin_id}_entries")}
        assert "mood" in columns
        if engine.dialect.name == "sqlite":  # the batch copy keeps ids never reused, without the author asking
            with engine.connect() as conn:
                ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"),
                                   {"n": f"{plugin_id}_entries"}).scalar_one()
            assert "AUTOINCREMENT" in ddl

        flask_db(app, "migrate", "-m", "nothing new", "--head", f"{plugin_id}@head")
        assert set(versions.glob("*.py")) == {first, second}


def test_flask_db_upgrade_command_line_discovers_installed_plugins(empty_database_url, tmp_path):
    """The real ``flask db upgrade`` (as ``make db`` runs it) with entry-point discovery."""
    env = {**os.environ, "FLASK_APP": "wsgi:app", "COMMONGROUND_SQLALCHEMY_DATABASE_URI": empty_database_url,
           "COMMONGROUND_PLUGINS": '["hello"]', "COMMONGROUND_SECRET_KEY": "x"}
    result = subprocess.run([str(Path(sys.executable).parent / "flask"), "db", "upgrade"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "hello initial" in result.stderr
    engine = create_engine(empty_database_url)
    try:
        assert {"users", "hello_greetings"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _insert_user(conn, username: str) -> int:
    """A user row as the first revision's schema has it (raw SQL: the models are at head)."""
    conn.execute(text(
        "INSERT INTO users (email, username, display_name, password_hash, locale, bio, adult_attested_at,"
        " is_site_admin, session_version, created_at)"
        " VALUES (:email, :username, :username, 'x', 'en', '', CURRENT_TIMESTAMP, false, 1, CURRENT_TIMESTAMP)"),
        {"email": f"{username}@example.org", "username": username})
    return conn.execute(text("SELECT id FROM users WHERE username = :u"), {"u": username}).scalar_one()


def test_upgrade_converts_an_existing_database_so_ids_are_never_reused(empty_database_url):
    """A database made before AUTOINCREMENT keeps every row, and afterwards a deleted id stays unused."""
    from core.extensions import db
    from core.models import User

    with built_app(empty_database_url, plugins=["plugins.reporting"]) as app:
        flask_db(app, "upgrade", "core0001")
        flask_db(app, "upgrade", "reporting0001")
        with db.engine.begin() as conn:
            alice, bob = _insert_user(conn, "alice"), _insert_user(conn, "bob")
            conn.execute(text("INSERT INTO reporting_blocks (blocker_id, blocked_id, created_at)"
                              " VALUES (:a, :b, CURRENT_TIMESTAMP)"), {"a": alice, "b": bob})
        flask_db(app, "upgrade")
        assert heads(app) <= applied_revisions(app)
        with db.engine.connect() as conn:
            # Rebuilding ``users`` must not cascade into the rows that point at it.
            assert conn.execute(text("SELECT blocker_id, blocked_id FROM reporting_blocks")).all() == [(alice, bob)]
            if conn.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
                tables = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
                assert all("AUTOINCREMENT" in tables[name] for name in ("users", "posts", "reporting_blocks"))
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM users WHERE id = :b"), {"b": bob})
        carol = User(email="carol@example.org", username="carol", display_name="Carol", password_hash="x",
                     adult_attested_at=db.func.now())
        db.session.add(carol)
        db.session.commit()
        assert carol.id > bob
        assert schema_differences(app) == []


def test_every_integer_id_of_a_migrated_database_comes_from_a_counter_that_never_goes_back(migrated_database_url):
    """Migrations, not only the models: each plugin's branch converts (or creates) its own tables.

    On SQLite that is AUTOINCREMENT; on PostgreSQL a sequence (serial or identity) does it.
    """
    from core.extensions import db

    with built_app(migrated_database_url, plugins=None) as app:
        flask_db(app, "upgrade")
        owners = migration_branches_owners(app)
        expected = [table.name for table in db.metadata.sorted_tables
                    if table.name in owners and table.dialect_kwargs.get("sqlite_autoincrement")]
        assert {"users", "posts", "reporting_blocks", "helpcenter_helplines"} <= set(expected)
        with db.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                ddl = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
                counted = {name for name in expected if "AUTOINCREMENT" in ddl[name]}
            else:
                counted = set(conn.execute(text(
                    "SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
                    " AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')")).scalars())
        assert [name for name in expected if name not in counted] == []


def migration_branches_owners(app) -> set[str]:
    """Tables of core and of the plugins ``app`` loaded."""
    from core.plugins import migrations as migration_branches

    loaded = {"core", *migration_branches.plugin_packages(app)}
    return {name for name, owner in migration_branches.table_owners(app).items() if owner in loaded}


def test_a_later_batch_migration_keeps_ids_from_being_reused(migrated_database_url):
    """SQLite's batch mode rebuilds a table from reflection, which cannot see AUTOINCREMENT; core adds it back."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from core.extensions import db

    with built_app(migrated_database_url, plugins=[]) as app:
        flask_db(app, "upgrade")
        with db.engine.connect() as conn:
            with Operations.context(MigrationContext.configure(conn)) as op:
                with op.batch_alter_table("state_version") as batch:  # a rebuild on SQLite, an ALTER elsewhere
                    batch.alter_column("version", existing_type=Integer(), nullable=True)
            conn.commit()
        with db.engine.begin() as conn:
            ids = [conn.execute(text("INSERT INTO state_version (version) VALUES (1) RETURNING id")).scalar_one()
                   for _ in range(2)]
            conn.execute(text("DELETE FROM state_version WHERE id = :id"), {"id": ids[-1]})
            again = conn.execute(text("INSERT INTO state_version (version) VALUES (1) RETURNING id")).scalar_one()
        assert again > ids[-1]


def test_upgrade_builds_the_search_index_with_its_full_text_part(migrated_database_url):
    """The migrated database searches like the test databases (``create_all``) do."""
    from flask_login import AnonymousUserMixin

    from core.extensions import db
    from core.models import Group
    from core.search import search

    with built_app(migrated_database_url, plugins=[]) as app:
        flask_db(app, "upgrade")
        engine = app.extensions["sqlalchemy"].engine
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                names = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
                assert {"search_fts", "search_index_ai", "search_index_ad", "search_index_au"} <= names
            else:
                assert conn.execute(text("SELECT is_generated FROM information_schema.columns WHERE "
                                         "table_name = 'search_index' AND column_name = 'document'")).scalar() == \
                    "ALWAYS"
                assert conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = "
                                         "'ix_search_index_document'")).scalar().endswith("USING gin (document)")
        db.session.add(Group(slug="choir", name="Village choir", description="We sing on Sundays"))
        db.session.commit()
        with app.test_request_context("/"):
            assert [hit.url for hit in search(AnonymousUserMixin(), "singing").items] == ["/g/choir"]
        db.session.remove()  # end the read, or PostgreSQL's DROP TABLE waits for it
        flask_db(app, "downgrade", "core0002")
        assert "search_index" not in inspect(engine).get_table_names()
        flask_db(app, "upgrade")
        assert schema_differences(app) == []
