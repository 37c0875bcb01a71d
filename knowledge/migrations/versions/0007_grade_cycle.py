"""The inspection cycle of a grade ("2023-25", "2017"): grades of different cycles are not comparable.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild), as in 0002.
    op.add_column("grade", sa.Column("cycle", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("grade") as batch:
        batch.drop_column("cycle")
