"""The daily takeaway loop: every tick, post what is due, exactly once per channel per day.

A tick reads the subscriptions, and for each one whose local time has come today: claims the
day in the ledger, builds the item's Reply (bot.daily.rotation) and hands it to the
platform's Poster. Several replicas may run this loop on one database: the claim decides who
posts. No scheduling library: the work is "every N seconds, compare clocks with the ledger",
and the ledger, not an in-memory timer, is what must survive restarts.

The editors' digest rides on the same loop: a subscription of kind "digest", weekly, whose
Reply comes from the `digest` callable the scheduler is given (built in bot.usage.digest, which
this package may not import), for the period its ledger day stands for.
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

from sqlalchemy.exc import SQLAlchemyError

from bot.core.clock import utcnow
from bot.core.content import Content
from bot.core.platforms import DEFAULT_INVOCATION
from bot.core.replies import Reply
from bot.core.services import DeliveryError, Poster
from bot.daily.rotation import Item, daily_reply, next_item, rotation
from bot.daily.store import DIGEST, Delivery, Store, Subscription
from bot.daily.timing import due_day, period_end, reported_period
from bot.storage.database import LastingFaults, first_line

log = logging.getLogger(__name__)

STOP_GRACE_S = 5.5  # the scheduler's own shutdown budget, inside the runner's 6 s per service
TICK_GRACE_S = 4.0  # of which the tick in progress may use this much before it is cancelled
RELEASE_S = STOP_GRACE_S - TICK_GRACE_S  # the rest: recording an interrupted send as not sent
INTERRUPTED = "interrupted by shutdown before the platform answered"

Clock = Callable[[], dt.datetime]
# The editors' digest for [since, until): bot.usage.digest.Digest, handed over by the
# composition root. Called in a thread (it reads the database).
DigestBuilder = Callable[[dt.datetime, dt.datetime], Reply]
DIGEST_ITEM = "digest"  # the ledger's item_key for a digest: there is no rotation to fix

LEASE = dt.timedelta(minutes=5)
POST_TIMEOUT = dt.timedelta(seconds=60)  # well inside the lease: a hung post is not taken over
# Posts in flight at once per platform. Each goes to a different channel (one post per channel
# per day), so per-channel limits (Slack: about one message per second) are never approached;
# what is shared is the app's overall budget, which slack_sdk and discord.py enforce by waiting
# on 429 Retry-After and Discord's buckets: a rate limit slows the fan-out, it loses nothing.
CONCURRENT_POSTS = 10
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_RETRY = dt.timedelta(hours=1)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, … minutes after the 1st, 2nd, 3rd… failed attempt, capped at an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


class Scheduler:
    """`bot.core.services.Service` that posts the daily takeaways; `tick(now)` is one pass."""

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
        concurrency: int = CONCURRENT_POSTS,
        prepare: Callable[[], None] | None = None,
        digest: DigestBuilder | None = None,
    ) -> None:
        self.store = store
        self._digest = digest  # None: digest subscriptions wait for a process that has it
        # run (in a thread) until it succeeds before the first tick: migrate, merge the
        # configured subscriptions. The database may be away at start: the bot answers anyway.
        self._prepare = prepare
        self.posters = dict(posters)
        self._content = content if callable(content) else (lambda: content)
        self.clock = clock
        self.interval = interval
        self.lease = lease
        self.invocations = dict(invocations or {})
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.concurrency = concurrency
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        # posts the platform accepted whose `sent` the database has not taken yet: kept here
        # and written before anything else, so this process never posts them again
        self._unrecorded: dict[int, tuple[Delivery, dt.datetime]] = {}
        # a fault no wait cures: one ERROR, its repeats DEBUG
        self._lasting = LastingFaults(
            store.database.lasting, log, "daily posts wait until it is fixed"
        )

    # --- Service -------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="daily-scheduler")

    async def stop(self) -> None:
        """Let the tick in progress finish (a claimed post is sent and recorded), then stop,
        within STOP_GRACE_S. A send still running after TICK_GRACE_S is cancelled and its
        claim released as not sent (see `_deliver`), so the next start posts it once instead
        of leaving it to a lease that would let it go out twice."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        done, _ = await asyncio.wait({task}, timeout=TICK_GRACE_S)
        if not done:
            log.warning("daily scheduler tick still running after %ss: cancelled", TICK_GRACE_S)
            task.cancel()
            await asyncio.wait({task}, timeout=RELEASE_S)

    @property
    def ready(self) -> bool:
        return self._task is not None and not self._task.done()

    async def prepared(self) -> bool:
        """Run `prepare` until it succeeds (backoff 1 s doubling to 60 s, one line per failed
        attempt); False if a stop came first."""
        pause = 1.0
        while self._prepare is not None and not self._stopping.is_set():
            try:
                await asyncio.to_thread(self._prepare)
            except Exception as err:  # DatabaseError: unreachable, refused, not migrated
                if not self._lasting.said(err):
                    log.error("%s; daily posts wait, retrying in %.0fs", first_line(err), pause)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)
                pause = min(pause * 2, 60.0)
            else:
                self._prepare = None
                self._lasting.cleared()
        return not self._stopping.is_set()

    async def _run(self) -> None:
        if not await self.prepared():
            return
        failed = 0  # ticks in a row the database failed
        while not self._stopping.is_set():
            try:
                await self.tick(self.clock())
                self._lasting.cleared()
                if failed:  # its ERRORs were the last word: say the outage is over
                    log.info("daily scheduler: database reachable again, after %d failed tick(s)",
                             failed)  # fmt: skip
                failed = 0
            except SQLAlchemyError as err:  # the database is away: one line, keep the loop alive
                failed += 1
                if not self._lasting.said(err):
                    log.error(
                        "daily scheduler: database unavailable (%s); retrying in %ss",
                        first_line(err),
                        self.interval,
                    )
            except Exception:  # a bug: the traceback, and the loop goes on
                log.exception("daily scheduler tick failed; retrying in %ss", self.interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
        await self._record_unrecorded()  # a last try before the process ends
        if self._unrecorded:
            log.error(
                "stopping with %d sent daily post(s) not recorded: after their lease another "
                "process may post them again",
                len(self._unrecorded),
            )

    # --- one pass ------------------------------------------------------------------------------

    async def tick(self, now: dt.datetime) -> int:
        """Post everything due at `now`; returns how many posts went out."""
        await self._record_unrecorded()
        subs = await asyncio.to_thread(self.store.subscriptions, active_only=True)
        content = self._content()
        items = rotation(content)
        due = {}
        for sub in subs:
            if sub.platform not in self.posters:
                continue  # another replica (or a later start-up) serves that platform
            if sub.kind == DIGEST and self._digest is None:
                continue
            day = due_day(now, sub.when, sub.since, sub.weekday)
            if day is not None:
                due[(sub.id, day)] = sub
        waiting = await asyncio.to_thread(self.store.waiting, due, now)
        gates = {platform: asyncio.Semaphore(self.concurrency) for platform in self.posters}
        database_error: list[SQLAlchemyError] = []  # the first one ends the tick

        async def deliver(sub: Subscription, day: dt.date) -> int:
            async with gates[sub.platform]:
                if database_error:
                    return 0  # the database went away meanwhile: the next tick tries again
                if self._stopping.is_set():
                    return 0  # shutting down: nothing new is claimed, the next start posts it
                try:
                    return await self._deliver(sub, day, now, content, items)
                except SQLAlchemyError as err:
                    database_error.append(err)
                    return 0
                except Exception:
                    log.exception(
                        "daily post for %s channel %s on %s failed",
                        sub.platform,
                        sub.channel_id,
                        day,
                    )
                    return 0

        # Channels are independent (each has its own ledger row), so they are posted side by
        # side: at a platform's ~100 ms per call, one after another would take minutes a tick.
        # A day we posted but could not record yet is skipped: never take over our own claim.
        posted = await asyncio.gather(
            *(
                deliver(sub, day)
                for (sub_id, day), sub in due.items()
                if (sub_id, day) in waiting and not self._sent_not_recorded(sub_id, day)
            )
        )
        if database_error:
            raise database_error[0]  # one line in _run, not one per channel
        return sum(posted)

    async def _deliver(
        self,
        sub: Subscription,
        day: dt.date,
        now: dt.datetime,
        content: Content,
        items: tuple[Item, ...],
    ) -> int:
        digest = sub.kind == DIGEST
        claim = await self._claim(sub, day, now, items)
        if claim is None:
            return 0
        if digest:
            reply = await self._digest_reply(sub, claim, day, now)
            if reply is None:
                return 0
            what = "editors' digest"
        else:
            item = next((i for i in items if i.key == claim.item_key), None)
            if item is None:  # content edited between claim and now: post what is next instead
                item = next_item(items, sub.position)
            invocation = self.invocations.get(sub.platform, DEFAULT_INVOCATION)
            reply = daily_reply(content, item, invocation)
            what = f"daily takeaway {item.key}"
        poster = self.posters[sub.platform]
        try:
            await asyncio.wait_for(
                poster.post(sub.channel_id, reply), timeout=POST_TIMEOUT.total_seconds()
            )
        except asyncio.CancelledError:  # shutdown: release the claim, the next start posts it
            await self._let_go(sub, claim)
            raise
        except Exception as err:
            if self._stopping.is_set() and not (isinstance(err, DeliveryError) and err.gone):
                # what fails while the platforms close (a refused post, a closed session) says
                # nothing of the channel: released for the next start, never paused
                await self._let_go(sub, claim)
                return 0
            await self._failed_post(sub, claim, now, err)
            return 0
        self._unrecorded[claim.id] = (claim, now)
        await self._record_unrecorded(only=claim.id)  # sibling posts record their own
        log.info("posted %s to %s channel %s for %s", what, sub.platform, sub.channel_id, day)
        return 1

    async def _claim(
        self, sub: Subscription, day: dt.date, now: dt.datetime, items: tuple[Item, ...]
    ) -> Delivery | None:
        """Claim `day`'s post for `sub` (None: another replica has it, or it went out). The
        claim runs in a thread: a shutdown that cancels the tick meanwhile cannot stop it
        committing, so its outcome is awaited and a claim it made released, where the
        cancellation left it to a 5-minute lease."""
        digest = sub.kind == DIGEST
        claiming = asyncio.ensure_future(
            asyncio.to_thread(
                self.store.claim,
                sub,
                day,
                now=now,
                holder=self.holder,
                lease=self.lease,
                choose_item=lambda last: DIGEST_ITEM if digest else next_item(items, last).key,
            )
        )
        try:
            return await asyncio.shield(claiming)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                claim = await claiming
                if claim is not None:
                    await self._let_go(sub, claim)
            raise

    async def _failed_post(
        self, sub: Subscription, claim: Delivery, now: dt.datetime, err: Exception
    ) -> None:
        """Record a send that failed: a DeliveryError as the platform judged it; a timeout
        retried; anything else paused (below)."""
        if isinstance(err, DeliveryError):
            await self._failed(sub, claim, now, err.reason, gone=err.gone, retry=err.retryable)
        elif isinstance(err, TimeoutError):  # slow, not wrong: try again
            await self._failed(sub, claim, now, "timed out", retry=True)
        else:  # not a DeliveryError: nothing says a retry would go better
            # (a malformed channel id fails the same way every time): pause, with the reason
            log.debug(
                "daily post to %s channel %s raised", sub.platform, sub.channel_id, exc_info=True
            )
            reason = f"{type(err).__name__}: {err}"
            await self._failed(sub, claim, now, reason, retry=False, gone=True)

    async def _digest_reply(
        self, sub: Subscription, claim: Delivery, day: dt.date, now: dt.datetime
    ) -> Reply | None:
        """The digest for the period `day` stands for, or None when it could not be built: then
        the claim is recorded as failed and retried with backoff, like a failed send. (The
        database away is not such a failure: that error ends the tick, and the claim's lease
        lets the next one retry.)"""
        assert self._digest is not None  # tick() skips digests without a builder
        since, until = reported_period(day, sub.when, sub.weekday)
        try:
            return await asyncio.to_thread(self._digest, since, until)
        except asyncio.CancelledError:  # shutdown: release the claim, the next start posts it
            await self._let_go(sub, claim)
            raise
        except SQLAlchemyError:
            raise
        except Exception as err:
            log.exception("editors' digest for %s could not be built", day)
            await self._failed(sub, claim, now, f"{type(err).__name__}: {err}", retry=True)
            return None

    def _sent_not_recorded(self, subscription_id: int, day: dt.date) -> bool:
        return any(
            (c.subscription_id, c.local_date) == (subscription_id, day)
            for c, _ in self._unrecorded.values()
        )

    async def _record_unrecorded(self, only: int | None = None) -> None:
        """Write `sent` for every accepted post not recorded yet (`only`: that one; sibling
        posts of a fan-out record their own). The database may be away: the posts stay in
        memory and this is tried again at the next tick (every `interval`), one warning per
        attempt. `tick` never claims those days again meanwhile, even once our own lease has
        expired: we know they went out."""
        for delivery_id in [only] if only is not None else list(self._unrecorded):
            if delivery_id not in self._unrecorded:
                continue
            claim, at = self._unrecorded[delivery_id]
            try:
                ours = await asyncio.to_thread(self.store.sent, claim, at)
            except Exception as err:
                log.warning(
                    "daily post %s for %s was sent but cannot be recorded yet (%s: %s); "
                    "retrying in %ss",
                    claim.item_key,
                    claim.local_date,
                    type(err).__name__,
                    first_line(err),
                    self.interval,
                )
                return
            self._unrecorded.pop(delivery_id, None)
            if not ours:
                log.warning(
                    "daily post for subscription %s on %s was sent after our lease expired: "
                    "another replica may have posted it too",
                    claim.subscription_id,
                    claim.local_date,
                )

    async def _let_go(self, sub: Subscription, claim: Delivery) -> None:
        """`_release`, in a thread and shielded: a cancellation (the shutdown's) must not cut
        short the write that hands the claim back."""
        await asyncio.shield(asyncio.to_thread(self._release, sub, claim))

    def _release(self, sub: Subscription, claim: Delivery) -> None:
        """A send cut short by shutdown: recorded as not sent, retryable at once, so the next
        start (or another replica) posts it exactly once."""
        now = self.clock()
        try:
            self.store.failed(claim, INTERRUPTED, now, now)
        except Exception as err:
            log.error(
                "daily post to %s channel %s interrupted and not released (%s): it will be "
                "retried when its lease expires",
                sub.platform,
                sub.channel_id,
                err,
            )
            return
        log.warning(
            "daily post to %s channel %s for %s interrupted by shutdown; released for the next "
            "start",
            sub.platform,
            sub.channel_id,
            claim.local_date,
        )

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
        if retry_at is not None and retry_at >= period_end(claim.local_date, sub.when, sub.weekday):
            retry_at = None  # never post for a day (or week) already past
        await asyncio.to_thread(self.store.failed, claim, reason, now, retry_at)
        digest = sub.kind == DIGEST
        if gone:
            await asyncio.to_thread(self.store.pause, sub.id, reason, now)
            log.warning(
                "paused %s for %s channel %s: %s (%s to resume)",
                "the editors' digest" if digest else "daily posts",
                sub.platform,
                sub.channel_id,
                reason,
                "restart with a DIGEST_CHANNEL the bot can post in"
                if digest
                else "subscribe again",
            )
        elif retry_at is None:
            log.error(
                "giving up %s to %s channel %s after %d attempts: %s",
                "this period's editors' digest" if digest else "today's daily post",
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
