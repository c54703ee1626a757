"""job claims; the outbox no longer holds help-center mail

Revision ID: core0002
Revises: core0001
Create Date: 2026-12-06 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'core0002'
down_revision = 'core0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_claims',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_job_claims'))
    )
    with op.batch_alter_table('job_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_claims_expires_at'), ['expires_at'], unique=False)

    # Help-center mail used to wait here with its address and text; it is a job now. Whatever
    # such mail is left (delivered or not) must not survive the upgrade.
    op.execute(sa.text("DELETE FROM outbox_messages WHERE purge_on_send"))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('purge_on_send')


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purge_on_send', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('job_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_claims_expires_at'))

    op.drop_table('job_claims')
