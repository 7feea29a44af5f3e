"""Waiting for a fake platform to receive what the bot should send."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable


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
