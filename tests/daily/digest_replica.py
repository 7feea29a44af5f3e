"""One replica of the bot's scheduler with the editors' digest, run as its own process by
test_digest.py (as tests/daily/replica.py is for the takeaways).

It walks a simulated clock from START for DAYS days in STEP-minute ticks against the shared
database and appends each digest it posts to OUT as a JSON line (the period's end, the simulated
instant, the replica's name). Usage:
    python -m tests.daily.digest_replica URL OUT START DAYS STEP NAME GO_AT
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

from bot.core.content import load_content
from bot.core.replies import Reply
from bot.core.responder import Responder
from bot.daily.scheduler import Scheduler
from bot.daily.store import Store
from bot.usage.digest import Digest
from bot.usage.log import UsageLog
from tests.daily.replica import append, walk


class FilePoster:
    platform = "slack"

    def __init__(self, out: Path, name: str) -> None:
        self.out = out
        self.name = name
        self.now = dt.datetime.min

    async def post(self, channel_id: str, reply: Reply) -> None:
        line = {
            "channel": channel_id,
            "kind": reply.kind.value,
            "until": reply.meta["until"],
            "at": self.now.isoformat(),
            "replica": self.name,
        }
        append(self.out, line)


async def main(argv: list[str]) -> None:
    url, out, start, days, step, name, go = argv
    store = Store.open(url)
    poster = FilePoster(Path(out), name)
    responder = Responder(load_content())
    # simulated clocks run at each process's own speed: the lease spans them (see replica.py)
    scheduler = Scheduler(
        store,
        {"slack": poster},
        responder.content,
        holder=name,
        lease=dt.timedelta(days=2),
        digest=Digest(UsageLog(store.engine), lambda: responder),
    )
    await walk(scheduler, [poster], start=start, days=days, step=step, go=go)
    store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
