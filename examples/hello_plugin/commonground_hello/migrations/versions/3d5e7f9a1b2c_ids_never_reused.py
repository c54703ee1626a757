"""hello ids are never reused on SQLite (AUTOINCREMENT)

SQLite hands the id of the newest deleted row to the next insert unless a table is declared
AUTOINCREMENT, so a report, block or ban pointing at a deleted row would attach to a new one.
The option can only be set when a table is created: on SQLite each table is rebuilt (batch
mode copies the rows; ``env.py`` turns foreign keys off meanwhile so nothing cascades).
PostgreSQL sequences never reuse ids, so nothing happens there.

Revision ID: 3d5e7f9a1b2c
Revises: fa91f8a02b1f
Create Date: 2026-11-24 10:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '3d5e7f9a1b2c'
down_revision = 'fa91f8a02b1f'
branch_labels = None
depends_on = None

TABLES = (
    'hello_greetings',
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TABLES:
        with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
