"""The seen_events table: platform event ids some replica already handled (see
bot.core.dedup.SharedSeenIds, which decides with it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bot.storage.database import insert_new
from bot.storage.schema import seen_events


class SeenEvents:
    """The seen_events table: event ids already handled by some replica."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def first_time(self, key: str, now: dt.datetime) -> bool:
        """True for the first replica to see the event `key`, False for every later one."""
        with self.engine.begin() as conn:
            return insert_new(conn, seen_events, key=key[:160], seen_at=now) is not None

    def forget_seen(self, before: dt.datetime) -> int:
        """Drop event ids seen before `before` (a platform retries within minutes)."""
        with self.engine.begin() as conn:
            return conn.execute(seen_events.delete().where(seen_events.c.seen_at < before)).rowcount
