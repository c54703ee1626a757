"""page cache: the shared version of each scope (site, group, person) cached pages are keyed by

Revision ID: core_page_versions
Revises: core_pending_images
Create Date: 2026-12-06 07:15:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_page_versions'
down_revision = 'core_pending_images'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'page_versions',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade():
    op.drop_table('page_versions')
