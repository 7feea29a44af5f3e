"""Helpers for the daily-takeaway tests (the databases come from tests/conftest.py): aware UTC
datetimes, and a Poster that records what it was asked to post and can be told to fail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.core.replies import Reply
from bot.core.services import DeliveryError


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@dataclass
class RecordingPoster:
    """A platform that keeps every post; `failures` are raised, one per call, before success."""

    platform: str = "slack"
    posts: list[tuple[str, Reply]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    calls: int = 0

    async def post(self, channel_id: str, reply: Reply) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.posts.append((channel_id, reply))

    def keys(self, channel_id: str | None = None) -> list[str]:
        return [r.meta["daily_item"] for c, r in self.posts if channel_id in (None, c)]


def rate_limited() -> DeliveryError:
    return DeliveryError("429 rate limited", retryable=True)


def channel_not_found() -> DeliveryError:
    return DeliveryError("channel_not_found", retryable=False, gone=True)
