"""Flask extension singletons, bound to an app in ``create_app``."""
from __future__ import annotations

from flask import current_app, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Integer, MetaData, Table, event
from sqlalchemy.orm import Mapper

naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=naming_convention))
migrate = Migrate()


class SessionLoginManager(LoginManager):
    """Flask-Login's manager, minus one needless write of a visitor's session cookie.

    With ``session_protection = "basic"`` Flask-Login marks any non-empty session whose browser
    identifier it has not stored as not fresh (``_fresh = False``) the first time a request loads
    the user: for a visitor, the request after the first page that put a CSRF token in the
    session. That changes the session, so the response sets the cookie again. A browser has
    requests in flight side by side (its ``/favicon.ico`` after the log-in page, a picture, a
    second tab); when such a request was sent with the cookie from before log-in and answers
    after the log-in's response, its cookie replaces the logged-in one and the member is logged
    out on their next page. A visitor's session holds no login whose freshness could matter, so
    it is left as it is: no ``Set-Cookie`` unless something in it really changed. Sessions with a
    login are protected as Flask-Login does; so is every session in ``"strong"`` mode.
    """

    def _session_protection_failed(self) -> bool:
        mode = current_app.config.get("SESSION_PROTECTION", self.session_protection)
        if mode == "basic" and "_user_id" not in session:
            return False
        return super()._session_protection_failed()


login_manager = SessionLoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


def _has_integer_id(table: Table) -> bool:
    primary_key = list(getattr(table, "primary_key", ()))
    return len(primary_key) == 1 and isinstance(primary_key[0].type, Integer) and bool(primary_key[0].autoincrement)


@event.listens_for(Mapper, "instrument_class")
def _never_reuse_ids(mapper: Mapper, class_: type) -> None:
    """Every model's integer id is AUTOINCREMENT on SQLite, core's and every plugin's.

    Without it SQLite hands the id of the newest deleted row to the next insert, so reports,
    blocks and bans that point at a deleted post or account would attach to a new one.
    PostgreSQL sequences never reuse ids; the option only changes SQLite's DDL.
    """
    if _has_integer_id(mapper.local_table):
        mapper.local_table.dialect_kwargs["sqlite_autoincrement"] = True


@event.listens_for(Table, "before_create")
def _never_reuse_ids_in_migrations(table: Table, connection, **kw) -> None:
    """The same for tables a migration creates, including the copies Alembic's batch mode makes.

    Batch mode rebuilds a SQLite table from reflection, which cannot see AUTOINCREMENT: without
    this, any later ``batch_alter_table`` would silently bring id reuse back.
    """
    if connection.dialect.name == "sqlite" and _has_integer_id(table):
        table.dialect_kwargs["sqlite_autoincrement"] = True
