"""SharedSeenIds when the database hangs rather than refuses: a reply is never held for it."""

from __future__ import annotations

import asyncio
import concurrent.futures
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
        return 0  # pruning happens to pass; the insert that follows hangs


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
        assert len(warned) == 1 and "per process" in warned[0] and "gave no answer" in warned[0]
        later = await asyncio.wait_for(seen.first_time("4"), 30)
        assert later is True
        assert events.calls <= 3  # the fourth message did not ask the hung database
    finally:
        events.release.set()


async def test_a_hung_call_is_not_joined_by_another(caplog: pytest.LogCaptureFixture) -> None:
    """While the call that outlived its wait still holds a worker thread, later messages do
    not ask the database again, whenever the retry is due: each would hold one more of the
    threads the usage journal, the probes and the scheduler share. Once it returns, the
    database is asked again."""
    events = HungEvents()
    seen = SharedSeenIds(events, platform="slack", wait_s=0.05, retry_after_s=0)
    try:
        assert await asyncio.wait_for(seen.first_time("a"), 30) is True
        for key in "bcd":
            assert await asyncio.wait_for(seen.first_time(key), 30) is True
        assert events.calls == 1
    finally:
        events.release.set()
    stuck = seen._stuck
    assert stuck is not None
    await asyncio.wait_for(stuck, 30)  # the hung call returns, its verdict unused
    assert await asyncio.wait_for(seen.first_time("e"), 30) is True
    assert events.calls == 2


class FineEvents:
    """A seen_events table that answers at once."""

    def __init__(self) -> None:
        self.calls = 0

    def first_time(self, key: str, now: dt.datetime) -> bool:
        self.calls += 1
        return True

    def forget_seen(self, before: dt.datetime) -> int:
        return 0


async def test_a_busy_process_is_not_blamed_on_the_database(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every worker thread busy (a burst of events: the backlog Slack delivers on connecting)
    while the database is fine: the warning says the process was busy, where it said "the
    database is away" and sent operators to look at a database that had nothing wrong."""
    loop = asyncio.get_running_loop()
    hold = threading.Event()
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    loop.set_default_executor(executor)
    busy = loop.run_in_executor(None, hold.wait)  # the one worker thread, taken
    seen = SharedSeenIds(FineEvents(), platform="slack", wait_s=0.05, retry_after_s=3600)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.core.dedup"):
            assert await asyncio.wait_for(seen.first_time("a"), 30) is True
    finally:
        hold.set()
        await busy
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1
    assert "too busy" in warned[0] and "database is away" not in warned[0], warned
    assert "no answer" not in warned[0]


async def test_a_refusing_database_is_named_as_away(caplog: pytest.LogCaptureFixture) -> None:
    class RefusingEvents(FineEvents):
        def first_time(self, key: str, now: dt.datetime) -> bool:
            raise ConnectionRefusedError(111, "Connection refused")

    seen = SharedSeenIds(RefusingEvents(), platform="discord", wait_s=5, retry_after_s=3600)
    with caplog.at_level(logging.WARNING, logger="bot.core.dedup"):
        assert await asyncio.wait_for(seen.first_time("a"), 30) is True
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [
        "discord event de-duplication is per process for now: "
        "the database is away (ConnectionRefusedError)"
    ]
