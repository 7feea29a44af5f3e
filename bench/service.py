"""`kubecon-bot run` as deployed, with Slack (HTTP mode) and Discord both connected to local
fakes on 127.0.0.1: start-up to ready, resident memory idle and after a load run, the /metrics
scrape, and shutdown time. Nothing leaves this machine.

    .venv/bin/python bench/service.py [--slack 300] [--discord 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from tests.discord.fakediscord import BOT_ID, TOKEN, FakeDiscord, user
from tests.slack.fakeslack import FakeSlack, form, sign, slash_command

SLACK_TOKEN = "xoxb-bench-0000-token"
SECRET = "bench-signing-secret"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def main(slack_n: int, discord_n: int) -> None:
    slack, discord_ = await FakeSlack().start(), await FakeDiscord().start()
    port = free_port()
    tmp = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        SLACK_BOT_TOKEN=SLACK_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_MODE="http",
        SLACK_API_URL=slack.api_url,
        PORT=str(port),
        HOST="127.0.0.1",
        DISCORD_TOKEN=TOKEN,
        DISCORD_API_URL=discord_.api_url,
        DATABASE_URL=f"sqlite:///{tmp}/bot.sqlite3",
        LOG_LEVEL="WARNING",
    )
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"{base}/readyz") as resp:
                    if resp.status == 200:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.01)
        ready_s = time.perf_counter() - started
        idle = rss_mb(proc.pid)

        async def command(i: int) -> None:
            body = form(
                slash_command(
                    "what about SBOMs?",
                    slack.response_url(f"r{i}"),
                    n=i,
                    user=f"U{i:08d}",
                    channel=f"C{i % 20:08d}",
                )
            )
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SECRET)}
            async with http.post(f"{base}/slack/events", data=body, headers=headers) as resp:
                await resp.read()

        sem = asyncio.Semaphore(50)

        async def limited(i: int) -> None:
            async with sem:
                await command(i)

        load_started = time.perf_counter()
        await asyncio.gather(*(limited(i) for i in range(slack_n)))
        for i in range(discord_n):
            await discord_.dispatch(
                "MESSAGE_CREATE",
                discord_.message_create(
                    f"<@{BOT_ID}> question {i % 10 + 1}", author=user(f"{10**18 + i}", f"u{i}")
                ),
            )
        await slack.wait_for(lambda: len(slack.responses()) >= slack_n, timeout=60)
        await discord_.wait_for(lambda: len(discord_.messages()) >= discord_n, timeout=60)
        load_s = time.perf_counter() - load_started
        loaded = rss_mb(proc.pid)
        async with http.get(f"{base}/metrics") as resp:
            metrics = await resp.text()

    stop_started = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    code = await proc.wait()
    stop_s = time.perf_counter() - stop_started
    await slack.stop()
    await discord_.stop()

    figures = {
        "start-up to /readyz 200": f"{ready_s:6.2f} s",
        "resident memory, idle": f"{idle:6.1f} MB   (target < 120 MB)",
        "load": f"{slack_n} slash commands (50 at a time) + {discord_n} mentions in {load_s:.2f} s",
        "replies": f"slack {len(slack.responses())}/{slack_n}, "
        f"discord {len(discord_.messages())}/{discord_n}",
        "resident memory, loaded": f"{loaded:6.1f} MB",
        "SIGTERM to exit": f"{stop_s:6.2f} s (exit {code})",
    }
    print("kubecon-bot run: Slack HTTP mode + Discord gateway, local fakes on 127.0.0.1")
    for label, value in figures.items():
        print(f"{label:<26}{value}")
    print("\n/metrics after the load (kubecon_bot_* samples):")
    for line in metrics.splitlines():
        if line.startswith("kubecon_bot_") and "_bucket" not in line and "_created" not in line:
            print(f"  {line}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--slack", type=int, default=300)
    ap.add_argument("--discord", type=int, default=100)
    a = ap.parse_args()
    asyncio.run(main(a.slack, a.discord))
