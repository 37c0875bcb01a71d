"""SQLite: a contentless search index with the organisation as one token, so a topic for one force is
answered from the index alone ("999" AND "calls" AND org:orgcambridgeshire) instead of joining every match.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ORG_TOKEN = "'org' || replace(coalesce({row}.organisation_id, 'none'), '-', '')"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL filters the organisation with its btree index beside the GIN index
    op.execute("DROP TRIGGER IF EXISTS finding_fts_insert")
    op.execute("DROP TRIGGER IF EXISTS finding_fts_delete")
    op.execute("DROP TABLE IF EXISTS finding_fts")
    op.execute(
        """CREATE VIRTUAL TABLE finding_fts USING fts5(
        text, context, speaker, org, content='', tokenize='porter unicode61 remove_diacritics 2')"""
    )
    op.execute(
        "CREATE TRIGGER finding_fts_insert AFTER INSERT ON finding BEGIN "
        "INSERT INTO finding_fts(rowid, text, context, speaker, org) "
        f"VALUES (new.id, new.text, new.context, new.speaker, {ORG_TOKEN.format(row='new')}); END"
    )
    op.execute(
        "CREATE TRIGGER finding_fts_delete AFTER DELETE ON finding BEGIN "
        "INSERT INTO finding_fts(finding_fts, rowid, text, context, speaker, org) "
        f"VALUES ('delete', old.id, old.text, old.context, old.speaker, {ORG_TOKEN.format(row='old')}); END"
    )
    op.execute(
        "INSERT INTO finding_fts(rowid, text, context, speaker, org) "
        f"SELECT id, text, context, speaker, {ORG_TOKEN.format(row='finding')} FROM finding"
    )


def downgrade() -> None:
    pass  # the index of 0001 can be rebuilt from `finding` by re-running 0001's statements
