"""Replies in flight, so a shutdown can wait for every one already acknowledged.

Each adapter wraps the work that follows an acknowledgement (Slack's ack, a Discord event it
accepted) in `track()`, or hands it to `spawn()` when the acknowledgement must leave before that
work starts (Slack: bolt answers Slack only once the listener returns); `drain()` at shutdown
waits for those tasks, new events having been refused first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("bot.inflight")


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

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run `work` as a task of its own, in flight from this instant: a shutdown that
        begins before the task first runs still waits for it. What it raises is logged (with
        `name`), as bolt logs a listener's error, never left for "exception never retrieved"."""
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(lambda done: self._finished(done, name))

    def _finished(self, task: asyncio.Task[Any], name: str) -> None:
        self.tasks.discard(task)
        err = None if task.cancelled() else task.exception()
        if err is not None:
            log.error("%s failed: %s", name, err, exc_info=err)

    async def drain(self, timeout: float) -> int:
        """Wait up to `timeout` s for what is in flight, including what joins meanwhile (a
        daily post the scheduler started as the shutdown began); how many were still running.
        Closing a platform's session under such a post failed it for nothing."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        current = asyncio.current_task()
        while True:
            pending = {t for t in self.tasks if not t.done() and t is not current}
            left = deadline - loop.time()
            if not pending or left <= 0:
                return len(pending)
            await asyncio.wait(pending, timeout=left, return_when=asyncio.FIRST_COMPLETED)
