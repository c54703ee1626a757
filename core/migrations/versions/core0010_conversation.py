"""reactions, replies, pins, following and digests

Reactions on posts and comments (one per kind per person, enforced by a unique constraint),
``comments.parent_id`` for one level of replies, ``posts.pinned_at``, the member's
``notify_level`` per group (existing members stay "normal") and the email digest choice per
person (everyone starts "off"). Existing tables keep AUTOINCREMENT when SQLite rebuilds them.

Revision ID: core_conversation
Revises: core_media
Create Date: 2026-12-06 03:51:36.656896

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'core_conversation'
down_revision = 'core_media'
branch_labels = None
depends_on = None

KEEP = {'sqlite_autoincrement': True}


def upgrade():
    op.create_table('post_reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_reactions_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_post_reactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_reactions')),
    sa.UniqueConstraint('post_id', 'kind', 'user_id', name=op.f('uq_post_reactions_post_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('post_reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_reactions_user_id'), ['user_id'], unique=False)

    op.create_table('comment_reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_reactions_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_comment_reactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_reactions')),
    sa.UniqueConstraint('comment_id', 'kind', 'user_id', name=op.f('uq_comment_reactions_comment_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('comment_reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_reactions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('comments', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_parent_id_comments'), 'comments', ['parent_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('memberships', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.add_column(sa.Column('notify_level', sa.String(length=10), server_default='normal', nullable=False))

    with op.batch_alter_table('posts', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.add_column(sa.Column('pinned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_posts_group_pinned', ['group_id', 'pinned_at'], unique=False)

    with op.batch_alter_table('users', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=10), server_default='off', nullable=False))
        batch_op.add_column(sa.Column('digest_sent_period', sa.String(length=24), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.drop_column('digest_sent_period')
        batch_op.drop_column('digest')

    with op.batch_alter_table('posts', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.drop_index('ix_posts_group_pinned')
        batch_op.drop_column('pinned_at')

    with op.batch_alter_table('memberships', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.drop_column('notify_level')

    with op.batch_alter_table('comments', schema=None, table_kwargs=KEEP) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_parent_id_comments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('comment_reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_reactions_user_id'))

    op.drop_table('comment_reactions')
    with op.batch_alter_table('post_reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_reactions_user_id'))

    op.drop_table('post_reactions')
