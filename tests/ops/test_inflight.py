"""Work handed on after an acknowledgement (`InFlight.spawn`): shutdown waits for it from the
instant it is handed on, and what it raises is logged, never lost in an unawaited task."""

from __future__ import annotations

import asyncio
import logging

from bot.adapters.inflight import InFlight


async def test_drain_waits_for_work_spawned_but_not_yet_started():
    in_flight, done = InFlight(), []

    async def reply() -> None:
        await asyncio.sleep(0.05)
        done.append("sent")

    in_flight.spawn(reply(), "reply")
    assert len(in_flight) == 1  # counted before the task has run at all
    assert await in_flight.drain(5) == 0
    assert done == ["sent"] and len(in_flight) == 0


async def test_what_spawned_work_raises_is_logged_with_its_name(caplog):
    in_flight = InFlight()

    async def broken() -> None:
        raise RuntimeError("the fake broke")

    with caplog.at_level(logging.ERROR, logger="bot.inflight"):
        in_flight.spawn(broken(), "slack vote")
        await in_flight.drain(5)
        await asyncio.sleep(0)  # the done callback runs on the next turn of the loop
    [record] = caplog.records
    assert record.getMessage() == "slack vote failed: the fake broke"
    assert len(in_flight) == 0
