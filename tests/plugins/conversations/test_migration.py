"""The plugin's Alembic branch builds exactly its models' tables, AUTOINCREMENT on SQLite."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from core.testing import throwaway_database
from tests.core.test_migrations import built_app, flask_db, schema_differences


@pytest.fixture
def empty_database_url(tmp_path):
    with throwaway_database("cg_conv_mig", str(tmp_path)) as url:
        yield url


def test_upgrade_builds_the_conversations_tables_as_the_models_say(empty_database_url):
    with built_app(empty_database_url, plugins=["plugins.conversations"]) as app:
        flask_db(app, "upgrade")
        engine = app.extensions["sqlalchemy"].engine
        names = set(inspect(engine).get_table_names())
        assert {"conversations_conversations", "conversations_participants", "conversations_messages",
                "conversations_preferences", "conversations_team_settings"} <= names
        assert schema_differences(app) == []
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'conversations_messages'")).scalar()
            assert "AUTOINCREMENT" in ddl
        flask_db(app, "downgrade", "conversations@base")
        assert "conversations_messages" not in set(inspect(engine).get_table_names())
