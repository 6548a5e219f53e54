"""Workshop rounds, participants, contributions, votes and participant invites.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_round",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("deadlines", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "workshop_participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(),
                  sa.ForeignKey("workshop_round.id", ondelete="CASCADE"), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("matched", sa.JSON(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("round_id", "telegram_id", name="uq_workshop_participant"),
    )
    op.create_index("ix_workshop_participant_round_id", "workshop_participant", ["round_id"])
    op.create_index("ix_workshop_participant_telegram_id", "workshop_participant",
                    ["telegram_id"])
    op.create_table(
        "workshop_contribution",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(),
                  sa.ForeignKey("workshop_round.id", ondelete="CASCADE"), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("swot_field", sa.String(length=1), nullable=True),
        sa.Column("actor_group", sa.String(length=16), nullable=True),
        sa.Column("partner_id", sa.BigInteger(), nullable=True),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_workshop_contribution_round_id", "workshop_contribution",
                    ["round_id"])
    op.create_index("ix_workshop_contribution_author_id", "workshop_contribution",
                    ["author_id"])
    op.create_table(
        "workshop_vote",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contribution_id", sa.Integer(),
                  sa.ForeignKey("workshop_contribution.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("voter_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("contribution_id", "voter_id", name="uq_workshop_vote"),
    )
    op.create_index("ix_workshop_vote_contribution_id", "workshop_vote", ["contribution_id"])
    op.create_index("ix_workshop_vote_voter_id", "workshop_vote", ["voter_id"])
    op.create_table(
        "workshop_invite",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("matched", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("invited_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("item_id", "telegram_id", name="uq_workshop_invite"),
    )
    op.create_index("ix_workshop_invite_item_id", "workshop_invite", ["item_id"])
    op.create_index("ix_workshop_invite_telegram_id", "workshop_invite", ["telegram_id"])


def downgrade() -> None:
    op.drop_table("workshop_invite")
    op.drop_table("workshop_vote")
    op.drop_table("workshop_contribution")
    op.drop_table("workshop_participant")
    op.drop_table("workshop_round")
