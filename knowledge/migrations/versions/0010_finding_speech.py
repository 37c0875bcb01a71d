"""How a statement gives a person's words: "direct" (their own words, inside quotation marks) or "reported" (the
publisher's account of what they said: "he said the force had improved"). Null for findings that are not statements.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild), as in 0002 and 0007: nullable, so existing rows need no value.
    op.add_column("finding", sa.Column("speech", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("speech")
