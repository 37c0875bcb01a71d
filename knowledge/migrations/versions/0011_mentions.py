"""Mentions: a later finding that revisits an earlier concern of the same organisation, with its status there in its
own words (improved, not_yet, unclear) and the words that say so. Made at ingest; a database upgraded from an earlier
revision has none until `inspection-bot relink` builds them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mention",
        sa.Column("raised_id", sa.Integer(), sa.ForeignKey("finding.id"), primary_key=True),
        sa.Column("finding_id", sa.Integer(), sa.ForeignKey("finding.id"), primary_key=True),
        sa.Column("organisation_id", sa.String(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("basis", sa.String(), nullable=False),
    )
    op.create_index("ix_mention_finding_id", "mention", ["finding_id"])
    op.create_index("ix_mention_organisation", "mention", ["organisation_id", "raised_id"])


def downgrade() -> None:
    op.drop_index("ix_mention_organisation", table_name="mention")
    op.drop_index("ix_mention_finding_id", table_name="mention")
    op.drop_table("mention")
