"""conversations: the "email me about new messages" choice moves to core's notification settings

Members used to switch conversation mail off on the plugin's own settings page
(``conversations_preferences.email_enabled``). It is now an email kind of core's
(``conversations_new_message``), chosen on the notification settings page like every other
email. Each member who had switched it off gets core's row saying so; the column goes.
Downgrading writes the choices back into the column and removes core's rows for the kind.

Revision ID: conversations_mail_in_core
Revises: conversations0001
Create Date: 2026-12-06 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'conversations_mail_in_core'
down_revision = 'conversations0001'
branch_labels = None
depends_on = None

KIND = 'conversations_new_message'

core_prefs = sa.table('notification_preferences', sa.column('user_id', sa.Integer), sa.column('kind', sa.String),
                      sa.column('email_enabled', sa.Boolean))
prefs = sa.table('conversations_preferences', sa.column('user_id', sa.Integer),
                 sa.column('who_may_message', sa.String), sa.column('email_content', sa.Boolean),
                 sa.column('email_enabled', sa.Boolean))


def upgrade():
    already = sa.exists().where(core_prefs.c.user_id == prefs.c.user_id, core_prefs.c.kind == KIND)
    op.execute(core_prefs.insert().from_select(
        ['user_id', 'kind', 'email_enabled'],
        sa.select(prefs.c.user_id, sa.literal(KIND), sa.false()).where(prefs.c.email_enabled == sa.false(), ~already)))
    with op.batch_alter_table('conversations_preferences', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_column('email_enabled')


def downgrade():
    with op.batch_alter_table('conversations_preferences', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.add_column(sa.Column('email_enabled', sa.Boolean(), nullable=False, server_default=sa.true()))
    off = sa.select(core_prefs.c.user_id).where(core_prefs.c.kind == KIND, core_prefs.c.email_enabled == sa.false())
    op.execute(prefs.update().where(prefs.c.user_id.in_(off)).values(email_enabled=False))
    has_row = sa.select(prefs.c.user_id)
    op.execute(prefs.insert().from_select(
        ['user_id', 'who_may_message', 'email_content', 'email_enabled'],
        sa.select(core_prefs.c.user_id, sa.literal('groups'), sa.true(), sa.false())
        .where(core_prefs.c.kind == KIND, core_prefs.c.email_enabled == sa.false(), core_prefs.c.user_id.not_in(has_row))))
    op.execute(core_prefs.delete().where(core_prefs.c.kind == KIND))
