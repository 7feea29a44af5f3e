"""The seen_events table: platform event ids some replica already handled (see
bot.core.dedup.SharedSeenIds, which decides with it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bot.core.dedup import SharedSeenIds
from bot.storage.database import Database, insert_new
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


def shared_seen_ids(database: Database | None, platform: str) -> SharedSeenIds:
    """A platform's event ids, shared with every replica on `database` (the one the
    composition root hands each platform), else remembered per process. Every platform that
    may receive one event on several replicas builds its de-duplication here, the same way."""
    return SharedSeenIds(
        SeenEvents(database.engine) if database is not None else None, platform=platform
    )
