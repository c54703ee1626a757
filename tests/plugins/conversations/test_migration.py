"""The plugin's Alembic branch builds exactly its models' tables, AUTOINCREMENT on SQLite."""
from __future__ import annotations

from sqlalchemy import inspect, text

from tests.core.test_migrations import built_app, flask_db, schema_differences


def test_upgrade_builds_the_conversations_tables_as_the_models_say(migrated_database_url):
    with built_app(migrated_database_url, plugins=["plugins.conversations"]) as app:
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


def _user(conn, name: str) -> int:
    from core.plugin_api import User, utcnow

    return conn.execute(User.__table__.insert().values(email=f"{name}@example.org", username=name,
                                                       display_name=name, password_hash="x",
                                                       adult_attested_at=utcnow())).inserted_primary_key[0]


def test_members_choice_of_no_mail_moves_to_cores_notification_settings_and_back(migrated_database_url):
    with built_app(migrated_database_url, plugins=["plugins.conversations"]) as app:
        flask_db(app, "upgrade")
        flask_db(app, "downgrade", "conversations0001")
        engine = app.extensions["sqlalchemy"].engine
        with engine.begin() as conn:
            quiet, chatty = _user(conn, "quiet"), _user(conn, "chatty")
            both = _user(conn, "both")  # already chose in core: kept, not duplicated
            for uid, enabled in ((quiet, False), (chatty, True), (both, False)):
                conn.execute(text("INSERT INTO conversations_preferences (user_id, who_may_message, email_content, "
                                  "email_enabled) VALUES (:u, 'talked', false, :on)"), {"u": uid, "on": enabled})
            conn.execute(text("INSERT INTO notification_preferences (user_id, kind, email_enabled) "
                              "VALUES (:u, 'conversations_new_message', false)"), {"u": both})
        flask_db(app, "upgrade")
        assert schema_differences(app) == []
        with engine.connect() as conn:
            off = set(conn.execute(text("SELECT user_id FROM notification_preferences "
                                        "WHERE kind = 'conversations_new_message' AND NOT email_enabled")).scalars())
            kept = conn.execute(text("SELECT count(*) FROM conversations_preferences "
                                     "WHERE who_may_message = 'talked' AND NOT email_content")).scalar()
        assert off == {quiet, both}
        assert kept == 3
        columns = {c["name"] for c in inspect(engine).get_columns("conversations_preferences")}
        assert "email_enabled" not in columns
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'conversations_preferences'")
                                   ).scalar()
            assert "AUTOINCREMENT" in ddl
        flask_db(app, "downgrade", "conversations0001")
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT user_id, email_enabled FROM conversations_preferences")).all())
            left = conn.execute(text("SELECT count(*) FROM notification_preferences "
                                     "WHERE kind = 'conversations_new_message'")).scalar()
        assert {uid: bool(on) for uid, on in rows.items()} == {quiet: False, chatty: True, both: False}
        assert left == 0
