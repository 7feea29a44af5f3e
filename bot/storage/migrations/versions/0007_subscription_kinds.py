"""Subscriptions of more than one kind: the daily takeaway (`daily`, every existing row) and the
editors' digest (`digest`), which may go to a channel that also gets the daily takeaway, so a
channel is unique per kind. `weekday` (0 = Monday … 6 = Sunday) makes a subscription weekly;
NULL keeps it daily. Both kinds share the ledger (`deliveries`), so a digest is posted exactly
once per period for the same reasons a takeaway is posted once a day.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# the ledger as 0002 created it: recreated as it was on SQLite (below)
LEDGER = "deliveries"
LEDGER_COLUMNS = (
    "id, subscription_id, local_date, item_key, status, holder, lease_until, attempts, "
    "next_attempt_at, last_error, claimed_at, sent_at, updated_at"
)


def _ledger() -> None:
    op.create_table(
        LEDGER,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id",
            sa.Integer,
            sa.ForeignKey("subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("item_key", sa.String(80), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("holder", sa.String(80), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("subscription_id", "local_date", name="uq_deliveries_day"),
    )


def upgrade() -> None:
    kind = sa.Column("kind", sa.String(8), nullable=False, server_default="daily")
    weekday = sa.Column("weekday", sa.SmallInteger, nullable=True)
    if op.get_bind().dialect.name != "sqlite":
        op.add_column("subscriptions", kind)
        op.add_column("subscriptions", weekday)
        op.drop_constraint("uq_subscriptions_channel", "subscriptions", type_="unique")
        op.create_unique_constraint(
            "uq_subscriptions_channel", "subscriptions", ["platform", "channel_id", "kind"]
        )
        return
    # SQLite cannot drop a constraint: the table is rebuilt (batch mode: copy, drop, rename).
    # Dropping it would delete its ledger rows (ON DELETE CASCADE, foreign keys on), and they
    # cannot be switched off inside the migration's transaction; so the ledger is set aside
    # first, without its constraint, and put back with its rows once the table is rebuilt.
    op.execute(f"CREATE TABLE _ledger_0007 AS SELECT {LEDGER_COLUMNS} FROM {LEDGER}")
    op.drop_table(LEDGER)
    with op.batch_alter_table("subscriptions", recreate="always") as batch:
        batch.add_column(kind)
        batch.add_column(weekday)
        batch.drop_constraint("uq_subscriptions_channel", type_="unique")
        batch.create_unique_constraint(
            "uq_subscriptions_channel", ["platform", "channel_id", "kind"]
        )
    _ledger()
    op.execute(f"INSERT INTO {LEDGER} ({LEDGER_COLUMNS}) SELECT {LEDGER_COLUMNS} FROM _ledger_0007")
    op.drop_table("_ledger_0007")
