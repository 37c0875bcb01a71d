"""The context of a chat's last question (organisation ids, kind, topic words; never the message text), so
follow-ups such as "what about burglaries" or "and Suffolk?" work across webhook workers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chatcontext",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True),
        sa.Column("organisations", sa.String(), nullable=False, server_default=""),
        sa.Column("intent", sa.String(), nullable=True),
        sa.Column("topic", sa.String(), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("chatcontext")
