"""images attached in a composer before the post is published

Revision ID: core_pending_images
Revises: core_site_profile
Create Date: 2026-12-06 07:00:00.000000

``pending_images``: files a member attached in the composer (or the edit form) and that the
form keeps across errors and previews until the post is published or saved; the owner's rows
go with the account (ON DELETE CASCADE), abandoned ones are deleted by a daily job.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'core_pending_images'
down_revision = 'core_site_profile'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('file_key', sa.String(length=100), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_images_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_images')),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_pending_images_user_id'), 'pending_images', ['user_id'], unique=False)
    op.create_index(op.f('ix_pending_images_created_at'), 'pending_images', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_pending_images_created_at'), table_name='pending_images')
    op.drop_index(op.f('ix_pending_images_user_id'), table_name='pending_images')
    op.drop_table('pending_images')
