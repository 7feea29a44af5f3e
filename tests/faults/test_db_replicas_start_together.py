"""Two real `kubecon-bot run` processes started at the same instant on one PostgreSQL, with the
same DAILY_SUBSCRIPTIONS: both start and become ready, neither logs an error (the insert race
on the configured subscriptions used to abort one's transaction: InFailedSqlTransaction, exit
1), and the channel whose takeaway is due gets exactly one post that day, from one of them."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from bot.core.clock import utcnow
from bot.daily.store import CONFIG, SENT, Store
from bot.daily.timing import When, local_date
from tests.faults.conftest import midday_zone
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, free_port
from tests.slack.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
DUE = "CDUE0001"  # subscribed yesterday at 00:00 in ZONE: due all of its today
ZONE = midday_zone()
FRESH = [f"CNEW{i:04d}" for i in range(150)]  # first written by the two replicas, racing


async def start(settings: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update({"HOST": "127.0.0.1", "LOG_FORMAT": "json", **settings})
    return await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "run"),
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def ready(port: int, proc: asyncio.subprocess.Process, deadline: float) -> None:
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            assert proc.returncode is None, "kubecon-bot run exited"
            try:
                async with session.get(f"http://127.0.0.1:{port}/readyz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("never ready")


@pytest.mark.timeout(110)
async def test_two_replicas_started_together_both_run_and_post_once(
    pg_url: str, tmp_path: Path
) -> None:
    seed = Store.open(pg_url)
    yesterday = utcnow() - dt.timedelta(days=1)
    seed.subscribe("slack", DUE, When(dt.time(0, 0), ZONE), now=yesterday, source=CONFIG)
    seed.close()
    entries = [f"slack:{c} 00:00 {ZONE}" for c in [DUE, *FRESH]]
    fake = await FakeSlack().start()
    ports = [free_port(), free_port()]
    procs: list[asyncio.subprocess.Process] = []
    try:
        for n, port in enumerate(ports):  # back to back: the same instant, as far as they know
            (tmp_path / str(n)).mkdir()
            settings = {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_MODE": "http",
                "SLACK_API_URL": fake.api_url,
                "PORT": str(port),
                "DATABASE_URL": pg_url,
                # the same subscriptions; listed in opposite orders, so the two start-ups
                # write the same rows at the same moment instead of one trailing the other
                "DAILY_SUBSCRIPTIONS": "; ".join(entries if n == 0 else entries[::-1]),
            }
            procs.append(await start(settings, tmp_path / str(n)))
        deadline = time.monotonic() + 60
        await asyncio.gather(
            *(ready(p, proc, deadline) for p, proc in zip(ports, procs, strict=True))
        )

        store = await asyncio.to_thread(Store.open, pg_url)
        try:
            while True:  # until the due channel's day is recorded as sent
                sub = await asyncio.to_thread(store.get, "slack", DUE)
                day = local_date(utcnow(), ZONE)
                done = sub and await asyncio.to_thread(store.delivery, sub.id, day)
                if done and done.status == SENT:
                    break
                assert time.monotonic() < deadline, "the due takeaway was never recorded"
                await asyncio.sleep(0.2)
            subs = await asyncio.to_thread(store.subscriptions)
        finally:
            await asyncio.to_thread(store.close)

        logs = []
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 20)
            logs.append(err.decode())
            assert proc.returncode == 0, logs[-1][-3000:]
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        await fake.stop()

    for log in logs:
        assert '"level": "ERROR"' not in log and "Traceback" not in log, log[-3000:]
    assert sorted(s.channel_id for s in subs) == sorted([DUE, *FRESH])
    posts = Counter(p["channel"] for p in fake.sent("chat.postMessage"))
    assert posts[DUE] == 1  # exactly one post in that channel that day
    holder_pid = int(done.holder.split(":")[1])
    assert holder_pid in {proc.pid for proc in procs}  # posted by one of the two replicas
