"""mentorship initial

Revision ID: mentorship0001
Revises:
Create Date: 2026-12-06 01:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mentorship0001'
down_revision = None
branch_labels = ('mentorship',)
depends_on = 'core0001'

AUTO = {"sqlite_autoincrement": True}


def upgrade():
    op.create_table('mentorship_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('template_key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('duration_weeks', sa.Integer(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('admin_matching', sa.Boolean(), nullable=False),
    sa.Column('member_requests', sa.Boolean(), nullable=False),
    sa.Column('partner_name', sa.String(length=120), nullable=False),
    sa.Column('partner_url', sa.String(length=300), nullable=False),
    sa.Column('partner_description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mentorship_programmes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_mentorship_programmes_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_programmes')),
    **AUTO
    )
    with op.batch_alter_table('mentorship_programmes', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_programmes_group', ['group_id', 'id'], unique=False)

    op.create_table('mentorship_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['mentorship_programmes.id'], name=op.f('fk_mentorship_signups_programme_id_mentorship_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mentorship_signups_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_signups')),
    sa.UniqueConstraint('programme_id', 'user_id', 'role', name='uq_mentorship_signups_role'),
    **AUTO
    )
    with op.batch_alter_table('mentorship_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentorship_signups_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_signups_user_id'), ['user_id'], unique=False)

    op.create_table('mentorship_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.Column('steps_done', sa.Integer(), nullable=False),
    sa.Column('fit_mentor', sa.String(length=16), nullable=True),
    sa.Column('fit_mentee', sa.String(length=16), nullable=True),
    sa.Column('feedback_mentor', sa.Text(), nullable=False),
    sa.Column('feedback_mentee', sa.Text(), nullable=False),
    sa.Column('keep_mentor', sa.Boolean(), nullable=False),
    sa.Column('keep_mentee', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_week', sa.String(length=10), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentorship_pairs_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentorship_pairs_mentor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['mentorship_programmes.id'], name=op.f('fk_mentorship_pairs_programme_id_mentorship_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_pairs')),
    **AUTO
    )
    with op.batch_alter_table('mentorship_pairs', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_pairs_programme', ['programme_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_pairs_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_pairs_mentee_id'), ['mentee_id'], unique=False)

    op.create_table('mentorship_pair_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_mentorship_pair_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['mentorship_pairs.id'], name=op.f('fk_mentorship_pair_posts_pair_id_mentorship_pairs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['mentorship_pair_posts.id'], name=op.f('fk_mentorship_pair_posts_parent_id_mentorship_pair_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_pair_posts')),
    **AUTO
    )
    with op.batch_alter_table('mentorship_pair_posts', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_pair_posts_pair', ['pair_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_pair_posts_author_id'), ['author_id'], unique=False)

    op.create_table('mentorship_pair_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_mentorship_pair_notes_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['mentorship_pairs.id'], name=op.f('fk_mentorship_pair_notes_pair_id_mentorship_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_pair_notes')),
    **AUTO
    )
    with op.batch_alter_table('mentorship_pair_notes', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_pair_notes_pair', ['pair_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_pair_notes_author_id'), ['author_id'], unique=False)

    op.create_table('mentorship_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentorship_requests_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentorship_requests_mentor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['mentorship_programmes.id'], name=op.f('fk_mentorship_requests_programme_id_mentorship_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_requests')),
    **AUTO
    )
    with op.batch_alter_table('mentorship_requests', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_requests_mentor', ['mentor_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_requests_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_requests_mentee_id'), ['mentee_id'], unique=False)

    op.create_table('mentorship_exclusions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentorship_exclusions_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentorship_exclusions_mentor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['mentorship_programmes.id'], name=op.f('fk_mentorship_exclusions_programme_id_mentorship_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_exclusions')),
    sa.UniqueConstraint('programme_id', 'mentor_id', 'mentee_id', name='uq_mentorship_exclusions'),
    **AUTO
    )


def downgrade():
    for table in ('mentorship_exclusions', 'mentorship_requests', 'mentorship_pair_notes', 'mentorship_pair_posts',
                  'mentorship_pairs', 'mentorship_signups', 'mentorship_programmes'):
        op.drop_table(table)
