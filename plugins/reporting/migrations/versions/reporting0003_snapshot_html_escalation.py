"""reporting: snapshots as readers saw them, escalation to the site queue

Revision ID: reporting0003
Revises: reporting0002
Create Date: 2026-12-06 10:00:00

Cases and reports keep the reported content's sanitized HTML beside its text (older rows
keep an empty value; pages then show the text with its line breaks). ``escalated`` puts a
group's case in the site queue when no moderator of the group may handle it.
"""
from alembic import op
import sqlalchemy as sa


revision = 'reporting0003'
down_revision = 'reporting0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reporting_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_html', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('escalated', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('reporting_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_html', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('reporting_reports', schema=None) as batch_op:
        batch_op.drop_column('snapshot_html')
    with op.batch_alter_table('reporting_cases', schema=None) as batch_op:
        batch_op.drop_column('escalated')
        batch_op.drop_column('snapshot_html')
