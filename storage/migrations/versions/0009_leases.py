"""Claims with a lease on reminder rows: which process sends a row, and until when.

Several instances on one database each claim the rows they send (storage.leases); rows
still 'sending' from before this revision have no lease and count as expired.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=96), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")
