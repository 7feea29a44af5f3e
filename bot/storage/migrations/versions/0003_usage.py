"""Usage: the questions people asked (text only for the unanswered) and their 👍/👎 votes.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("channel_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("reply_key", sa.String(16), nullable=True),
        sa.Column("text", sa.Text, nullable=True),
    )
    op.create_index("ix_questions_at", "questions", ["at"])
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reply_key", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("voter", sa.String(32), nullable=False),
        sa.Column("vote", sa.SmallInteger, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("reply_key", "voter", name="uq_votes_one_per_voter"),
    )
    op.create_index("ix_votes_at", "votes", ["at"])
