"""The reply key's column under its one name, on databases made before it was renamed.

Revision 0003 first named the column `vote_key`, in `questions` and `votes`; it was renamed
`reply_key` by editing 0003 itself (2026-11-29), so a database migrated past 0003 before that
kept `vote_key`, was told it was up to date, and then failed every question record and `report`
("no such column: questions.reply_key"). This renames what such a database still has; on one
made since, it finds `reply_key` already and does nothing. (Never edit a migration that has
shipped: add one, as this does.)

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OLD, NEW = "vote_key", "reply_key"


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in ("questions", "votes"):
        columns = {c["name"] for c in inspector.get_columns(table)}
        if OLD in columns and NEW not in columns:
            # both SQLite (3.25+) and PostgreSQL rename the column in the unique constraint
            # and indexes that use it too (uq_votes_one_per_voter)
            op.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{OLD}" TO "{NEW}"')


def downgrade() -> None:
    """Nothing to undo: 0003 names the column `reply_key` today."""
