"""Events, registrations, B2B meetings and their seats, notices and follow-ups (issue #14).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", WHEN, nullable=False),
        sa.Column("ends_at", WHEN, nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("registration_deadline", WHEN, nullable=False),
        sa.Column("visitors_allowed", sa.Boolean(), nullable=False),
        sa.Column("invite_token", sa.String(length=32), nullable=True),
        sa.Column("meeting_start", WHEN, nullable=True),
        sa.Column("meeting_end", WHEN, nullable=True),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", WHEN, nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("invite_token"),
    )
    op.create_index("ix_event_starts_at", "event", ["starts_at"])
    op.create_table(
        "event_registration",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("registered_at", WHEN, nullable=False),
        sa.UniqueConstraint("event_id", "telegram_id", name="uq_event_registration_person"),
    )
    op.create_index("ix_event_registration_event_id", "event_registration", ["event_id"])
    op.create_index("ix_event_registration_telegram_id", "event_registration",
                    ["telegram_id"])
    op.create_table(
        "event_meeting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("requester_id", sa.BigInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("slot_start", WHEN, nullable=True),
        sa.Column("table_no", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.UniqueConstraint("event_id", "slot_start", "table_no", name="uq_event_meeting_table"),
    )
    op.create_index("ix_event_meeting_event_id", "event_meeting", ["event_id"])
    op.create_index("ix_event_meeting_requester_id", "event_meeting", ["requester_id"])
    op.create_index("ix_event_meeting_target_id", "event_meeting", ["target_id"])
    op.create_table(
        "event_meeting_seat",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(),
                  sa.ForeignKey("event_meeting.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("slot_start", WHEN, nullable=False),
        sa.UniqueConstraint("event_id", "telegram_id", "slot_start",
                            name="uq_event_meeting_seat"),
    )
    op.create_index("ix_event_meeting_seat_meeting_id", "event_meeting_seat", ["meeting_id"])
    op.create_table(
        "event_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("not_before", WHEN, nullable=True),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("claimed_by", sa.String(length=96), nullable=True),
        sa.Column("lease_until", WHEN, nullable=True),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_event_notice_state_due_at", "event_notice", ["state", "due_at"])
    op.create_index("ix_event_notice_chat_id", "event_notice", ["chat_id"])
    op.create_table(
        "event_followup",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("asked_at", WHEN, nullable=False),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("project", sa.Boolean(), nullable=True),
        sa.Column("mention", sa.Boolean(), nullable=True),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.UniqueConstraint("telegram_id", "source", "source_id", "months",
                            name="uq_event_followup_occasion"),
    )
    op.create_index("ix_event_followup_telegram_id", "event_followup", ["telegram_id"])
    op.create_index("ix_event_followup_answered_at", "event_followup", ["answered_at"])
    op.create_table(
        "event_followup_optout",
        sa.Column("telegram_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("at", WHEN, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("event_followup_optout")
    op.drop_table("event_followup")
    op.drop_table("event_notice")
    op.drop_table("event_meeting_seat")
    op.drop_table("event_meeting")
    op.drop_table("event_registration")
    op.drop_table("event")
