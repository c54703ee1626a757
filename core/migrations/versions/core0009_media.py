"""avatars and images in posts

Revision ID: core_media
Revises: core_home_profiles
Create Date: 2026-12-06 04:20:00.000000

``users.avatar_key``: the member's uploaded picture in core.storage (NULL: initials avatar),
read with the user row, so showing avatars costs no query. ``posts.image_count``: feeds ask
for images only when a post on the page has some. ``post_images``: files published
with a post, with alt text and size; rows go with their post (ON DELETE CASCADE), files are
deleted from storage by the code that deletes the post.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_media'
down_revision = 'core_home_profiles'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.add_column(sa.Column('avatar_key', sa.String(length=100), nullable=True))
    with op.batch_alter_table('posts', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.add_column(sa.Column('image_count', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'post_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('file_key', sa.String(length=100), nullable=False),
        sa.Column('alt_text', sa.String(length=500), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_images_post_id_posts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_post_images')),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_post_images_post_id'), 'post_images', ['post_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_post_images_post_id'), table_name='post_images')
    op.drop_table('post_images')
    with op.batch_alter_table('posts', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_column('image_count')
    with op.batch_alter_table('users', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_column('avatar_key')
