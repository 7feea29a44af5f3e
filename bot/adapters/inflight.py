"""Replies in flight, so a shutdown can wait for every one already acknowledged.

Each adapter wraps the work that follows an acknowledgement (Slack's ack, a Discord event it
accepted) in `track()`; `drain()` at shutdown waits for those tasks, new events having been
refused first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class InFlight:
    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return sum(1 for t in self.tasks if not t.done())

    @contextmanager
    def track(self) -> Iterator[None]:
        """The current task is a reply (or a daily post) that shutdown must wait for."""
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            yield
        finally:
            if task is not None:
                self.tasks.discard(task)

    async def drain(self, timeout: float) -> int:
        """Wait up to `timeout` s for what is in flight; how many were still running."""
        current = asyncio.current_task()
        pending = {t for t in self.tasks if not t.done() and t is not current}
        if not pending:
            return 0
        _, still = await asyncio.wait(pending, timeout=timeout)
        return len(still)
