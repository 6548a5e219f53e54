"""Action plan items, status history and reminder state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=1000), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("responsible_id", sa.Integer(),
                  sa.ForeignKey("member.id", ondelete="SET NULL"), nullable=True),
        sa.Column("responsible_username", sa.String(length=64), nullable=True),
        sa.Column("responsible_name", sa.String(length=200), nullable=True),
        sa.Column("participants", sa.String(length=500), nullable=False),
        sa.Column("participant_groups", sa.JSON(), nullable=False),
        sa.Column("kpi", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("planned_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_occasion", sa.String(length=40), nullable=True),
        sa.Column("next_reminder_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_plan_item_status_deadline", "plan_item", ["status", "deadline"])
    op.create_index("ix_plan_item_responsible_id", "plan_item", ["responsible_id"])
    op.create_index("ix_plan_item_done_at", "plan_item", ["done_at"])
    op.create_index("ix_plan_item_next_reminder_at", "plan_item", ["next_reminder_at"])
    op.create_table(
        "plan_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("plan_item.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.BigInteger(), nullable=True),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("from_deadline", sa.Date(), nullable=True),
        sa.Column("to_deadline", sa.Date(), nullable=True),
    )
    op.create_index("ix_plan_history_item_id", "plan_history", ["item_id"])
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("plan_item.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_reminder_item_id", "reminder", ["item_id"])
    op.create_index("ix_reminder_state_due_at", "reminder", ["state", "due_at"])


def downgrade() -> None:
    op.drop_table("reminder")
    op.drop_table("plan_history")
    op.drop_table("plan_item")
