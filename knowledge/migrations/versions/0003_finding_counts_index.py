"""An index that answers "how many of each kind does this organisation have" without reading the table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_finding_org_kind", "finding", ["organisation_id", "kind", "polarity", "document_id"])


def downgrade() -> None:
    op.drop_index("ix_finding_org_kind", table_name="finding")
