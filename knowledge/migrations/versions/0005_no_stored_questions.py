"""Drop the table of questions behind buttons: buttons now carry what they need, and the bot stores no message text.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS button")  # only questions behind week-old buttons: nothing a user needs is lost


def downgrade() -> None:
    op.create_table(
        "button",
        sa.Column("token", sa.String(), primary_key=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False, index=True),
    )
