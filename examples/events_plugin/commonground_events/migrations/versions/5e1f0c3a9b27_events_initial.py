"""events initial: events of a group and who is going

Revision ID: 5e1f0c3a9b27
Revises:
Create Date: 2026-12-06 10:00:00

The first revision of the ``events`` branch; it needs core's ``users`` and ``groups``.
"""
import sqlalchemy as sa
from alembic import op

revision = "5e1f0c3a9b27"
down_revision = None
branch_labels = ("events",)
depends_on = "core0001"


def upgrade():
    op.create_table(
        "events_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_events_events_created_by_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_events_events_group_id_groups"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_events")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("events_events") as batch_op:
        batch_op.create_index(batch_op.f("ix_events_events_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index("ix_events_events_upcoming", ["group_id", "starts_at", "id"], unique=False)
        batch_op.create_index("ix_events_events_due", ["reminded_at", "starts_at"], unique=False)

    op.create_table(
        "events_attendances",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events_events.id"],
                                name=op.f("fk_events_attendances_event_id_events_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_events_attendances_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_events_attendances")),
    )
    with op.batch_alter_table("events_attendances") as batch_op:
        batch_op.create_index(batch_op.f("ix_events_attendances_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("events_attendances") as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_attendances_user_id"))
    op.drop_table("events_attendances")
    with op.batch_alter_table("events_events") as batch_op:
        batch_op.drop_index("ix_events_events_due")
        batch_op.drop_index("ix_events_events_upcoming")
        batch_op.drop_index(batch_op.f("ix_events_events_created_by_id"))
    op.drop_table("events_events")
