"""Syncing from the web and announcing new documents: the pages met (ETag, Last-Modified, outcome), the outbox
of documents still to announce with the chats already told, and a lease so one worker syncs at a time.
Documents stored before this revision count as announced: only what arrives after it is news.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "syncpage",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("source", sa.Text(), nullable=True, index=True),
        sa.Column("page_url", sa.Text(), nullable=True),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("content_hash", sa.String(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "announcement",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("quiet", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("announced_at", sa.DateTime(), nullable=True, index=True),
    )
    op.create_table(
        "delivery",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), primary_key=True),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "lease",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.execute(
        "INSERT INTO announcement (document_id, created_at, quiet, announced_at) "
        "SELECT id, ingested_at, true, ingested_at FROM document"
    )


def downgrade() -> None:
    op.drop_table("lease")
    op.drop_table("delivery")
    op.drop_table("announcement")
    op.drop_table("syncpage")
