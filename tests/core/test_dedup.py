"""SharedSeenIds when the database hangs rather than refuses: a reply is never held for it."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading

import pytest

from bot.core.dedup import SharedSeenIds


class HungEvents:
    """A seen_events table behind a network path that dropped: every call blocks until the
    test ends (a connection that neither answers nor is refused)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def first_time(self, key: str, now: dt.datetime) -> bool:
        self.calls += 1
        self.release.wait()
        return True

    def forget_seen(self, before: dt.datetime) -> int:
        self.release.wait()
        return 0


async def test_a_hung_database_does_not_hold_the_reply(caplog: pytest.LogCaptureFixture) -> None:
    """Each message is decided on this process's word once the short wait is over, the outage
    is logged once, and the hung database is not asked again by every message that follows
    (each would otherwise wait out the same silence)."""
    events = HungEvents()
    seen = SharedSeenIds(events, platform="discord", wait_s=0.05, retry_after_s=3600)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.core.dedup"):
            # the bound under test is wait_s; this outer one only keeps a regression from
            # hanging the suite
            firsts = await asyncio.wait_for(
                asyncio.gather(*(seen.first_time(str(i)) for i in range(1, 4))), 30
            )
            again = await asyncio.wait_for(seen.first_time("1"), 30)
        assert firsts == [True, True, True]
        assert again is False  # a repeat this process saw itself, still caught
        warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warned) == 1 and "per process" in warned[0] and "no answer" in warned[0]
        later = await asyncio.wait_for(seen.first_time("4"), 30)
        assert later is True
        assert events.calls <= 3  # the fourth message did not ask the hung database
    finally:
        events.release.set()
