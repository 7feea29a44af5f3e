"""Many channels due the same minute: posted side by side (bounded per platform), on two
replicas at once, and still exactly once per channel; a rate limit on some sends delays those
channels without losing or doubling a post."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, field

from bot.core.services import DeliveryError
from bot.daily.scheduler import Scheduler
from bot.daily.store import Store
from bot.daily.timing import When
from tests.daily.conftest import utc

SUBSCRIBED = utc(2026, 11, 1, 0, 0)
DUE = utc(2026, 11, 2, 9, 0)


@dataclass
class SlowPoster:
    """A platform round trip: a send is held until `hold_until` sends are in flight at once (or
    2 s have passed, so a scheduler that posts one by one fails the test instead of hanging).
    In-flight sends are counted; `limited` channels answer 429 once."""

    platform: str = "slack"
    posts: list[str] = field(default_factory=list)
    limited: set[str] = field(default_factory=set)
    hold_until: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    crowd: asyncio.Event = field(default_factory=asyncio.Event)

    async def post(self, channel_id: str, reply) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        if self.in_flight >= self.hold_until:
            self.crowd.set()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.crowd.wait(), 2)
            await asyncio.sleep(0)
            if channel_id in self.limited:
                self.limited.discard(channel_id)
                raise DeliveryError("ratelimited (HTTP 429)", retryable=True)
            self.posts.append(channel_id)
        finally:
            self.in_flight -= 1


def subscribe(store: Store, channels: int) -> list[str]:
    ids = [f"C{n:08d}" for n in range(channels)]
    for channel in ids:
        store.subscribe("slack", channel, When(), now=SUBSCRIBED)
    return ids


async def test_channels_due_together_are_posted_side_by_side_within_a_bound(store, content):
    channels = subscribe(store, 30)
    poster = SlowPoster(hold_until=8)
    s = Scheduler(store, {"slack": poster}, content, holder="a", concurrency=8)
    assert await s.tick(DUE) == 30
    assert sorted(poster.posts) == channels
    assert poster.most_in_flight == 8  # in parallel, never more than the bound


async def test_two_replicas_fan_out_together_and_each_channel_gets_one_post(db_url, content):
    seed = Store.open(db_url)
    channels = subscribe(seed, 40)
    seed.close()
    stores = [Store.open(db_url), Store.open(db_url)]
    poster = SlowPoster(limited={channels[3], channels[17]})
    replicas = [
        Scheduler(store, {"slack": poster}, content, holder=name)
        for store, name in zip(stores, ("a", "b"), strict=True)
    ]
    try:
        first = await asyncio.gather(*(r.tick(DUE) for r in replicas))
        assert sum(first) == 38  # two channels were rate limited: retried, not lost
        later = DUE.replace(minute=5)  # after the first backoff (1 minute)
        second = await asyncio.gather(*(r.tick(later) for r in replicas))
        assert sum(second) == 2
    finally:
        for store in stores:
            store.close()
    assert Counter(poster.posts) == Counter(channels)  # every channel exactly once
