"""The daily takeaway loop: every tick, post what is due, exactly once per channel per day.

A tick reads the subscriptions, and for each one whose local time has come today: claims the
day in the ledger (bot.store), builds the item's Reply (bot.core.rotation) and hands it to the
platform's Poster. Several replicas may run this loop on one database: the claim decides who
posts. No scheduling library: the work is "every N seconds, compare clocks with the ledger",
and the ledger, not an in-memory timer, is what must survive restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from bot.config import Settings
from bot.core.content import Content
from bot.core.rotation import Item, daily_reply, next_item, rotation
from bot.core.schedule import due_day, end_of_day, utcnow
from bot.runtime import DeliveryError, Poster
from bot.store import Delivery, Store, Subscription
from bot.subscriptions import configured

log = logging.getLogger(__name__)

STOP_GRACE_S = 7.0  # within the runner's 8 s per service

Clock = Callable[[], dt.datetime]

LEASE = dt.timedelta(minutes=5)
POST_TIMEOUT = dt.timedelta(seconds=60)  # well inside the lease: a hung post is not taken over
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_RETRY = dt.timedelta(hours=1)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, … minutes after the 1st, 2nd, 3rd… failed attempt, capped at an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


class Scheduler:
    """`bot.runtime.Service` that posts the daily takeaways; `tick(now)` is one pass."""

    name = "daily"

    def __init__(
        self,
        store: Store,
        posters: Mapping[str, Poster],
        content: Content | Callable[[], Content],
        *,
        clock: Clock = utcnow,
        interval: float = 30.0,
        lease: dt.timedelta = LEASE,
        invocations: Mapping[str, str] | None = None,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.posters = dict(posters)
        self._content = content if callable(content) else (lambda: content)
        self.clock = clock
        self.interval = interval
        self.lease = lease
        self.invocations = dict(invocations or {})
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    # --- Service -------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="daily-scheduler")

    async def stop(self) -> None:
        """Let the tick in progress finish (a claimed post is sent and recorded), then stop.
        Cancelling mid-tick is only the fallback: it can leave a claim to its lease."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        done, _ = await asyncio.wait({task}, timeout=STOP_GRACE_S)
        if not done:
            log.warning("daily scheduler tick still running after %ss: cancelled", STOP_GRACE_S)
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)

    @property
    def ready(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.tick(self.clock())
            except Exception:  # the database is down, say: log, keep the loop alive
                log.exception("daily scheduler tick failed; retrying in %ss", self.interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)

    # --- one pass ------------------------------------------------------------------------------

    async def tick(self, now: dt.datetime) -> int:
        """Post everything due at `now`; returns how many posts went out."""
        subs = await asyncio.to_thread(self.store.subscriptions, active_only=True)
        content = self._content()
        items = rotation(content)
        due = {}
        for sub in subs:
            if sub.platform not in self.posters:
                continue  # another replica (or a later start-up) serves that platform
            day = due_day(now, sub.when, sub.since)
            if day is not None:
                due[(sub.id, day)] = sub
        waiting = await asyncio.to_thread(self.store.waiting, due, now)
        posted = 0
        for (sub_id, day), sub in due.items():
            if (sub_id, day) not in waiting:
                continue
            try:
                posted += await self._deliver(sub, day, now, content, items)
            except Exception:
                log.exception(
                    "daily post for %s channel %s on %s failed", sub.platform, sub.channel_id, day
                )
        return posted

    async def _deliver(
        self,
        sub: Subscription,
        day: dt.date,
        now: dt.datetime,
        content: Content,
        items: tuple[Item, ...],
    ) -> int:
        claim = await asyncio.to_thread(
            self.store.claim,
            sub,
            day,
            now=now,
            holder=self.holder,
            lease=self.lease,
            choose_item=lambda last: next_item(items, last).key,
        )
        if claim is None:
            return 0
        item = next((i for i in items if i.key == claim.item_key), None)
        if item is None:  # content edited between claim and now: post what is next instead
            item = next_item(items, sub.position)
        invocation = self.invocations.get(sub.platform, "/kubecon")
        reply = daily_reply(content, item, invocation)
        poster = self.posters[sub.platform]
        try:
            await asyncio.wait_for(
                poster.post(sub.channel_id, reply), timeout=POST_TIMEOUT.total_seconds()
            )
        except DeliveryError as err:
            await self._failed(sub, claim, now, err.reason, gone=err.gone, retry=err.retryable)
            return 0
        except TimeoutError:  # slow, not wrong: try again
            await self._failed(sub, claim, now, "timed out", retry=True)
            return 0
        except Exception as err:  # not a DeliveryError: nothing says a retry would go better
            # (a malformed channel id fails the same way every time): pause, with the reason
            log.debug(
                "daily post to %s channel %s raised", sub.platform, sub.channel_id, exc_info=True
            )
            reason = f"{type(err).__name__}: {err}"
            await self._failed(sub, claim, now, reason, retry=False, gone=True)
            return 0
        if not await asyncio.to_thread(self.store.sent, claim, now):
            log.warning(
                "daily post to %s channel %s for %s was sent after our lease expired: "
                "another replica may have posted it too",
                sub.platform,
                sub.channel_id,
                day,
            )
        log.info(
            "posted daily takeaway %s to %s channel %s for %s",
            item.key,
            sub.platform,
            sub.channel_id,
            day,
        )
        return 1

    async def _failed(
        self,
        sub: Subscription,
        claim: Delivery,
        now: dt.datetime,
        reason: str,
        *,
        retry: bool,
        gone: bool = False,
    ) -> None:
        retry_at = now + backoff(claim.attempts) if retry and not gone else None
        if retry_at is not None and retry_at >= end_of_day(claim.local_date, sub.when.tz):
            retry_at = None  # never post for a day already past
        await asyncio.to_thread(self.store.failed, claim, reason, now, retry_at)
        if gone:
            await asyncio.to_thread(self.store.pause, sub.id, reason, now)
            log.warning(
                "paused daily posts for %s channel %s: %s (subscribe again to resume)",
                sub.platform,
                sub.channel_id,
                reason,
            )
        elif retry_at is None:
            log.error(
                "giving up today's daily post to %s channel %s after %d attempts: %s",
                sub.platform,
                sub.channel_id,
                claim.attempts,
                reason,
            )
        else:
            log.warning(
                "daily post to %s channel %s failed (attempt %d: %s); retrying at %s",
                sub.platform,
                sub.channel_id,
                claim.attempts,
                reason,
                retry_at.isoformat(timespec="seconds"),
            )


def from_settings(
    settings: Settings,
    posters: Mapping[str, Poster],
    content: Content | Callable[[], Content],
    **options: Any,
) -> Scheduler:
    """The scheduler `kubecon-bot run` starts: opens (and migrates) the database and merges
    the configured subscriptions (SUBSCRIPTIONS_FILE, DAILY_SUBSCRIPTIONS) into it."""
    store = Store.open(settings.database_url)
    entries = configured(settings.subscriptions_file, settings.daily_subscriptions)
    upserted, removed = store.sync_config(entries, utcnow())
    log.info("configured daily subscriptions: %d listed, %d removed", upserted, removed)
    invocations = {"slack": settings.slack_command, "discord": "/kubecon"}
    return Scheduler(store, posters, content, invocations=invocations, **options)
