"""Flask extension singletons, bound to an app in ``create_app``."""
from __future__ import annotations

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
login_manager = LoginManager()
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
