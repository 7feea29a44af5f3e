"""Which Slack deliveries were already handled, across replicas: a retry of an event
(X-Slack-Retry-Num) may land on another replica behind the load balancer, which must not
answer it again.

The database decides (`INSERT … ON CONFLICT DO NOTHING` on the event id): the first replica
to insert the id handles the event. Each process also remembers ids itself
(bot.core.dedup.SeenIds), which answers repeats without a query and is the fallback when there
is no database or it is away: then de-duplication is per process, as it was before, rather
than no answer at all. Ids are forgotten after `keep` (Slack retries within minutes).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.clock import utcnow
from bot.core.dedup import SeenIds

if TYPE_CHECKING:
    from bot.storage.database import Store

log = logging.getLogger(__name__)

KEEP = dt.timedelta(hours=1)
PRUNE_EVERY_S = 600.0


class SharedSeenIds:
    """`await first_time(key)`: True once per event id across every replica on the database."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        local: SeenIds | None = None,
        keep: dt.timedelta = KEEP,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.store = store
        self.local = local or SeenIds()
        self.keep = keep
        self.clock = clock
        self._next_prune = 0.0  # time.monotonic()
        self._down = False  # logged once per outage, not once per event

    async def first_time(self, key: str) -> bool:
        if not self.local.first_time(key):
            return False  # a repeat this process saw itself
        if self.store is None:
            return True
        try:
            first = await asyncio.to_thread(self._first_time, key)
        except Exception as err:  # the database is away: per-process de-duplication
            if not self._down:
                log.warning(
                    "event de-duplication is per process while the database is away: %s",
                    type(getattr(err, "orig", None) or err).__name__,
                )
            self._down = True
            return True
        self._down = False
        return first

    def _first_time(self, key: str) -> bool:
        assert self.store is not None
        now = self.clock()
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + PRUNE_EVERY_S
            self.store.forget_seen(now - self.keep)
        return self.store.first_time(key, now)
