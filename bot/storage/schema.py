"""The schema as the code queries it: every table, in one SQLAlchemy `MetaData`, beside the
Alembic migrations that create it (bot/storage/migrations). One database holds every feature's
tables (one file to back up, one URL to configure); each repository queries only its own:
subscriptions and deliveries (bot.daily.store), questions, votes, admins' corrections and
suggestion decisions (bot.usage.log), seen events (bot.storage.seen).

A change here is a change to a migration too: the tables are not created from this metadata.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from bot.core.clock import UTC


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out on every database (SQLite keeps no timezone: store UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("channel_id", sa.String(64), nullable=False),
    sa.Column("workspace_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("at", sa.String(5), nullable=False),
    sa.Column("tz", sa.String(64), nullable=False),
    sa.Column("source", sa.String(8), nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("paused_reason", sa.Text),
    sa.Column("position", sa.String(80)),
    sa.Column("since", UtcDateTime, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    # set: unsubscribed. The row and its ledger stay, so a same-day return cannot post twice.
    sa.Column("removed_at", UtcDateTime),
    # "daily" (the takeaway) or "digest" (the editors' digest): UNIQUE (platform, channel_id,
    # kind), so a channel may have one of each
    sa.Column("kind", sa.String(8), nullable=False, server_default="daily"),
    sa.Column("weekday", sa.SmallInteger),  # 0 = Monday … 6 = Sunday: weekly; NULL: daily
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id"), nullable=False),
    sa.Column("local_date", sa.Date, nullable=False),
    sa.Column("item_key", sa.String(80), nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("holder", sa.String(80), nullable=False),
    sa.Column("lease_until", UtcDateTime),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", UtcDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("claimed_at", UtcDateTime, nullable=False),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)


seen_events = sa.Table(
    "seen_events",
    metadata,
    sa.Column("key", sa.String(160), primary_key=True),
    sa.Column("seen_at", UtcDateTime, nullable=False, index=True),
)


questions = sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("workspace_id", sa.String(64), nullable=False),
    sa.Column("channel_id", sa.String(64), nullable=False),
    sa.Column("source", sa.String(8), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("entry_id", sa.String(64)),
    sa.Column("score", sa.Float),
    sa.Column("reply_key", sa.String(16)),
    sa.Column("text", sa.Text),
)

votes = sa.Table(
    "votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("reply_key", sa.String(16), nullable=False),
    sa.Column("entry_id", sa.String(64), nullable=False),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("channel_id", sa.String(64), nullable=False),
    sa.Column("voter", sa.String(32), nullable=False),
    sa.Column("vote", sa.SmallInteger, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)


suggestion_decisions = sa.Table(
    "suggestion_decisions",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("decision", sa.String(8), nullable=False),
    sa.Column("decided_at", UtcDateTime, nullable=False),
)


corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("reply_key", sa.String(16), primary_key=True),  # one per answer: the last counts
    sa.Column("answered_id", sa.String(64), nullable=False),
    sa.Column("entry_id", sa.String(64)),  # NULL: should not be answered
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False, index=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("workspace_id", sa.String(64), nullable=False),
    sa.Column("channel_id", sa.String(64), nullable=False),
)
