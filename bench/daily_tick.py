"""Daily fan-out as a channel sees it: N subscriptions due the same minute, R replicas ticking at
once on one database, each posting through the real Slack adapter to a fake Slack that takes
`--delay-ms` per `chat.postMessage` (a real platform's round trip). A script, not a test.

    .venv/bin/python bench/daily_tick.py [--subs 200] [--replicas 2] [--delay-ms 100]
                                         [--database URL]

Prints the time from the first post to the last, how many channels got exactly one post (and
how many none or two), and the steady-state tick afterwards (everything already sent today).
The same-run baseline is the sequential floor: N posts one after another at that round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web

from bot.adapters.slack.service import create_service
from bot.config import Settings
from bot.core.app import BotApp
from bot.core.content import load_content
from bot.core.responder import Responder
from bot.daily.scheduler import Scheduler
from bot.daily.store import Store
from bot.daily.timing import When
from tests.slack.fakeslack import FakeSlack

SINCE = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


class SlowSlack(FakeSlack):
    """The fake Slack Web API, taking `delay` seconds to accept each chat.postMessage."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.posted_at: list[float] = []

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            await asyncio.sleep(self.delay)
            self.posted_at.append(time.perf_counter())
        return await super()._api(request)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run(subs: int, replicas: int, delay: float, url: str) -> None:
    content = load_content()
    seed = Store.open(url)
    for n in range(subs):
        seed.subscribe("slack", f"C{n:08d}", When(), now=SINCE)
    seed.close()

    fake = await SlowSlack(delay).start()
    services, schedulers = [], []
    for _ in range(replicas):
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET="bench",
            SLACK_MODE="http",
            SLACK_API_URL=fake.api_url,
            HOST="127.0.0.1",
            PORT=free_port(),
        )
        service = create_service(settings, BotApp(Responder(content)))
        await service.start()
        services.append(service)
        schedulers.append(Scheduler(Store.open(url), {"slack": service}, content))

    started = time.perf_counter()
    await asyncio.gather(*(s.tick(DUE) for s in schedulers))
    busy = time.perf_counter() - started
    started = time.perf_counter()
    await schedulers[0].tick(DUE + dt.timedelta(minutes=1))
    idle = time.perf_counter() - started

    per_channel = Counter(c["channel"] for c in fake.sent("chat.postMessage"))
    once = sum(1 for n in range(subs) if per_channel[f"C{n:08d}"] == 1)
    none = sum(1 for n in range(subs) if per_channel[f"C{n:08d}"] == 0)
    twice = sum(1 for n in range(subs) if per_channel[f"C{n:08d}"] > 1)
    spread = max(fake.posted_at) - min(fake.posted_at) if fake.posted_at else 0.0
    backend = schedulers[0].store.engine.dialect.name
    print(
        f"{backend}: {subs} channels due at once, {replicas} replicas, "
        f"{delay * 1000:.0f} ms per chat.postMessage"
    )
    print(f"  first to last post   : {spread:7.2f} s   (tick {busy:.2f} s)")
    print(f"  sequential floor     : {subs * delay:7.2f} s   (same run: {subs} × {delay:.3f} s)")
    print(f"  exactly once         : {once}/{subs}   none: {none}   twice or more: {twice}")
    print(f"  steady-state tick    : {idle * 1000:7.1f} ms")
    for scheduler in schedulers:
        scheduler.store.close()
    for service in services:
        await service.stop()
    await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subs", type=int, default=200)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--delay-ms", type=float, default=100.0)
    parser.add_argument("--database", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        asyncio.run(run(args.subs, args.replicas, args.delay_ms / 1000, url))


if __name__ == "__main__":
    main()
