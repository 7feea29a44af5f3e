"""Waiting, always with a deadline: a test whose condition never comes true fails with a message
naming what it waited for, instead of hanging until pytest's 120 s timeout kills it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

PATIENCE_S = 10.0  # how long to wait for something that takes milliseconds when all is well


async def wait_until(predicate: Callable[[], bool], changed: asyncio.Event, timeout: float) -> None:
    """Until `predicate()` holds, re-checked whenever `changed` is set; AssertionError after
    `timeout` (not a timing assertion: how long a test waits for what should happen)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the bot never sent what was expected")
        changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), 0.05)


async def eventually(
    predicate: Callable[[], bool], what: str, timeout: float = PATIENCE_S, poll: float = 0.01
) -> None:
    """Poll `predicate()` until it holds; AssertionError naming `what` after `timeout` seconds.
    For state nothing signals (a service's `ready`, a file appearing)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}; it never happened")
        await asyncio.sleep(poll)
