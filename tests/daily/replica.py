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
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.core.content import load_content
from bot.core.replies import Reply
from bot.daily.scheduler import Scheduler
from bot.daily.store import Store

ROOT = Path(__file__).resolve().parents[2]


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
        append(self.out, line)


def run_two(
    script: str, url: str, tmp: Path, *, start: dt.datetime, days: int, step: int
) -> list[dict[str, str]]:
    """Run two replica processes of `script` (this module, or tests.daily.digest_replica) on the
    database at `url`, starting together, and return every post either made."""
    go = time.time() + 2.0
    outs = [tmp / f"replica-{n}.jsonl" for n in ("a", "b")]
    procs = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", script, url, str(out)),
                *(start.isoformat(), str(days), str(step), out.stem, str(go)),
            ],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=110)
        assert proc.returncode == 0, err
    return [json.loads(line) for out in outs if out.exists() for line in out.open()]


def append(out: Path, line: dict[str, str]) -> None:
    """One post as a JSON line, on disk before the post returns: the other replica's process
    and the test read the file, and a line lost in a buffer would look like a missed post."""
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
        f.flush()
        os.fsync(f.fileno())


async def walk(
    scheduler: Scheduler, posters: list[Any], *, start: str, days: str, step: str, go: str
) -> None:
    """Tick `scheduler` over the simulated days, each poster told the simulated instant, from
    the wall-clock instant `go` on (both replicas start together)."""
    now = dt.datetime.fromisoformat(start)
    end = now + dt.timedelta(days=int(days))
    time.sleep(max(0.0, float(go) - time.time()))
    while now < end:
        for poster in posters:
            poster.now = now
        await scheduler.tick(now)
        now += dt.timedelta(minutes=int(step))


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
    await walk(scheduler, list(posters.values()), start=start, days=days, step=step, go=go)
    store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
