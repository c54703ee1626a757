"""group plugin settings: each group's values for a group-scope plugin's per-group settings

Revision ID: core0004_gps
Revises: core0003
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'core0004_gps'
down_revision = 'core0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('group_plugin_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade():
    with op.batch_alter_table('group_plugin_states', schema=None) as batch_op:
        batch_op.drop_column('settings')
