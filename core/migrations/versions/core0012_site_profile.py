"""site profile: the first-run setup's name, description, logo and default language

Revision ID: core_site_profile
Revises: core_directory_search_index
Create Date: 2026-12-06 04:15:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_site_profile'
down_revision = 'core_directory_search_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'site_profile',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('logo_key', sa.String(length=200), nullable=True),
        sa.Column('default_locale', sa.String(length=10), nullable=True),
        sa.Column('setup_done_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('site_profile')
