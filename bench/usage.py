"""What learning from use costs (a script, not a test).

    .venv/bin/python bench/usage.py [--questions 100000] [--database URL]

1. The front door with votes and the usage journal on, against the same front door without
   (same run, same messages): the reply path only queues a record.
2. The journal's write rate into a real database (batches of 200).
3. `kubecon-bot report` over N recorded questions (10% unanswered, in a few hundred distinct
   wordings): reading the rows, against building the report (grouping included).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bot.core.app import BotApp, Incoming
from bot.core.content import load_content
from bot.core.pacing import RateLimit
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.usage import report
from bot.usage.journal import QUEUE_MAX, Journal
from bot.usage.log import UsageLog
from bot.usage.records import Asked

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def messages() -> list[str]:
    cases = yaml.safe_load((ROOT / "bench/eval/paraphrases.yaml").read_text())["cases"]
    return [c["q"] for c in cases]


async def front_door(responder: Responder, usage: UsageLog, texts: list[str], rounds: int) -> None:
    unlimited = RateLimit(0)  # off

    async def per_message(app: BotApp) -> float:
        start = time.perf_counter()
        for n in range(rounds):
            for i, text in enumerate(texts):
                await app.handle(Incoming("slack", text, channel_id=f"C{n}-{i}", user_id="U1"))
        return (time.perf_counter() - start) / (rounds * len(texts))

    plain = BotApp(responder, rate_limit=unlimited)
    recording = BotApp(responder, rate_limit=unlimited, usage=usage)
    journal = Journal(usage)
    recording.observers.append(journal.observe)
    await journal.start()
    base, with_usage = [], []
    for _ in range(5):  # interleaved, so machine noise hits both alike
        base.append(await per_message(plain))
        with_usage.append(await per_message(recording))
        await journal.flush()
    await journal.stop()
    b, u = statistics.median(base), statistics.median(with_usage)
    print("front door, per message (median of 5 interleaved runs):")
    print(f"  without usage            : {b * 1e6:8.1f} µs")
    print(f"  with votes + journal     : {u * 1e6:8.1f} µs  ({u / b:.2f}× the baseline)")


async def journal_rate(usage: UsageLog, count: int) -> None:
    journal = Journal(usage)
    row = Asked(at=NOW, platform="slack", outcome="answered", entry_id="openai-logging-fix")
    await journal.start()
    start = time.perf_counter()
    for _ in range(count):
        journal.queue.put_nowait(row)
    await journal.flush()
    took = time.perf_counter() - start
    await journal.stop()
    print(f"journal: {count} records written in {took:.2f} s ({count / took:,.0f} records/s)")


def report_time(responder: Responder, usage: UsageLog, questions: int) -> None:
    rng = random.Random(7)
    ids = [e.id for e in responder.content.entries]
    topics = [
        "upgrade",
        "cluster",
        "pricing",
        "nutanix",
        "slides",
        "transcript",
        "helm",
        "gpu",
        "ingress",
        "backup",
        "etcd",
        "operator",
        "istio",
        "cost",
        "license",
        "certificate",
    ]
    wordings = [" ".join(rng.sample(topics, 3)) + f" {n % 7}" for n in range(400)]
    rows = []
    for n in range(questions):
        at = NOW - dt.timedelta(seconds=n)
        if n % 10 == 0:
            rows.append(
                Asked(at=at, platform="slack", outcome="declined", text=rng.choice(wordings))
            )
        else:
            rows.append(
                Asked(at=at, platform="slack", outcome="answered", entry_id=rng.choice(ids))
            )
    for start in range(0, len(rows), 5000):
        usage.record(rows[start : start + 5000])
    since = NOW - dt.timedelta(days=30)
    started = time.perf_counter()
    asked, voted = usage.asked_since(since), usage.votes_since(since)
    read = time.perf_counter() - started
    started = time.perf_counter()
    built = report.build(asked, voted, responder, since=since, until=NOW)
    build = time.perf_counter() - started
    print(f"report over {len(asked):,} questions ({built.texts_recorded:,} unanswered texts):")
    print(f"  reading the rows         : {read:8.2f} s")
    print(f"  building the report      : {build:8.2f} s  ({build / read:.2f}× the read)")
    groups = report.group_similar([a.text for a in asked if a.text])
    print(f"  groups                   : {len(groups)} (largest {len(groups[0])})")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(args.database or f"sqlite:///{tmp}/usage.sqlite3")
        usage = UsageLog(store.engine)
        print(f"database: {store.engine.dialect.name}")
        responder = Responder(load_content())
        await front_door(responder, usage, messages(), rounds=5)
        await journal_rate(usage, QUEUE_MAX)  # a full queue
        report_time(responder, usage, args.questions)
        store.close()


if __name__ == "__main__":
    asyncio.run(main())
