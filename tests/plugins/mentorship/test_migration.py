"""The plugin's Alembic branch builds exactly its models' tables, with AUTOINCREMENT ids on SQLite."""
from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.core.test_migrations import built_app, flask_db, schema_differences

TABLES = ("mentorship_programmes", "mentorship_signups", "mentorship_pairs", "mentorship_pair_posts",
          "mentorship_pair_notes", "mentorship_requests", "mentorship_exclusions")


def test_upgrade_builds_exactly_the_mentorship_schema(migrated_database_url):
    with built_app(migrated_database_url, plugins=["plugins.mentorship"]) as app:
        flask_db(app, "upgrade")
        assert schema_differences(app) == []
        if migrated_database_url.startswith("sqlite"):
            engine = create_engine(migrated_database_url)
            with engine.connect() as conn:
                for table in TABLES:
                    sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}).scalar()
                    assert "AUTOINCREMENT" in sql, table
            engine.dispose()
        flask_db(app, "downgrade", "mentorship@base")
