"""mentorship: a sign-up's stated language preference

Revision ID: mentorship0002
Revises: mentorship0001
Create Date: 2026-12-06 04:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mentorship0002'
down_revision = 'mentorship0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentorship_signups') as batch_op:
        batch_op.add_column(sa.Column('preferred_languages', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('mentorship_signups') as batch_op:
        batch_op.drop_column('preferred_languages')
