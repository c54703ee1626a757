"""a full-text index of group names and descriptions only (PostgreSQL)

Revision ID: core_directory_search_index
Revises: core_conversation
Create Date: 2026-12-06 04:10:00.000000

The directory's search asks the search index for groups only (``source = 'group'``). The
GIN index over every row would hand it every post and comment with the word too, to be
thrown away afterwards (100,000 rows for a word in one post in ten, at a million posts); a
partial GIN index over the group rows answers from the groups alone. SQLite has no partial
FTS5 index: nothing to do there.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_directory_search_index'
down_revision = 'core_conversation'
branch_labels = None
depends_on = None

INDEX = "ix_search_index_group_document"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {INDEX} ON search_index USING gin (document) WHERE source = 'group'")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
