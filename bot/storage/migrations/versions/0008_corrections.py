"""Admins' corrections from chat ("Fix this answer"): one row per answer corrected, the last
correction of it counting (the reply key is the primary key, so two replicas, or two admins,
cannot leave two). `entry_id` NULL means the question should not have been answered. Read by
`kubecon-bot suggestions` as suggestions of the source "admin correction"; pruned with the
other usage records (USAGE_RETENTION_DAYS).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("reply_key", sa.String(16), primary_key=True),
        sa.Column("answered_id", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("channel_id", sa.String(64), nullable=False, server_default=""),
    )
    op.create_index("ix_corrections_at", "corrections", ["at"])


def downgrade() -> None:
    op.drop_index("ix_corrections_at", table_name="corrections")
    op.drop_table("corrections")
