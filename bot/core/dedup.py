"""Remembering which platform events were already handled.

Slack retries an event it thinks we missed, and a Discord gateway RESUME replays events: either
would otherwise make the bot answer twice in the channel. A bounded, insertion-ordered set is
enough because duplicates arrive within minutes of the original.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.core.clock import utcnow

log = logging.getLogger(__name__)

KEEP = dt.timedelta(hours=1)
PRUNE_EVERY_S = 600.0
# how long a message waits for the database's verdict before it is answered on this process's
# word alone: a database that hangs (a dropped network path, not a refused connection) would
# otherwise hold every reply for the driver's connect timeout, past Discord's 3 s for an
# interaction and Slack's for an ack
VERDICT_WAIT_S = 1.0
# while the database is away, it is asked again only this often, not by every message
RETRY_AFTER_S = 10.0


class SharedEvents(Protocol):
    """Event ids recorded where every replica sees them (bot.storage.seen.SeenEvents)."""

    def first_time(self, key: str, now: dt.datetime) -> bool:
        """True for the first replica to record `key`."""

    def forget_seen(self, before: dt.datetime) -> int:
        """Drop ids recorded before `before`."""


class SeenIds:
    def __init__(self, capacity: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen, False for every repeat (while remembered)."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self._capacity:
            self._ids.popitem(last=False)
        return True


def _retrieved(future: asyncio.Future[bool]) -> None:
    """A call that outlived its wait ends unobserved: its error, if any, is not one to log
    ("Future exception was never retrieved"), its verdict too late to use."""
    if not future.cancelled():
        future.exception()


class SharedSeenIds:
    """`await first_time(event_id)`: True once per event id across every replica on the database.

    Which platform events were already handled, across replicas: a Slack retry of an event
    (X-Slack-Retry-Num) may land on another replica behind the load balancer, and a Discord
    gateway sends each event to every session on the shard (a second replica by mistake, or
    during a rolling update); neither may be answered twice.

    The database decides (`INSERT … ON CONFLICT DO NOTHING` on the event id): the first replica
    to insert the id handles the event. Each process also remembers ids itself
    (bot.core.dedup.SeenIds), which answers repeats without a query and is the fallback when there
    is no database or it is away: then de-duplication is per process, as it was before, rather
    than no answer at all. Ids are forgotten after `keep` (Slack retries within minutes).

    Each id is recorded under its `platform` ("discord:<id>"): one table holds every
    platform's ids, and one platform's id must never pass for another's.
    """

    def __init__(
        self,
        events: SharedEvents | None = None,
        *,
        platform: str,
        local: SeenIds | None = None,
        keep: dt.timedelta = KEEP,
        clock: Callable[[], dt.datetime] = utcnow,
        wait_s: float = VERDICT_WAIT_S,
        retry_after_s: float = RETRY_AFTER_S,
    ) -> None:
        self.events = events
        self.platform = platform
        self.local = local or SeenIds()
        self.keep = keep
        self.clock = clock
        self.wait_s = wait_s
        self.retry_after_s = retry_after_s
        self._next_prune = 0.0  # time.monotonic()
        self._down = False  # logged once per outage, not once per event
        self._ask_again_at = 0.0  # time.monotonic(): while away, when the database is next asked
        # the call that outlived its wait, still holding a worker thread: while it does, the
        # database is not asked again (each retry would hold one more of the threads that the
        # journal, the probes and the scheduler share)
        self._stuck: asyncio.Future[bool] | None = None

    def key(self, event_id: str) -> str:
        """The id as recorded: under its platform."""
        return f"{self.platform}:{event_id}"

    async def first_time(self, event_id: str) -> bool:
        key = self.key(event_id)
        if not self.local.first_time(key):
            return False  # a repeat this process saw itself
        if self.events is None or (self._down and time.monotonic() < self._ask_again_at):
            return True
        if self._stuck is not None and not self._stuck.done():
            self._ask_again_at = time.monotonic() + self.retry_after_s
            return True
        started = threading.Event()
        asked = asyncio.ensure_future(asyncio.to_thread(self._first_time, key, started))
        try:
            first = await asyncio.wait_for(asyncio.shield(asked), self.wait_s)
        except Exception as err:  # away, or too slow: per-process de-duplication
            if not asked.done():
                self._stuck = asked
                asked.add_done_callback(_retrieved)
            if not self._down:
                log.warning(
                    "%s event de-duplication is per process for now: %s",
                    self.platform,
                    self._why(err, started),
                )
            self._down = True
            self._ask_again_at = time.monotonic() + self.retry_after_s
            return True
        self._down = False
        return first

    def _why(self, err: Exception, started: threading.Event) -> str:
        """Why the verdict did not come, as an operator would look into it. A call that never
        started waited for a worker thread (a burst of events, say the backlog Slack delivers
        on connecting): "the database is away" sent operators to a database that was fine."""
        if not isinstance(err, TimeoutError):
            return f"the database is away ({type(getattr(err, 'orig', None) or err).__name__})"
        if started.is_set():
            return f"the database gave no answer within {self.wait_s:g}s"
        return (
            f"this process was too busy to ask the database within {self.wait_s:g}s "
            "(every worker thread in use)"
        )

    def _first_time(self, key: str, started: threading.Event) -> bool:
        started.set()
        assert self.events is not None
        now = self.clock()
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + PRUNE_EVERY_S
            self.events.forget_seen(now - self.keep)
        return self.events.first_time(key, now)
