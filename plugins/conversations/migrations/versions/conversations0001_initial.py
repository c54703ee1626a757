"""conversations initial: conversations, participants, messages, preferences, team settings

Revision ID: conversations0001
Revises:
Create Date: 2026-12-06 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'conversations0001'
down_revision = None
branch_labels = ('conversations',)
depends_on = 'core0001'


def upgrade():
    op.create_table(
        'conversations_conversations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=True),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_message_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=True),
        sa.Column('assignee_id', sa.Integer(), nullable=True),
        sa.Column('source_post_id', sa.Integer(), nullable=True),
        sa.Column('retention_notice_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_conversations_conversations_group_id_groups'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_conversations_conversations_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['assignee_id'], ['users.id'],
                                name=op.f('fk_conversations_conversations_assignee_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations_conversations')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_conversations_conversations_team', 'conversations_conversations',
                    ['group_id', 'status', 'last_message_id'])
    op.create_index(op.f('ix_conversations_conversations_last_activity_at'), 'conversations_conversations',
                    ['last_activity_at'])
    op.create_table(
        'conversations_participants',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('last_read_id', sa.Integer(), nullable=False),
        sa.Column('muted', sa.Boolean(), nullable=False),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state_changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_emailed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations_conversations.id'],
                                name=op.f('fk_conversations_participants_conversation_id_conversations_conversations'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conversations_participants_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations_participants')),
        sa.UniqueConstraint('conversation_id', 'user_id', name='uq_conversations_participants_pair'),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_conversations_participants_conversation_id'), 'conversations_participants',
                    ['conversation_id'])
    op.create_index('ix_conversations_participants_inbox', 'conversations_participants', ['user_id', 'state'])
    op.create_table(
        'conversations_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_erased', sa.Boolean(), nullable=False),
        sa.Column('body_source', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('body_inert', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('from_team', sa.Boolean(), nullable=False),
        sa.Column('signed_as_team', sa.Boolean(), nullable=False),
        sa.Column('internal', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations_conversations.id'],
                                name=op.f('fk_conversations_messages_conversation_id_conversations_conversations'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_conversations_messages_author_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations_messages')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_conversations_messages_thread', 'conversations_messages', ['conversation_id', 'id'])
    op.create_index(op.f('ix_conversations_messages_author_id'), 'conversations_messages', ['author_id'])
    op.create_table(
        'conversations_preferences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('who_may_message', sa.String(length=10), nullable=False),
        sa.Column('email_content', sa.Boolean(), nullable=False),
        sa.Column('email_enabled', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conversations_preferences_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations_preferences')),
        sa.UniqueConstraint('user_id', name=op.f('uq_conversations_preferences_user_id')),
        sqlite_autoincrement=True,
    )
    op.create_table(
        'conversations_team_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('sign_as_team', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_conversations_team_settings_group_id_groups'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations_team_settings')),
        sa.UniqueConstraint('group_id', name=op.f('uq_conversations_team_settings_group_id')),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table('conversations_team_settings')
    op.drop_table('conversations_preferences')
    op.drop_index('ix_conversations_messages_thread', table_name='conversations_messages')
    op.drop_index(op.f('ix_conversations_messages_author_id'), table_name='conversations_messages')
    op.drop_table('conversations_messages')
    op.drop_index('ix_conversations_participants_inbox', table_name='conversations_participants')
    op.drop_index(op.f('ix_conversations_participants_conversation_id'), table_name='conversations_participants')
    op.drop_table('conversations_participants')
    op.drop_index(op.f('ix_conversations_conversations_last_activity_at'), table_name='conversations_conversations')
    op.drop_index('ix_conversations_conversations_team', table_name='conversations_conversations')
    op.drop_table('conversations_conversations')
