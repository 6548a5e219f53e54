"""Teaching the bot (#12): cluster entries, their changes, taught phrasings, hidden shipped
entries, answers with feedback, forwarded questions, the review queue's handled misses, the
knowledge version stamp; the entry a 👎 was given to on unanswered_question.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _now() -> sa.Column:
    return sa.Column("changed_at", sa.DateTime(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("unanswered_question") as batch:
        batch.add_column(sa.Column("answered_with", sa.String(length=40), nullable=True))
    op.create_table(
        "cluster_entry",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column("chapter", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "entry_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("changed_by", sa.BigInteger(), nullable=True),
        _now(),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_index("ix_entry_change_entry_id", "entry_change", ["entry_id"])
    op.create_table(
        "taught_phrasing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_taught_phrasing_entry_id", "taught_phrasing", ["entry_id"])
    op.create_table(
        "hidden_entry",
        sa.Column("entry_id", sa.String(length=40), primary_key=True),
        sa.Column("hidden_by", sa.BigInteger(), nullable=True),
        sa.Column("hidden_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "answered_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("vote", sa.Integer(), nullable=True),
        sa.Column("voted_at", sa.DateTime(), nullable=True),
    )
    for column in ("asked_at", "telegram_id", "entry_id"):
        op.create_index(f"ix_answered_question_{column}", "answered_question", [column])
    op.create_table(
        "forwarded_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("answered_by", sa.BigInteger(), nullable=True),
        sa.Column("answer", sa.String(length=2000), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("entry_id", sa.String(length=40), nullable=True),
        sa.Column("unanswered_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_forwarded_question_telegram_id", "forwarded_question", ["telegram_id"])
    op.create_index("ix_forwarded_question_unanswered_id", "forwarded_question",
                    ["unanswered_id"])
    op.create_table(
        "handled_miss",
        sa.Column("unanswered_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("handled_by", sa.BigInteger(), nullable=True),
        sa.Column("handled_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_handled_miss_batch", "handled_miss", ["batch"])
    op.create_table(
        "knowledge_version",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _now(),
    )


def downgrade() -> None:
    for table in ("knowledge_version", "handled_miss", "forwarded_question",
                  "answered_question", "hidden_entry", "taught_phrasing", "entry_change",
                  "cluster_entry"):
        op.drop_table(table)
    with op.batch_alter_table("unanswered_question") as batch:
        batch.drop_column("answered_with")
