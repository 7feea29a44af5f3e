"""Editors' decisions on suggestions (bot.usage.suggestions): accepted or rejected, by id, so a
decided suggestion is not proposed again.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_decisions",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("suggestion_decisions")
