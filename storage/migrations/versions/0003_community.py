"""Members: profiles, invites, join requests, contact requests, monitoring figures.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("telegram_username", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("organization", sa.String(length=150), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        _when("created_at"),
        _when("updated_at"),
    )
    op.create_index("ix_profile_member_telegram_id", "profile", ["member_telegram_id"],
                    unique=True)
    op.create_index("ix_profile_telegram_username", "profile", ["telegram_username"])
    op.create_index("ix_profile_updated_at", "profile", ["updated_at"])

    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        _when("created_at"),
        _when("expires_at"),
        _when("revoked_at", nullable=True),
    )
    op.create_index("ix_invite_token", "invite", ["token"], unique=True)

    op.create_table(
        "invite_use",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invite_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        _when("used_at"),
    )
    op.create_index("ix_invite_use_invite_id", "invite_use", ["invite_id"])
    op.create_index("ix_invite_use_telegram_id", "invite_use", ["telegram_id"])

    op.create_table(
        "join_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        _when("created_at"),
        _when("decided_at", nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_join_request_telegram_id", "join_request", ["telegram_id"])
    op.create_index("ix_join_request_status", "join_request", ["status"])

    op.create_table(
        "contact_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requester_id", sa.BigInteger(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("target_telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        _when("created_at"),
        _when("decided_at", nullable=True),
    )
    op.create_index("ix_contact_request_requester_id", "contact_request", ["requester_id"])
    op.create_index("ix_contact_request_profile_id", "contact_request", ["profile_id"])
    op.create_index("ix_contact_request_target_telegram_id", "contact_request",
                    ["target_telegram_id"])
    op.create_index("ix_contact_request_created_at", "contact_request", ["created_at"])

    op.create_table(
        "match_search",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("query", sa.String(length=300), nullable=False),
        _when("created_at"),
    )
    op.create_index("ix_match_search_telegram_id", "match_search", ["telegram_id"])

    op.create_table(
        "monitoring_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_monitoring_entry_kind", "monitoring_entry", ["kind"])

    op.create_table(
        "linked_group",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("linked_by", sa.BigInteger(), nullable=True),
        _when("linked_at"),
    )


def downgrade() -> None:
    for table in ("linked_group", "monitoring_entry", "match_search", "contact_request",
                  "join_request", "invite_use", "invite", "profile"):
        op.drop_table(table)
