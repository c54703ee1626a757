"""The resources branch builds exactly the plugin's tables, ids never reused on SQLite."""
from __future__ import annotations

from sqlalchemy import inspect, text

from tests.core.test_migrations import built_app, flask_db, schema_differences


def test_upgrade_builds_exactly_the_resources_schema(migrated_database_url):
    with built_app(migrated_database_url, plugins=["plugins.resources"]) as app:
        flask_db(app, "upgrade")
        assert schema_differences(app) == []
        tables = inspect(app.extensions["sqlalchemy"].engine).get_table_names()
        assert {"resources_hubs", "resources_items", "resources_revisions", "resources_partners"} <= set(tables)


def test_sqlite_ids_are_autoincrement(migrated_database_url):
    if not migrated_database_url.startswith("sqlite"):
        return
    with built_app(migrated_database_url, plugins=["plugins.resources"]) as app:
        flask_db(app, "upgrade")
        with app.extensions["sqlalchemy"].engine.connect() as conn:
            sql = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type='table'")).all())
        for table in ("resources_hubs", "resources_topics", "resources_items", "resources_texts",
                      "resources_revisions", "resources_partners"):
            assert "AUTOINCREMENT" in sql[table], table


def test_downgrade_removes_only_the_resources_tables(migrated_database_url):
    with built_app(migrated_database_url, plugins=["plugins.resources"]) as app:
        flask_db(app, "upgrade")
        flask_db(app, "downgrade", "resources@base")
        tables = inspect(app.extensions["sqlalchemy"].engine).get_table_names()
        assert not [t for t in tables if t.startswith("resources_")] and "users" in tables
