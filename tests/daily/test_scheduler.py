"""The scheduler against a real database, with the clock in the test's hands."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading

import pytest

from bot.core.content import Content
from bot.core.services import DeliveryError, Poster, Service
from bot.daily.rotation import rotation
from bot.daily.scheduler import INTERRUPTED, LEASE, Scheduler
from bot.daily.store import FAILED, SENT, Store
from bot.daily.timing import When
from tests.daily.conftest import RecordingPoster, channel_not_found, rate_limited, utc

SUBSCRIBED = utc(2026, 11, 1, 0, 0)
BERLIN = When(dt.time(9, 0), "Europe/Berlin")  # 08:00 UTC in November


def scheduler(store: Store, content: Content, *posters: RecordingPoster, name: str) -> Scheduler:
    return Scheduler(store, {p.platform: p for p in posters}, content, holder=name)


@pytest.fixture
def slack() -> RecordingPoster:
    return RecordingPoster("slack")


def test_scheduler_is_a_service_and_posters_are_posters(store, content, slack) -> None:
    assert isinstance(scheduler(store, content, slack, name="a"), Service)
    assert isinstance(slack, Poster)


async def test_posts_at_the_local_time_not_before(store, content, slack) -> None:
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    s = scheduler(store, content, slack, name="a")
    assert await s.tick(utc(2026, 11, 2, 7, 59)) == 0
    assert await s.tick(utc(2026, 11, 2, 8, 0)) == 1
    assert await s.tick(utc(2026, 11, 2, 8, 1)) == 0
    [(channel, reply)] = slack.posts
    assert channel == "C1" and reply.title == "Takeaway of the day"
    assert reply.body == content.takeaways[0]


async def test_restart_in_the_middle_of_a_day_neither_repeats_nor_skips(
    db_url, content, slack
) -> None:
    first = Store.open(db_url)
    first.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    await scheduler(first, content, slack, name="before").tick(utc(2026, 11, 2, 8, 0))
    first.close()

    second = Store.open(db_url)  # the process restarts at noon
    after = scheduler(second, content, slack, name="after")
    assert await after.tick(utc(2026, 11, 2, 12, 0)) == 0
    assert await after.tick(utc(2026, 11, 3, 8, 0)) == 1
    items = rotation(content)
    assert slack.keys() == [items[0].key, items[1].key]
    ledger = second.deliveries()
    assert [(d.local_date, d.status, d.holder) for d in ledger] == [
        (dt.date(2026, 11, 2), SENT, "before"),
        (dt.date(2026, 11, 3), SENT, "after"),
    ]
    second.close()


async def test_down_across_the_scheduled_minute_posts_once_on_return(store, content, slack) -> None:
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    s = scheduler(store, content, slack, name="a")
    await s.tick(utc(2026, 11, 2, 7, 55))  # up before the time, then down until 15:00
    assert await s.tick(utc(2026, 11, 2, 15, 0)) == 1  # catch-up
    assert await s.tick(utc(2026, 11, 2, 15, 1)) == 0
    assert len(slack.posts) == 1
    [row] = store.deliveries()
    assert (row.local_date, row.status, row.sent_at) == (
        dt.date(2026, 11, 2),
        SENT,
        utc(2026, 11, 2, 15, 0),
    )


async def test_unsubscribing_and_returning_the_same_day_posts_once(store, content, slack) -> None:
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    s = scheduler(store, content, slack, name="a")
    assert await s.tick(utc(2026, 11, 2, 8, 0)) == 1
    store.unsubscribe("slack", "C1", now=utc(2026, 11, 2, 9, 0))
    assert await s.tick(utc(2026, 11, 2, 9, 30)) == 0
    store.subscribe("slack", "C1", When(dt.time(17, 0), "Europe/Berlin"), now=utc(2026, 11, 2, 10))
    assert await s.tick(utc(2026, 11, 2, 16, 0)) == 0  # 17:00 in Berlin: already posted today
    assert await s.tick(utc(2026, 11, 3, 16, 0)) == 1  # the next day, at the new time
    first, second = (reply.body for _, reply in slack.posts)
    assert (first, second) == tuple(content.takeaways[:2])  # the rotation went on


async def test_a_day_already_past_is_never_posted(store, content, slack) -> None:
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    s = scheduler(store, content, slack, name="a")
    # down from before Nov 2 until 00:30 Berlin on Nov 3: Nov 2 is gone, Nov 3 not yet due
    assert await s.tick(utc(2026, 11, 2, 23, 30)) == 0
    assert slack.posts == [] and store.deliveries() == []
    assert await s.tick(utc(2026, 11, 3, 8, 0)) == 1
    assert slack.keys() == [rotation(content)[0].key]  # the rotation did not skip an item


async def test_send_failing_twice_then_succeeding(store, content, slack, caplog) -> None:
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    slack.failures = [rate_limited(), DeliveryError("502 bad gateway", retryable=True)]
    s = scheduler(store, content, slack, name="a")
    t0 = utc(2026, 11, 2, 8, 0)
    with caplog.at_level(logging.WARNING, logger="bot.daily.scheduler"):
        assert await s.tick(t0) == 0
    assert "C1" in caplog.text and "429 rate limited" in caplog.text
    [row] = store.deliveries()
    assert (row.status, row.attempts, row.next_attempt_at) == (FAILED, 1, utc(2026, 11, 2, 8, 1))
    assert await s.tick(t0 + dt.timedelta(seconds=30)) == 0  # backoff not over: not even tried
    assert slack.calls == 1
    assert await s.tick(t0 + dt.timedelta(minutes=1)) == 0
    [row] = store.deliveries()
    assert (row.status, row.attempts, row.last_error) == (FAILED, 2, "502 bad gateway")
    assert row.next_attempt_at == t0 + dt.timedelta(minutes=3)  # 1 then 2 minutes
    assert await s.tick(t0 + dt.timedelta(minutes=3)) == 1
    assert slack.calls == 3 and len(slack.posts) == 1
    [row] = store.deliveries()
    assert (row.status, row.attempts, row.item_key) == (SENT, 3, rotation(content)[0].key)
    assert await s.tick(t0 + dt.timedelta(hours=1)) == 0 and len(slack.posts) == 1


async def test_retries_stop_when_the_local_day_ends(store, content, slack) -> None:
    store.subscribe("slack", "C1", When(dt.time(23, 59), "UTC"), now=SUBSCRIBED)
    slack.failures = [rate_limited(), rate_limited()]
    s = scheduler(store, content, slack, name="a")
    await s.tick(utc(2026, 11, 2, 23, 59))  # the retry would fall after midnight
    [row] = store.deliveries()
    assert row.status == FAILED and row.next_attempt_at is None
    assert await s.tick(utc(2026, 11, 3, 0, 5)) == 0 and slack.calls == 1


async def test_channel_deleted_pauses_the_subscription(store, content, caplog) -> None:
    slack, discord = RecordingPoster("slack"), RecordingPoster("discord")
    store.subscribe("slack", "GONE", BERLIN, now=SUBSCRIBED)
    store.subscribe("discord", "D1", BERLIN, now=SUBSCRIBED)
    slack.failures = [channel_not_found()]
    s = scheduler(store, content, slack, discord, name="a")
    with caplog.at_level(logging.WARNING, logger="bot.daily.scheduler"):
        assert await s.tick(utc(2026, 11, 2, 8, 0)) == 1  # the other channel still gets its post
    assert "paused" in caplog.text and "GONE" in caplog.text and "channel_not_found" in caplog.text
    gone = store.get("slack", "GONE")
    assert gone.paused and gone.paused_reason == "channel_not_found"
    rows = {d.subscription_id: d for d in store.deliveries()}
    assert (rows[gone.id].status, rows[gone.id].next_attempt_at) == (FAILED, None)
    assert await s.tick(utc(2026, 11, 3, 8, 0)) == 1  # only discord, the next day
    assert slack.calls == 1 and slack.posts == [] and len(discord.posts) == 2


async def test_an_error_that_is_not_a_delivery_error_pauses_with_its_reason(
    store, content, slack, caplog
) -> None:
    """E.g. the ValueError of a malformed channel id: it fails the same way at every retry, so
    retrying all day (and every day) helps nobody; the loop goes on for the other channels."""
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    store.subscribe("slack", "C2", BERLIN, now=SUBSCRIBED)
    slack.failures = [ValueError("invalid literal for int() with base 10: 'general'")]
    s = scheduler(store, content, slack, name="a")
    with caplog.at_level(logging.WARNING, logger="bot.daily.scheduler"):
        assert await s.tick(utc(2026, 11, 2, 8, 0)) == 1
    [paused] = [sub for sub in store.subscriptions() if sub.paused]
    assert paused.paused_reason.startswith("ValueError: invalid literal")
    assert f"paused daily posts for slack channel {paused.channel_id}: ValueError" in caplog.text
    assert "Traceback" not in caplog.text
    assert await s.tick(utc(2026, 11, 2, 9, 0)) == 0  # not retried that day…
    assert await s.tick(utc(2026, 11, 3, 8, 0)) == 1  # …nor the next: only the other channel
    assert slack.calls == 3 and len(slack.posts) == 2


async def test_a_post_that_times_out_is_retried_not_paused(store, content, slack) -> None:
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    slack.failures = [TimeoutError()]
    s = scheduler(store, content, slack, name="a")
    assert await s.tick(utc(2026, 11, 2, 8, 0)) == 0
    assert not store.get("slack", "C1").paused
    assert await s.tick(utc(2026, 11, 2, 8, 1)) == 1


async def test_platform_without_a_poster_is_left_for_another_replica(store, content, slack) -> None:
    store.subscribe("discord", "D1", BERLIN, now=SUBSCRIBED)
    assert await scheduler(store, content, slack, name="a").tick(utc(2026, 11, 2, 8, 0)) == 0
    assert store.deliveries() == []  # not claimed: a replica with Discord can still post it


async def test_start_and_stop_run_the_loop_on_the_clock(store, content, slack) -> None:
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    s = Scheduler(
        store, {"slack": slack}, content, clock=lambda: utc(2026, 11, 2, 9, 0), interval=0.01
    )
    await s.start()
    assert s.ready
    for _ in range(1000):  # patience, not a timing assertion: up to 10 s on a busy machine
        if slack.posts:
            break
        await asyncio.sleep(0.01)
    await s.stop()
    assert not s.ready and len(slack.posts) == 1


async def test_a_claim_whose_holder_died_is_posted_by_another_after_the_lease(
    store, content, slack
) -> None:
    sub, _ = store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    t0 = utc(2026, 11, 2, 8, 0)
    item = rotation(content)[0].key
    # a replica claimed the day and died before sending (or before recording)
    store.claim(
        sub, dt.date(2026, 11, 2), now=t0, holder="dead", lease=LEASE, choose_item=lambda _: item
    )
    s = scheduler(store, content, slack, name="alive")
    assert await s.tick(t0 + LEASE) == 0  # the lease still holds
    assert await s.tick(t0 + LEASE + dt.timedelta(seconds=30)) == 1
    assert slack.keys() == [item]
    [row] = store.deliveries()
    assert (row.status, row.holder, row.attempts) == (SENT, "alive", 2)


async def test_the_autumn_repeated_hour_posts_once_at_its_first_occurrence(
    store, content, slack
) -> None:
    """02:30 Europe/Berlin happens twice on 25 Oct 2026 (00:30 UTC in CEST, then 01:30 UTC in
    CET). bot.daily.timing documents the first occurrence: one post, at 00:30 UTC, none at the
    second 02:30; the days around it post at their single 02:30."""
    store.subscribe("slack", "C1", When(dt.time(2, 30), "Europe/Berlin"), now=utc(2026, 10, 20))
    s = scheduler(store, content, slack, name="a")
    now, posted_at = utc(2026, 10, 24, 0, 0), []
    while now < utc(2026, 10, 27, 0, 0):
        if await s.tick(now):
            posted_at.append(now)
        now += dt.timedelta(minutes=5)
    assert posted_at == [
        utc(2026, 10, 24, 0, 30),  # CEST
        utc(2026, 10, 25, 0, 30),  # the first 02:30 of the long night
        utc(2026, 10, 26, 1, 30),  # CET
    ]
    assert len(slack.posts) == 3


async def test_a_claim_the_shutdown_cancels_mid_write_is_released(store, content, slack) -> None:
    """The claim runs in a thread: a cancellation (the shutdown's, after its grace) cannot stop
    it committing. It was left to its 5-minute lease, so the next start could not post that
    day's takeaway until then; now the claim is awaited and released, retry due at once."""
    store.subscribe("slack", "C1", BERLIN, now=SUBSCRIBED)
    entered, go_on = threading.Event(), threading.Event()
    claim = store.claim

    def slow_claim(*args, **kwargs):
        entered.set()
        go_on.wait(30)
        return claim(*args, **kwargs)

    store.claim = slow_claim  # type: ignore[method-assign]
    s = scheduler(store, content, slack, name="a")
    now = utc(2026, 11, 2, 8, 0)
    ticking = asyncio.create_task(s.tick(now))
    await asyncio.to_thread(entered.wait, 30)
    ticking.cancel()
    await asyncio.sleep(0)
    go_on.set()
    with pytest.raises(asyncio.CancelledError):
        await ticking
    [row] = store.deliveries()
    assert row.status == FAILED and row.last_error == INTERRUPTED
    assert row.next_attempt_at is not None and slack.posts == []
