"""One replica of the bot's scheduler, run as its own process by test_replicas.py.

It walks a simulated clock from START for DAYS days in STEP-minute ticks against the shared
database, and appends each post it makes to OUT as a JSON line (platform, channel, item key,
simulated instant, replica name). Usage:
    python -m tests.daily.replica URL OUT START DAYS STEP NAME GO_AT
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from bot.core.content import load_content
from bot.core.replies import Reply
from bot.daily.scheduler import Scheduler
from bot.daily.store import Store


class FilePoster:
    def __init__(self, platform: str, out: Path, name: str) -> None:
        self.platform = platform
        self.out = out
        self.name = name
        self.now = dt.datetime.min

    async def post(self, channel_id: str, reply: Reply) -> None:
        line = {
            "platform": self.platform,
            "channel": channel_id,
            "key": reply.meta["daily_item"],
            "at": self.now.isoformat(),
            "replica": self.name,
        }
        with self.out.open("a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
            f.flush()
            os.fsync(f.fileno())


async def main(argv: list[str]) -> None:
    url, out, start, days, step, name, go = argv
    store = Store.open(url)
    posters = {p: FilePoster(p, Path(out), name) for p in ("slack", "discord")}
    # Each process runs its simulated clock at its own speed, so one may be an hour of
    # simulated time ahead of the other: with a 5-minute lease it would "take over" a claim
    # the other is still sending. Real replicas share wall-clock time; here the lease spans a
    # simulated day. (Takeover after a real death is tested in test_scheduler/test_store.)
    lease = dt.timedelta(days=2)
    scheduler = Scheduler(store, posters, load_content(), holder=name, lease=lease)
    now = dt.datetime.fromisoformat(start)
    end = now + dt.timedelta(days=int(days))
    time.sleep(max(0.0, float(go) - time.time()))  # both replicas start together
    while now < end:
        for poster in posters.values():
            poster.now = now
        await scheduler.tick(now)
        now += dt.timedelta(minutes=int(step))
    store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
