"""Self-check results and funding records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "selfcheck_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
    )
    op.create_index("ix_selfcheck_result_telegram_id", "selfcheck_result", ["telegram_id"])
    op.create_index("ix_selfcheck_result_taken_at", "selfcheck_result", ["taken_at"])
    op.create_table(
        "funding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("membership_fees", sa.BigInteger(), nullable=False),
        sa.Column("public_funding", sa.BigInteger(), nullable=False),
        sa.Column("services", sa.BigInteger(), nullable=False),
        sa.Column("projects", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_funding_year", "funding", ["year"], unique=True)
    op.create_table(
        "pitfall_setting",
        sa.Column("key", sa.String(length=40), primary_key=True),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pitfall_setting")
    op.drop_index("ix_funding_year", table_name="funding")
    op.drop_table("funding")
    op.drop_index("ix_selfcheck_result_taken_at", table_name="selfcheck_result")
    op.drop_index("ix_selfcheck_result_telegram_id", table_name="selfcheck_result")
    op.drop_table("selfcheck_result")
