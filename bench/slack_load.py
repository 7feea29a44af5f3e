"""Load on the Slack adapter in HTTP mode, all on loopback: N signed slash commands, C at a time,
against the real aiohttp server and slack-bolt, with a local fake Slack Web API and response URLs.

Prints acknowledgement latency (Slack wants the 200 within 3 s), how many commands got exactly
one reply, and how many got none (lost) or more than one (duplicated).

    .venv/bin/python bench/slack_load.py [--commands 500] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from bot.adapters.slack.service import create_service
from bot.app import BotApp
from bot.config import Settings
from bot.core.content import load_content
from bot.core.responder import Responder
from tests.slack.fakeslack import FakeSlack, form, sign, slash_command

SECRET = "bench-signing-secret"
QUESTIONS = [
    "what about SBOMs?",
    "how does AI change operations?",
    "is kubernetes getting easier or harder?",
    "ai operators",
    "list",
    "takeaways",
    "best pizza in town",
    "observability for AI",
    "gpu",
    "help",
]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run(commands: int, concurrency: int) -> int:
    fake = await FakeSlack().start()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_MODE="http",
        SLACK_API_URL=fake.api_url,
        HOST="127.0.0.1",
        PORT=_free_port(),
    )
    service = create_service(settings, BotApp(Responder(load_content())))
    await service.start()
    url = f"http://127.0.0.1:{service.port}/slack/events"
    acks: list[float] = []
    statuses: Counter[int] = Counter()
    gate = asyncio.Semaphore(concurrency)

    async def one(session: aiohttp.ClientSession, n: int) -> None:
        fields = slash_command(
            QUESTIONS[n % len(QUESTIONS)],
            fake.response_url(f"r{n}"),
            user=f"U{n:08d}",
            channel=f"C{n % 25:08d}",
            n=n,
        )
        body = form(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SECRET)}
        async with gate:
            started = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as resp:
                await resp.read()
                acks.append(time.perf_counter() - started)
                statuses[resp.status] += 1

    began = time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as s:
        await asyncio.gather(*(one(s, n) for n in range(commands)))
    with contextlib.suppress(AssertionError):
        await fake.wait_for(lambda: len(fake.responses()) >= commands, timeout=30)
    await service.handlers.drain(10)
    elapsed = time.perf_counter() - began
    await asyncio.sleep(0.2)  # let any late duplicate show up before counting
    await service.stop()
    await fake.stop()

    per_command = Counter(c.path for c in fake.calls if c.method == "response_url")
    once = sum(1 for n in range(commands) if per_command[f"r{n}"] == 1)
    lost = sum(1 for n in range(commands) if per_command[f"r{n}"] == 0)
    duplicated = sum(1 for n in range(commands) if per_command[f"r{n}"] > 1)
    ms = sorted(a * 1000 for a in acks)
    p99 = ms[max(0, round(0.99 * len(ms)) - 1)]
    print(f"slash commands: {commands}, concurrency {concurrency}, HTTP mode on loopback")
    print(f"acks: {dict(statuses)} (HTTP status: count)")
    print(
        f"ack latency ms: p50 {statistics.median(ms):.1f}  p99 {p99:.1f}  max {ms[-1]:.1f}"
        f"  (Slack's limit: 3000)"
    )
    print(f"replies posted exactly once: {once}/{commands}")
    print(f"lost: {lost}  duplicated: {duplicated}")
    print(f"wall time: {elapsed:.2f} s ({commands / elapsed:.0f} commands/s)")
    return 0 if lost == 0 and duplicated == 0 and statuses[200] == commands else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    return asyncio.run(run(args.commands, args.concurrency))


if __name__ == "__main__":
    sys.exit(main())
