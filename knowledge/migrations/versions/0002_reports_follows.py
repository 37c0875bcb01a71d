"""Report structure (labels, causes, deadlines, Engage status, provenance rank), follows, and shared bot state.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    # Databases made before migrations existed may have some of this already: add only what is missing.
    existing = set(sa.inspect(bind).get_table_names())
    document_columns = {c["name"] for c in sa.inspect(bind).get_columns("document")}
    finding_columns = {c["name"] for c in sa.inspect(bind).get_columns("finding")}
    # Plain ADD COLUMN: a batch rebuild of `finding` on SQLite would drop the search triggers.
    if "rank" not in document_columns:
        op.add_column("document", sa.Column("rank", sa.Integer(), nullable=False, server_default="1"))
    new_columns = [
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("cause_id", sa.Integer(), nullable=True) if sqlite else sa.Column("cause_id", sa.Integer(), sa.ForeignKey("finding.id"), nullable=True),
        sa.Column("deadline", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
    ]
    for column in new_columns:
        if column.name not in finding_columns:
            op.add_column("finding", column)
    if "follow" not in existing:
        op.create_table(
            "follow",
            sa.Column("chat_id", sa.BigInteger(), primary_key=True),
            sa.Column("organisation_id", sa.String(), sa.ForeignKey("organisation.id"), primary_key=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
        )
    if "button" not in existing:
        op.create_table(
            "button",
            sa.Column("token", sa.String(), primary_key=True),
            sa.Column("question", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False, index=True),
        )
    if "quota" not in existing:
        op.create_table(
            "quota",
            sa.Column("user_id", sa.BigInteger(), primary_key=True),
            sa.Column("window_start", sa.DateTime(), nullable=False),
            sa.Column("count", sa.Integer(), nullable=False),
        )


def downgrade() -> None:
    for table in ("quota", "button", "follow"):
        op.drop_table(table)
    for column in ("status", "deadline", "cause_id", "label"):
        op.drop_column("finding", column)
    op.drop_column("document", "rank")
