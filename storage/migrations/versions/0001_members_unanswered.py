"""Members and the unanswered-question log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_member_telegram_id", "member", ["telegram_id"], unique=True)
    op.create_index("ix_member_username", "member", ["username"])
    op.create_table(
        "unanswered_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("best_topic", sa.String(length=40), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
    )
    op.create_index("ix_unanswered_question_asked_at", "unanswered_question", ["asked_at"])
    op.create_index("ix_unanswered_question_telegram_id", "unanswered_question", ["telegram_id"])


def downgrade() -> None:
    op.drop_table("unanswered_question")
    op.drop_table("member")
