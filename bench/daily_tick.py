"""How long one scheduler tick takes with many subscriptions (a script, not a test).

    .venv/bin/python bench/daily_tick.py [--subs 1000] [--database URL]

Prints the time of the tick that posts to every channel (claim + post + record each), and of a
steady-state tick afterwards (everything already sent today), against a real database and a
poster that does nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

from bot.core.content import load_content
from bot.core.replies import Reply
from bot.core.schedule import When
from bot.scheduler import Scheduler
from bot.store import Store


class NullPoster:
    platform = "slack"

    async def post(self, channel_id: str, reply: Reply) -> None:
        return None


async def run(subs: int, url: str) -> None:
    store = Store.open(url)
    since = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for n in range(subs):
        store.subscribe("slack", f"C{n:06d}", When(), now=since)
    scheduler = Scheduler(store, {"slack": NullPoster()}, load_content())
    now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    start = time.perf_counter()
    posted = await scheduler.tick(now)
    busy = time.perf_counter() - start
    start = time.perf_counter()
    await scheduler.tick(now + dt.timedelta(minutes=1))
    idle = time.perf_counter() - start
    backend = store.engine.dialect.name
    print(f"{backend}: {subs} subscriptions")
    print(
        f"  tick posting to all : {busy * 1000:8.1f} ms ({posted} posts, "
        f"{busy / max(posted, 1) * 1000:.2f} ms/post)"
    )
    print(f"  steady-state tick   : {idle * 1000:8.1f} ms")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subs", type=int, default=1000)
    parser.add_argument("--database", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        asyncio.run(run(args.subs, url))


if __name__ == "__main__":
    main()
