"""The daily posts' repository: subscriptions and their delivery ledger, one aggregate (a
subscription owns its deliveries), through SQLAlchemy 2.x Core on SQLite or PostgreSQL.

Exactly once per channel per day rests on one database rule: the UNIQUE (subscription_id,
local_date) constraint on `deliveries`. A scheduler inserts that row (the claim) before it
sends; whoever's insert wins owns the day. Every later change to the row is a conditional
UPDATE (compare-and-set on status, holder and lease), atomic on both databases. A weekly
subscription (the editors' digest) keys its row by the first local day of its period: once
per week, by the same rule.

The calls are synchronous (a few rows each); async callers run them in a thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bot.daily.timing import When, parse_time
from bot.storage.database import Database, insert_new
from bot.storage.schema import deliveries, subscriptions

log = logging.getLogger(__name__)

CLAIMED, SENT, FAILED = "claimed", "sent", "failed"
CHAT, CONFIG = "chat", "config"
# What a subscription posts: the takeaway of the day, or the editors' digest (bot.usage.digest,
# handed to the scheduler by the composition root). A channel may have one of each.
DAILY, DIGEST = "daily", "digest"


@dataclass(frozen=True)
class Subscription:
    id: int
    platform: str
    channel_id: str
    workspace_id: str
    when: When
    source: str  # "chat" (chat command or CLI) or "config" (SUBSCRIPTIONS_FILE, DIGEST_*, env)
    paused: bool
    paused_reason: str | None
    position: str | None  # key of the last item posted
    since: dt.datetime  # when the current schedule took effect (no instant catch-up before it)
    kind: str = DAILY
    weekday: int | None = None  # 0 = Monday … 6 = Sunday: one post a week; None: one a day


class ConfiguredError(Exception):
    """A chat or CLI change (source CHAT) to a subscription the configuration owns: a removal
    came back at the next start-up, and a new time made it a chat one, which taking it out of
    the configuration then no longer removed. Carries the subscription, to say where it is set
    and at what time. Nothing was changed."""

    def __init__(self, sub: Subscription) -> None:
        super().__init__(f"{sub.platform}:{sub.channel_id} is set in the configuration")
        self.sub = sub


@dataclass(frozen=True)
class Delivery:
    id: int
    subscription_id: int
    local_date: dt.date
    item_key: str
    status: str
    holder: str
    lease_until: dt.datetime | None
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    sent_at: dt.datetime | None


def _sub(row: sa.Row[Any]) -> Subscription:
    return Subscription(
        id=row.id,
        platform=row.platform,
        channel_id=row.channel_id,
        workspace_id=row.workspace_id,
        when=When(parse_time(row.at), row.tz),
        source=row.source,
        paused=bool(row.paused),
        paused_reason=row.paused_reason,
        position=row.position,
        since=row.since,
        kind=row.kind,
        weekday=row.weekday,
    )


def _channel(platform: str, channel_id: str, kind: str) -> tuple[sa.ColumnElement[bool], ...]:
    """The WHERE clause of one channel's subscription of one kind (the table's unique key)."""
    return (
        subscriptions.c.platform == platform,
        subscriptions.c.channel_id == channel_id,
        subscriptions.c.kind == kind,
    )


def _delivery(row: sa.Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        local_date=row.local_date,
        item_key=row.item_key,
        status=row.status,
        holder=row.holder,
        lease_until=row.lease_until,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


def _owned_by_config(row: sa.Row[Any], source: str) -> bool:
    """The one rule for who changes what: a live configured subscription is the
    configuration's (DAILY_SUBSCRIPTIONS, SUBSCRIPTIONS_FILE, DIGEST_*) to change or remove,
    not chat's nor the CLI's; a removed one may be taken up by anyone."""
    return source != CONFIG and row.source == CONFIG and row.removed_at is None


def _takeable(row: Delivery, now: dt.datetime) -> bool:
    """A ledger row another attempt may claim: its retry is due, or its holder's lease ran out."""
    if row.status == FAILED:
        return row.next_attempt_at is not None and row.next_attempt_at <= now
    return row.status == CLAIMED and row.lease_until is not None and row.lease_until < now


class Store:
    """Subscriptions and the ledger, on the bot's database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.engine = database.engine

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Store:
        """The store on the database at `url`, migrated (the commands that work on
        subscriptions alone); DatabaseError, one line, when that fails."""
        return cls(Database.open(url, create=create))

    def close(self) -> None:
        self.database.close()

    # --- subscriptions -------------------------------------------------------------------------

    def subscribe(
        self,
        platform: str,
        channel_id: str,
        when: When,
        *,
        now: dt.datetime,
        workspace_id: str = "",
        source: str = CHAT,
        kind: str = DAILY,
        weekday: int | None = None,
    ) -> tuple[Subscription, bool]:
        """Create or update a channel's subscription of `kind` (unpausing it); True if it is
        new (or returns after an unsubscribe). The rotation position and the ledger are kept,
        so re-subscribing never restarts the rotation nor posts a day's takeaway twice.

        `source`: who asks. The configuration takes over a chat subscription; chat (or the
        CLI) only resumes a configured one at its configured schedule, which stays config, and
        raises ConfiguredError for another schedule (see `_owned_by_config`)."""
        values = {
            "at": f"{when.at:%H:%M}",
            "tz": when.tz,
            "weekday": weekday,
            "source": source,
            "updated_at": now,
        }
        with self.engine.begin() as conn:
            new = insert_new(
                conn,
                subscriptions,
                platform=platform,
                channel_id=channel_id,
                kind=kind,
                workspace_id=workspace_id,
                paused=False,
                since=now,
                created_at=now,
                **values,
            )
            if new is not None:
                return self._get(conn, platform, channel_id, kind), True
            # there already (or a replica inserted it an instant ago): update it
            row = conn.execute(
                sa.select(subscriptions).where(*_channel(platform, channel_id, kind))
            ).one()
            returning = row.removed_at is not None
            schedule = (values["at"], values["tz"], values["weekday"])
            changed = (row.at, row.tz, row.weekday) != schedule
            if _owned_by_config(row, source):
                if changed:
                    raise ConfiguredError(_sub(row))
                values["source"] = CONFIG
            update = {**values, "paused": False, "paused_reason": None, "removed_at": None}
            if changed or returning:
                update["since"] = now
            if workspace_id:
                update["workspace_id"] = workspace_id
            conn.execute(
                subscriptions.update().where(*_channel(platform, channel_id, kind)).values(**update)
            )
            return self._get(conn, platform, channel_id, kind), returning

    @staticmethod
    def _get(conn: sa.Connection, platform: str, channel_id: str, kind: str) -> Subscription:
        row = conn.execute(
            sa.select(subscriptions).where(*_channel(platform, channel_id, kind))
        ).one()
        return _sub(row)

    def get(self, platform: str, channel_id: str, kind: str = DAILY) -> Subscription | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(subscriptions).where(
                    *_channel(platform, channel_id, kind), subscriptions.c.removed_at.is_(None)
                )
            ).first()
        return _sub(row) if row else None

    def unsubscribe(
        self,
        platform: str,
        channel_id: str,
        *,
        now: dt.datetime,
        kind: str = DAILY,
        source: str = CHAT,
    ) -> bool:
        """End a channel's subscription; False if it had none. The row stays, marked removed,
        with its ledger and rotation position, for a return the same day or later.

        `source`: who asks. Chat (or the CLI) cannot end a configured subscription, which the
        next start-up would bring back: ConfiguredError, and nothing changes."""
        live = (*_channel(platform, channel_id, kind), subscriptions.c.removed_at.is_(None))
        mine = () if source == CONFIG else (subscriptions.c.source != CONFIG,)
        with self.engine.begin() as conn:
            ended = conn.execute(
                subscriptions.update().where(*live, *mine).values(removed_at=now, updated_at=now)
            ).rowcount
        if ended == 0 and source != CONFIG:
            sub = self.get(platform, channel_id, kind)
            if sub is not None and sub.source == CONFIG:
                raise ConfiguredError(sub)
        return ended == 1

    def subscriptions(
        self, *, active_only: bool = False, kind: str | None = None
    ) -> list[Subscription]:
        """Current subscriptions (`active_only`: not paused either; `kind`: of that kind only,
        else every kind)."""
        query = (
            sa.select(subscriptions)
            .where(subscriptions.c.removed_at.is_(None))
            .order_by(subscriptions.c.platform, subscriptions.c.channel_id, subscriptions.c.kind)
        )
        if active_only:
            query = query.where(subscriptions.c.paused == sa.false())
        if kind is not None:
            query = query.where(subscriptions.c.kind == kind)
        with self.engine.connect() as conn:
            return [_sub(row) for row in conn.execute(query)]

    def pause(self, subscription_id: int, reason: str, now: dt.datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                subscriptions.update()
                .where(subscriptions.c.id == subscription_id)
                .values(paused=True, paused_reason=reason, updated_at=now)
            )

    def sync_config(
        self, entries: Iterable[tuple[str, str, When]], now: dt.datetime
    ) -> tuple[int, int]:
        """Make the config-sourced subscriptions equal `entries` (platform, channel, when):
        add or update those listed, drop config ones no longer listed. Chat subscriptions for
        a listed channel are taken over by the config. Returns (upserted, removed)."""
        listed = {(p, c): w for p, c, w in entries}
        for (platform, channel), when in listed.items():
            self.subscribe(platform, channel, when, now=now, source=CONFIG)
        removed = 0
        for sub in self.subscriptions(kind=DAILY):
            if sub.source == CONFIG and (sub.platform, sub.channel_id) not in listed:
                removed += self.unsubscribe(sub.platform, sub.channel_id, now=now, source=CONFIG)
        return len(listed), removed

    def sync_digest(
        self, target: tuple[str, str, When, int | None] | None, now: dt.datetime
    ) -> Subscription | None:
        """Make the editors' digest subscription equal the configuration (DIGEST_*): `target`
        (platform, channel, when, weekday) subscribed, any other digest channel removed; None:
        no digest. Re-syncing an unchanged target keeps its `since`, so a restart mid-period
        neither posts again (the ledger has the period) nor skips a period missed while down."""
        kept = None
        if target is not None:
            platform, channel, when, weekday = target
            kept, _ = self.subscribe(
                platform, channel, when, now=now, source=CONFIG, kind=DIGEST, weekday=weekday
            )
        for sub in self.subscriptions(kind=DIGEST):
            if kept is None or sub.id != kept.id:
                self.unsubscribe(sub.platform, sub.channel_id, now=now, kind=DIGEST, source=CONFIG)
        return kept

    # --- the ledger ----------------------------------------------------------------------------

    def claim(
        self,
        sub: Subscription,
        day: dt.date,
        *,
        now: dt.datetime,
        holder: str,
        lease: dt.timedelta,
        choose_item: Callable[[str | None], str],
    ) -> Delivery | None:
        """Take the right to post `sub`'s item for local `day`, or None if it is not ours to
        take: already sent, held by a live claim, or waiting for its next retry.

        The first claim inserts the row (the UNIQUE constraint picks one winner among
        replicas) and fixes the item, chosen from the subscription's position, so a retry or a
        takeover posts the same item. A later claim is a compare-and-set UPDATE that succeeds
        only on a failed row whose retry time has come, or on a claimed row whose lease expired
        (its holder died or hung)."""
        # A first claim is two round trips (a fan-out pays them per post): the reads, then a
        # transaction whose first statement is the write. A read upgraded to a write in one
        # transaction would fail at once on SQLite (WAL) whenever another writer came between.
        with self.engine.connect() as conn:
            existing = conn.execute(
                sa.select(deliveries).where(
                    deliveries.c.subscription_id == sub.id, deliveries.c.local_date == day
                )
            ).first()
            position = self._last_item(conn, sub.id, day) if existing is None else None
        if existing is None:
            with self.engine.begin() as conn:
                won = insert_new(
                    conn,
                    deliveries,
                    subscription_id=sub.id,
                    local_date=day,
                    item_key=choose_item(position),
                    status=CLAIMED,
                    holder=holder,
                    lease_until=now + lease,
                    attempts=1,
                    claimed_at=now,
                    updated_at=now,
                )
            return None if won is None else _delivery(won)  # None: another replica won
        if not _takeable(_delivery(existing), now):
            return None  # the common case, settled without a write
        takeable = sa.or_(
            sa.and_(
                deliveries.c.status == FAILED,
                deliveries.c.next_attempt_at.is_not(None),
                deliveries.c.next_attempt_at <= now,
            ),
            sa.and_(deliveries.c.status == CLAIMED, deliveries.c.lease_until < now),
        )
        with self.engine.begin() as conn:
            taken = conn.execute(
                deliveries.update()
                .where(deliveries.c.id == existing.id, takeable)
                .values(
                    status=CLAIMED,
                    holder=holder,
                    lease_until=now + lease,
                    attempts=deliveries.c.attempts + 1,
                    next_attempt_at=None,
                    updated_at=now,
                )
            ).rowcount
        if taken != 1:
            return None
        if existing.status == CLAIMED:
            log.warning(
                "taking over the daily post for subscription %s on %s from %s (lease expired)",
                sub.id,
                day,
                existing.holder,
            )
        return self.delivery(sub.id, day)

    def waiting(
        self, due: Iterable[tuple[int, dt.date]], now: dt.datetime
    ) -> set[tuple[int, dt.date]]:
        """Of the (subscription, day) pairs due, those a claim could take now: no ledger row
        yet, a failed row whose retry time has come, or an expired lease. One query for the
        whole tick, so a steady-state tick (everything sent) does not cost one per channel."""
        due = set(due)
        if not due:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(deliveries).where(
                    deliveries.c.subscription_id.in_({s for s, _ in due}),
                    deliveries.c.local_date >= min(d for _, d in due),
                )
            ).all()
        for row in rows:
            key = (row.subscription_id, row.local_date)
            if key in due and not _takeable(_delivery(row), now):
                due.discard(key)
        return due

    @staticmethod
    def _last_item(conn: sa.Connection, subscription_id: int, day: dt.date) -> str | None:
        """The item posted last before `day`: from the ledger (a claimed row counts, it may
        have gone out), else the subscription's position (the ledger has no earlier rows)."""
        key = conn.execute(
            sa.select(deliveries.c.item_key)
            .where(
                deliveries.c.subscription_id == subscription_id,
                deliveries.c.local_date < day,
                deliveries.c.status != FAILED,
            )
            .order_by(deliveries.c.local_date.desc())
            .limit(1)
        ).scalar()
        if key is not None:
            return key
        return conn.execute(
            sa.select(subscriptions.c.position).where(subscriptions.c.id == subscription_id)
        ).scalar()

    def sent(self, delivery: Delivery, now: dt.datetime) -> bool:
        """Record a successful post and advance the channel's rotation, in one transaction.
        False if our claim was taken over meanwhile (the post may then appear twice)."""
        with self.engine.begin() as conn:
            ours = conn.execute(
                deliveries.update()
                .where(deliveries.c.id == delivery.id, deliveries.c.holder == delivery.holder)
                .values(status=SENT, sent_at=now, lease_until=None, last_error=None, updated_at=now)
            ).rowcount
            if ours != 1:
                conn.execute(
                    deliveries.update()
                    .where(deliveries.c.id == delivery.id)
                    .values(status=SENT, sent_at=now, lease_until=None, updated_at=now)
                )
            conn.execute(
                subscriptions.update()
                .where(subscriptions.c.id == delivery.subscription_id)
                .values(position=delivery.item_key, updated_at=now)
            )
        return ours == 1

    def failed(
        self,
        delivery: Delivery,
        reason: str,
        now: dt.datetime,
        retry_at: dt.datetime | None,
    ) -> None:
        """Record a failed attempt; `retry_at` None means no more tries for that day."""
        with self.engine.begin() as conn:
            conn.execute(
                deliveries.update()
                .where(deliveries.c.id == delivery.id, deliveries.c.holder == delivery.holder)
                .values(
                    status=FAILED,
                    lease_until=None,
                    next_attempt_at=retry_at,
                    last_error=reason[:500],
                    updated_at=now,
                )
            )

    def delivery(self, subscription_id: int, day: dt.date) -> Delivery | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(deliveries).where(
                    deliveries.c.subscription_id == subscription_id,
                    deliveries.c.local_date == day,
                )
            ).first()
        return _delivery(row) if row else None

    def deliveries(self, subscription_id: int | None = None) -> list[Delivery]:
        query = sa.select(deliveries).order_by(
            deliveries.c.subscription_id, deliveries.c.local_date
        )
        if subscription_id is not None:
            query = query.where(deliveries.c.subscription_id == subscription_id)
        with self.engine.connect() as conn:
            return [_delivery(row) for row in conn.execute(query)]
