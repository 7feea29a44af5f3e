"""Writes what the bot was asked to the usage tables, off the reply path, and forgets it on time.

A reply must never wait for a database write, so the BotApp observer only queues the record; a
background task writes batches. A failed write waits for the database: retried with backoff
(0.5 s doubling to 30 s, one log line per attempt) for as long as it takes, so a database blip
loses nothing. A batch refused because of what a row holds (`row_fault`: the database would
refuse it forever, and retrying would block every later record behind it) is written row by row
instead: the good rows are kept, each bad one is reported and counted lost. The queue is
bounded: a database that stays down cannot eat the process's memory; what does not fit is
reported and counted, never silently dropped. Stopped last (after the platforms have finished
their in-flight replies), it flushes what is queued; what the database still refuses then is
reported and counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable

import sqlalchemy.exc

from bot.core.app import Incoming
from bot.core.clock import utcnow
from bot.core.replies import Reply
from bot.storage.database import LastingFaults, first_line
from bot.usage.followups import Followups
from bot.usage.log import UsageLog
from bot.usage.records import Asked, asked

log = logging.getLogger(__name__)

QUEUE_MAX = 10_000
BATCH = 200
# how long a batch waits for more records after its first: a commit costs about 1 ms of CPU on
# SQLite (WAL, synchronous FULL) whatever it holds, so a busy bot writing each question alone
# would spend more on its journal than on answering (bench/slack_e2e.py); half a second later
# in the report costs nobody anything
LINGER_S = 0.5
RETRIES = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0)  # pauses between attempts; the last repeats
PRUNE_EVERY = dt.timedelta(hours=6)
PRUNE_RETRY = dt.timedelta(minutes=1)  # after a prune the database refused
SCHEMA_POLL_S = 0.5  # how often the journal looks whether the schema is ready at start
STOP_GRACE_S = 2.5  # inside the runner's 3 s for the journal, which stops after the platforms


def row_fault(err: Exception) -> bool:
    """Whether the database refused a write for what the rows hold, not for being away: a value
    it cannot take (DataError: a NUL in PostgreSQL text, a value too long), a rule it breaks
    (IntegrityError), or a value the driver could not even encode (a lone surrogate: a
    UnicodeEncodeError, raised before anything was sent). Anything else (cannot connect,
    locked, no such table while being migrated) is the database's state, which passes."""
    if isinstance(err, sqlalchemy.exc.DBAPIError):
        return isinstance(err, sqlalchemy.exc.DataError | sqlalchemy.exc.IntegrityError)
    return isinstance(err, ValueError | TypeError | sqlalchemy.exc.StatementError)


class Journal:
    """`bot.core.services.Service`; `observe` is the BotApp observer."""

    name = "usage"

    def __init__(
        self,
        usage: UsageLog,
        *,
        keep_text: bool = True,
        retention: dt.timedelta = dt.timedelta(days=90),
        clock: Callable[[], dt.datetime] = utcnow,
        on_lost: Callable[[int], None] = lambda n: None,
        retries: tuple[float, ...] = RETRIES,
        prune_every: dt.timedelta = PRUNE_EVERY,
        schema_ready: Callable[[], bool] = lambda: True,
        linger: float = LINGER_S,
        lasting: Callable[[Exception], Exception | None] = lambda err: None,
    ) -> None:
        self.usage = usage
        # a failed write no wait mends (`Database.lasting`: a column missing, a right revoked)
        # is one ERROR, not a WARNING per attempt read as a blip while every record waited
        # (a database a release left with a column under its old name did just that)
        self._lasting = LastingFaults(
            lasting,
            log,
            "question records wait in memory until it is fixed (lost at shutdown)",
        )
        self.linger = linger
        # False while `kubecon-bot run` is still migrating (the database may be away at start):
        # records wait in the queue, and nothing is pruned, until the tables exist
        self.schema_ready = schema_ready
        self.keep_text = keep_text
        # answered questions held in memory for a few minutes, in case their asker votes 👎 and
        # goes on to another entry (a suggestion); nothing is held when text is not recorded
        self.followups = Followups() if keep_text else None
        self.retention = retention
        self.clock = clock
        self.on_lost = on_lost
        self.retries = retries
        self.queue: asyncio.Queue[Asked | None] = asyncio.Queue(QUEUE_MAX)  # None: stop
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()  # set: a write that fails is given up, not retried
        self.prune_every = prune_every
        self._next_prune = 0.0  # time.monotonic() of the next prune: idle or busy, on time

    @property
    def ready(self) -> bool:
        return self._task is not None and not self._task.done()

    def observe(self, incoming: Incoming, reply: Reply, seconds: float) -> None:
        now = self.clock()
        if self.followups is not None:
            redirected = self.followups.observe(incoming, reply, now)
            if redirected is not None:
                self._queue(redirected)
        row = asked(
            reply,
            incoming.text,
            at=now,
            platform=incoming.platform,
            workspace_id=incoming.workspace_id,
            channel_id=incoming.channel_id,
            source=incoming.source,
            keep_text=self.keep_text,
        )
        if row is not None:
            self._queue(row)

    def _queue(self, row: Asked) -> None:
        try:
            self.queue.put_nowait(row)
        except asyncio.QueueFull:
            self._lost(1, "the queue is full (is the database down?)")

    async def start(self) -> None:
        """Start writing; the loop prunes first (not awaited here: the database may be away,
        and the bot starts without it)."""
        self._task = asyncio.create_task(self._run(), name="usage-journal")

    async def stop(self) -> None:
        """Write what is queued, then end (cut short after STOP_GRACE_S)."""
        if self._task is None:
            return
        task, self._task = self._task, None
        self._stopping.set()
        await self.queue.put(None)
        try:
            await asyncio.wait_for(task, STOP_GRACE_S)
        except TimeoutError:
            self._lost(self.queue.qsize(), "still writing at shutdown")

    async def flush(self) -> None:
        """Wait until everything queued so far is written (or reported lost)."""
        await self.queue.join()

    async def prune(self) -> None:
        if not self.schema_ready():  # no tables yet (the database never answered): nothing to do
            self._next_prune = time.monotonic() + PRUNE_RETRY.total_seconds()
            return
        now = self.clock()
        try:
            gone = await asyncio.to_thread(self.usage.prune, now - self.retention)
        except Exception as err:
            log.error("usage: cannot forget old questions and votes: %s", first_line(err))
            self._next_prune = time.monotonic() + PRUNE_RETRY.total_seconds()
            return
        self._next_prune = time.monotonic() + self.prune_every.total_seconds()
        if gone:
            log.info("usage: forgot %d questions and votes older than %s", gone, self.retention)

    async def _run(self) -> None:
        while not (self.schema_ready() or self._stopping.is_set()):  # stopping: see _write
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), SCHEMA_POLL_S)
        stopping = False
        while not stopping:
            try:
                first = await asyncio.wait_for(self.queue.get(), self._until_prune())
            except TimeoutError:
                await self.prune()
                continue
            batch = await self._batch(first)
            rows = [row for row in batch if row is not None]
            stopping = len(rows) < len(batch)
            if rows:
                await self._write(rows)
            for _ in batch:
                self.queue.task_done()
            if self._until_prune() == 0:
                await self.prune()

    async def _batch(self, first: Asked | None) -> list[Asked | None]:
        """`first` and what arrived within `linger` after it (at most BATCH; a stop ends the
        wait). One timed wait a batch, not one a record: under load a record arrives with every
        reply, and a timed wait each (a task and a timer) cost more than writing the record."""
        batch = [first]
        if first is not None and self.queue.qsize() < BATCH - 1:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.linger)
        while len(batch) < BATCH and batch[-1] is not None and not self.queue.empty():
            batch.append(self.queue.get_nowait())
        return batch

    def _until_prune(self) -> float:
        return max(0.0, self._next_prune - time.monotonic())

    async def _write(self, rows: list[Asked]) -> None:
        """Write the batch, waiting for the database as long as it is away; a batch one of
        whose rows can never be written is written one row at a time."""
        fault = await self._written(rows)
        if fault is None:
            return
        log.warning(
            "usage: a batch of %d was refused (%s); writing it row by row", len(rows), fault
        )
        for row in rows:
            fault = await self._written([row])
            if fault is not None:
                self._lost(1, f"{fault}; this record can never be written ({_described(row)})")

    async def _written(self, rows: list[Asked]) -> str | None:
        """Write `rows` in one transaction, retrying while the database is away; None once
        written (or given up at shutdown, reported), else why the rows themselves were
        refused."""
        attempt = 0
        while True:
            try:
                await asyncio.to_thread(self.usage.record, rows)
                self._lasting.cleared()
                if attempt:  # the retries' WARNINGs were the last word: the outage is over
                    log.info("usage: records written again, after %d failed attempt(s)", attempt)
                return None
            except Exception as err:
                if row_fault(err):
                    return f"{type(err).__name__}: {first_line(err)}"
                if self._stopping.is_set():
                    self._lost(len(rows), f"{type(err).__name__}: {first_line(err)}")
                    return None
                pause = self.retries[min(attempt, len(self.retries) - 1)]
                attempt += 1
                if not self._lasting.said(err):
                    log.warning(
                        "usage: write failed (attempt %d), retrying in %ss: %s",
                        attempt,
                        pause,
                        first_line(err),
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)

    def _lost(self, count: int, why: str) -> None:
        """Report and count records not saved (kubecon_bot_usage_records_lost_total)."""
        log.error("usage: %d question record(s) not saved: %s", count, why)
        self.on_lost(count)


def _described(row: Asked) -> str:
    """A lost record in the log: enough to find it (when, where, what kind), never its text,
    which LOG_MESSAGE_TEXT alone may put in the log."""
    return f"{row.outcome} on {row.platform} {row.channel_id or '-'} at {row.at:%Y-%m-%d %H:%M:%S}"
