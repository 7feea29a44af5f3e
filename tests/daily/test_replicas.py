"""Two schedulers in separate processes on one database, 30 simulated days, three channels in
three timezones (two of them cross a DST change): every channel gets exactly one post a day,
at its local time, in rotation order."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.content import Content
from bot.daily.rotation import rotation
from bot.daily.store import SENT, Store
from bot.daily.timing import When
from tests.daily.replica import run_two

START = dt.datetime(2026, 10, 15, 0, 0, tzinfo=dt.UTC)  # Berlin: Oct 25, New York: Nov 1
DAYS = 30
STEP = 15  # minutes
CHANNELS = {
    ("slack", "C-BERLIN"): When(dt.time(9, 0), "Europe/Berlin"),
    ("discord", "D-NEWYORK"): When(dt.time(8, 30), "America/New_York"),
    ("slack", "C-TOKYO"): When(dt.time(9, 0), "Asia/Tokyo"),
}


def test_two_replicas_post_exactly_once_per_channel_per_day(
    db_url: str, content: Content, tmp_path: Path
) -> None:
    store = Store.open(db_url)
    for (platform, channel), when in CHANNELS.items():
        store.subscribe(platform, channel, when, now=START)

    posts = run_two("tests.daily.replica", db_url, tmp_path, start=START, days=DAYS, step=STEP)
    items = [i.key for i in rotation(content)]
    for (platform, channel), when in CHANNELS.items():
        mine = sorted(
            (p for p in posts if (p["platform"], p["channel"]) == (platform, channel)),
            key=lambda p: p["at"],
        )
        zone = ZoneInfo(when.tz)
        local = [dt.datetime.fromisoformat(p["at"]).astimezone(zone) for p in mine]
        days = [t.date() for t in local]
        # exactly one post per local day, every day of the simulation
        assert len(days) == len(set(days)) and len(days) == DAYS
        assert all(b - a == dt.timedelta(days=1) for a, b in itertools.pairwise(days))
        # always at the subscribed local time, before and after the DST change
        assert {t.time() for t in local} == {when.at}, channel
        # the rotation walked in order, no repeat before it was exhausted
        assert [p["key"] for p in mine] == [items[i % len(items)] for i in range(len(mine))]
        first = [p["key"] for p in mine[: len(items)]]
        assert len(set(first)) == len(first) == len(items)

    # the ledger agrees: one sent row per channel per day, each with the item that was posted
    ledger = store.deliveries()
    assert all(d.status == SENT for d in ledger)
    assert Counter((d.subscription_id, d.local_date) for d in ledger).most_common(1)[0][1] == 1
    assert len(ledger) == len(posts)
    by_replica = Counter(p["replica"] for p in posts)
    assert set(by_replica) <= {"replica-a", "replica-b"}  # every post came from one of them
    assert sum(by_replica.values()) == len(posts) == DAYS * len(CHANNELS)
    store.close()
