"""Alembic environment: migrations run on the connection the store hands over (see knowledge.state.database.upgrade)."""

from alembic import context
from sqlmodel import SQLModel

import knowledge.models  # noqa: F401 - registers the tables on SQLModel.metadata

SEARCH_TABLES = ("finding_fts", "finding_fts_data", "finding_fts_idx", "finding_fts_docsize", "finding_fts_config", "finding_fts_content")


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Autogenerate leaves the full-text index alone: migrations manage it by hand."""
    return not (type_ == "table" and name in SEARCH_TABLES)


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
