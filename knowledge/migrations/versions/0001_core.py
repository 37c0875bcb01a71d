"""The core tables: organisations, aliases, places, documents, findings, grades, and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE finding_fts USING fts5(
        text, context, speaker, content='finding', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER finding_fts_insert AFTER INSERT ON finding BEGIN
        INSERT INTO finding_fts(rowid, text, context, speaker) VALUES (new.id, new.text, new.context, new.speaker); END""",
    """CREATE TRIGGER finding_fts_delete AFTER DELETE ON finding BEGIN
        INSERT INTO finding_fts(finding_fts, rowid, text, context, speaker)
        VALUES ('delete', old.id, old.text, old.context, old.speaker); END""",
]
POSTGRES_SEARCH = [
    """ALTER TABLE finding ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(text, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(context, '')), 'C') ||
        setweight(to_tsvector('english', coalesce(speaker, '')), 'B')) STORED""",
    "CREATE INDEX ix_finding_search ON finding USING gin (search)",
]


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("inspected", sa.Boolean(), nullable=False),
        sa.Column("inspector", sa.String(), nullable=True),
    )
    op.create_table(
        "alias",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.String(), sa.ForeignKey("organisation.id"), nullable=False, index=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("norm", sa.String(), nullable=False, index=True),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("norm", sa.String(), nullable=False, index=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("organisation_id", sa.String(), sa.ForeignKey("organisation.id"), nullable=False, index=True),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("publisher", sa.String(), nullable=True),
        sa.Column("section", sa.String(), nullable=True),
        sa.Column("doc_type", sa.String(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True, index=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("source_path", sa.String(), nullable=True),
        sa.Column("subject_id", sa.String(), sa.ForeignKey("organisation.id"), nullable=True, index=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False, unique=True),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False, index=True),
        sa.Column("organisation_id", sa.String(), sa.ForeignKey("organisation.id"), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False, index=True),
        sa.Column("polarity", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.UniqueConstraint("document_id", "start", "end", name="uq_finding_span"),
    )
    op.create_index("ix_finding_org_published", "finding", ["organisation_id", "published"])
    op.create_table(
        "grade",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False, index=True),
        sa.Column("organisation_id", sa.String(), sa.ForeignKey("organisation.id"), nullable=False, index=True),
        sa.Column("area", sa.String(), nullable=False),
        sa.Column("grade", sa.String(), nullable=False),
        sa.Column("finding_id", sa.Integer(), sa.ForeignKey("finding.id"), nullable=True),
    )
    op.create_table("word", sa.Column("word", sa.String(), primary_key=True), sa.Column("count", sa.Integer(), nullable=False))
    op.create_table("meta", sa.Column("key", sa.String(), primary_key=True), sa.Column("value", sa.String(), nullable=False))
    for statement in SQLITE_SEARCH if op.get_bind().dialect.name == "sqlite" else POSTGRES_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS finding_fts")
    for table in ("meta", "word", "grade", "finding", "document", "place", "alias", "organisation"):
        op.drop_table(table)
