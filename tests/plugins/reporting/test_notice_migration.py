"""Notices stored with a frozen sentence are migrated to structured data, read in the reader's language."""
from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import MetaData, Table, select

from core.extensions import db
from core.models import Notification
from core.models.base import utcnow
from core.notifications.describe import describe_text
from tests.core.test_migrations import built_app, empty_database_url, flask_db  # noqa: F401 (fixture)

OLD_NOTICES = [
    # (kind, data as the old code stored it)
    ("reporting_outcome", {"text": "Your report (Spam) was reviewed: We took action.", "report_id": 1,
                           "outcome": "action"}),
    ("reporting_outcome", {"text": "Your report (Hate) was reviewed: We found no violation.", "report_id": 99,
                           "outcome": "no_violation"}),
    ("reporting_decision", {"text": "A moderator reviewed your post: you received a warning. Rule: Be kind",
                            "decision_id": 1, "actions": ["warn"], "rule": "Be kind", "explanation": "x",
                            "item": "post"}),
    ("reporting_new_case", {"text": "A new report is waiting in the moderation queue.", "case_id": 1}),
]


def _insert_old_notices(conn) -> None:
    """A member, a case with one spam report, and the notices as the old code stored them."""
    tables = MetaData()
    tables.reflect(conn, only=["users", "reporting_cases", "reporting_reports", "notifications"])
    now = utcnow()
    conn.execute(tables.tables["users"].insert().values(
        id=1, email="rita@example.org", username="rita", display_name="Rita", password_hash="x", locale="de", bio="",
        adult_attested_at=now, is_site_admin=False, session_version=1, created_at=now))
    conn.execute(tables.tables["reporting_cases"].insert().values(
        id=1, content_type="post", content_id=1, state="resolved", urgent=False, priority=10, report_count=1,
        categories={"spam": 1}, snapshot="", content_hash="", created_at=now, updated_at=now))
    conn.execute(tables.tables["reporting_reports"].insert().values(
        id=1, case_id=1, reporter_id=1, content_type="post", content_id=1, category="spam", note="", snapshot="",
        content_hash="", created_at=now))
    conn.execute(tables.tables["notifications"].insert(),
                 [{"user_id": 1, "kind": kind, "data": data, "created_at": now} for kind, data in OLD_NOTICES])


def _notices(conn) -> list[tuple[str, dict]]:
    notifications = Table("notifications", MetaData(), autoload_with=conn)
    return [(row.kind, row.data) for row in conn.execute(
        select(notifications.c.kind, notifications.c.data).order_by(notifications.c.id))]


def test_upgrade_drops_frozen_sentences_and_copies_the_reports_category(empty_database_url):  # noqa: F811
    with built_app(empty_database_url, plugins=["plugins.reporting"]) as app:
        flask_db(app, "upgrade", "reporting0001")
        engine = app.extensions["sqlalchemy"].engine
        with engine.begin() as conn:
            _insert_old_notices(conn)
        flask_db(app, "upgrade")
        with engine.connect() as conn:
            migrated = _notices(conn)
        assert all("text" not in data for _, data in migrated)
        assert migrated[0][1] == {"report_id": 1, "outcome": "action", "category": "spam"}
        assert migrated[1][1] == {"report_id": 99, "outcome": "no_violation", "category": None}
        assert migrated[2][1]["actions"] == ["warn"] and migrated[3][1] == {"case_id": 1}

        notes = db.session.scalars(db.select(Notification).order_by(Notification.id)).all()
        with app.test_request_context(), force_locale("de"):
            assert [describe_text(note) for note in notes] == [
                "Deine Meldung (Spam) wurde geprüft: Wir haben Maßnahmen ergriffen.",
                "Deine Meldung wurde geprüft: Wir haben keinen Verstoß festgestellt.",
                "Die Moderation hat etwas von dir geprüft (Beitrag): du hast eine Verwarnung erhalten. Regel: Be kind",
                "Eine neue Meldung wartet in der Moderations-Warteschlange.",
            ]

        flask_db(app, "downgrade", "reporting0001")
        with engine.connect() as conn:
            restored = _notices(conn)
        assert restored[0][1]["text"] == "Your report (Spam) was reviewed: We took action."
        assert restored[2][1]["text"] == OLD_NOTICES[2][1]["text"]
        assert restored[3][1]["text"] == OLD_NOTICES[3][1]["text"]
