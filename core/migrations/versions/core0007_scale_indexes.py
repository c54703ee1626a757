"""indexes for lists at scale

Revision ID: core_scale_indexes
Revises: e2b7c4d91a3f
Create Date: 2026-12-06 02:15:00.000000

``notifications (user_id, id)`` serves the newest-first notifications list and its cursor on
both databases (SQLite sorted all of a member's rows in a temporary B-tree: 268 ms at 50,000);
``groups (name, id)`` serves the directory's order and its cursor without sorting every group.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_scale_indexes'
down_revision = 'e2b7c4d91a3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_notifications_user_newest', 'notifications', ['user_id', 'id'])
    op.create_index('ix_groups_directory', 'groups', ['name', 'id'])


def downgrade():
    op.drop_index('ix_groups_directory', table_name='groups')
    op.drop_index('ix_notifications_user_newest', table_name='notifications')
