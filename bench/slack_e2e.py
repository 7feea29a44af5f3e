"""What a Slack user waits for, beside a bare slack-bolt app measured in the same run.

Both apps run as their own processes in HTTP mode on loopback: `kubecon-bot run` and
`../shared/bench/bare_bolt_app.py` (verifies the signature, acks, posts a constant reply).
A fake Slack in this process receives the replies at their response URLs; a reply carried in
the acknowledgement (the bot's: Slack shows it as the reply) arrives with the acknowledgement.
Each round sends N signed slash commands, C at a time, every one from a distinct user, in a
distinct channel, with a distinct question (drawn from the labelled sets in bench/eval and
../shared/eval), so no reply is a cooldown pointer and no answer comes from a cache of the
previous command.

Printed per app (median over interleaved rounds):
- reply latency: POST sent → the reply arriving, at response_url or in the acknowledgement
  (what the user waits for);
- ack latency: POST sent → HTTP 200 (what Slack waits for);
- CPU per command: the app process's CPU time over the round (the scheduler's nanosecond
  counts of its threads), divided by N.

    .venv/bin/python bench/slack_e2e.py [--commands 400] [--concurrency 40] [--rounds 3]
                                        [--rate R] [--before DIR]

By default the load is a closed loop: C commands in flight, the next sent when one is
acknowledged, so an app that acknowledges sooner is sent more: cmd/s says how many each was
sent (and served) a second, and latencies compare only at equal rates. The bare app's ack
leaves from bolt's loop that polls every 10 ms, after its reply; the bot's ack is its reply
and leaves at once, so the bot is sent commands as fast as it answers them and its reply p50
is C times its time per command (bench/RESULTS.md has the arithmetic). --rate R is an open
loop instead: commands sent at R a second, on a schedule, whatever the app does (as Slack
sends what its users type), so the p50 is what a user waits for at that load; the line also
gives how late the sender itself fell behind.

--before DIR also runs the bot from another checkout (`git worktree add DIR REV`) in the same
rounds, interleaved, so a change is measured against the code before it on the same machine
at the same moment: run-to-run noise on a shared machine is larger than most changes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import yaml
from aiohttp import web

from tests.slack.fakeslack import FakeSlack, form, sign, slash_command

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-0000"
BARE_APP = ROOT.parent / "shared" / "bench" / "bare_bolt_app.py"
EVAL_SETS = [
    *sorted((ROOT / "bench" / "eval").glob("*.yaml")),
    ROOT.parent / "shared/eval/dev.yaml",
]
TICK = os.sysconf("SC_CLK_TCK")


class TimedSlack(FakeSlack):
    """The fake Slack, also noting when each response URL was first posted to."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}

    async def _response(self, request: web.Request) -> web.Response:
        self.arrived.setdefault(request.match_info["rid"], time.perf_counter())
        return await super()._response(request)


def questions() -> list[str]:
    """Every distinct question of the labelled sets, in a fixed order."""
    seen: dict[str, None] = {}
    for path in EVAL_SETS:
        if path.exists():
            for case in yaml.safe_load(path.read_text())["cases"]:
                seen.setdefault(str(case["q"]), None)
    return list(seen)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far: the scheduler's nanosecond count summed over its threads
    (/proc/PID/task/*/schedstat), where the kernel offers it; else utime + stime in clock ticks
    (10 ms each: 400 commands at 0.3 ms are only 12 ticks, too coarse to compare two apps)."""
    try:
        return (
            sum(
                int((task / "schedstat").read_text().split()[0])
                for task in Path(f"/proc/{pid}/task").iterdir()
            )
            / 1e9
        )
    except (OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


@dataclass
class Round:
    reply_ms: list[float]
    ack_ms: list[float]
    cpu_ms_per_command: float
    lost: int
    late_ms: float = 0.0  # open loop: how far behind its schedule the sender was (median)
    per_second: float = 0.0  # commands acknowledged a second over the round


async def start_app(
    name: str,
    fake: FakeSlack,
    tmp: Path,
    before: Path | None = None,
    *,
    wrap: tuple[str, ...] = (),
    ready_within: float = 30,
) -> tuple[asyncio.subprocess.Process, int]:
    """Start one app ("bare bolt app", "kubecon-bot" or "before") and wait for its /readyz.
    `wrap` runs it under another program (valgrind: bench/slack_instructions.py), whose pid
    is the app's."""
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "DATABASE"))
    }
    env.update(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        SLACK_MODE="http",
        PORT=str(port),
        HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        DATABASE_URL=f"sqlite:///{tmp / (name + '.sqlite3')}",
    )
    if name == "before" and before is not None:
        env["PYTHONPATH"] = str(before)
    argv = [*wrap] + (
        [sys.executable, "-m", "bot", "run"]
        if name in ("kubecon-bot", "before")
        else [
            sys.executable,
            str(BARE_APP),
        ]
    )
    proc = await asyncio.create_subprocess_exec(
        *argv, cwd=tmp, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    async with aiohttp.ClientSession() as session:
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                raise SystemExit(f"{name} exited: {(await proc.stderr.read()).decode()[-2000:]}")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"http://127.0.0.1:{port}/readyz") as resp:
                    if resp.status == 200:
                        return proc, port
            await asyncio.sleep(0.1)
    raise SystemExit(f"{name} never ready")


async def load(
    fake: TimedSlack,
    proc: asyncio.subprocess.Process,
    port: int,
    batch: list[tuple[int, str]],
    concurrency: int,
    *,
    rate: float | None = None,
) -> Round:
    url = f"http://127.0.0.1:{port}/slack/events"
    sent: dict[str, float] = {}
    acks: list[float] = []
    gate = asyncio.Semaphore(concurrency if rate is None else len(batch))
    late: list[float] = []
    start = time.perf_counter() + 0.05

    async def one(session: aiohttp.ClientSession, n: int, text: str) -> None:
        rid = f"r{n}"
        fields = slash_command(
            text, fake.response_url(rid), user=f"U{n:08d}", channel=f"C{n:08d}", n=n
        )
        body = form(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SECRET)}
        if rate is not None:  # open loop: on schedule, whatever the app has answered
            at = start + n_in_round[n] / rate
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            late.append(max(0.0, time.perf_counter() - at) * 1000)
        async with gate:
            sent[rid] = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as resp:
                if await resp.read():  # a reply in the acknowledgement arrives with it
                    fake.arrived.setdefault(rid, time.perf_counter())
                acks.append(time.perf_counter() - sent[rid])

    n_in_round = {n: k for k, (n, _) in enumerate(batch)}
    cpu_before = cpu_seconds(proc.pid)
    limit = concurrency if rate is None else 0  # 0: as many connections as the schedule needs
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit)) as s:
        began = time.perf_counter()
        await asyncio.gather(*(one(s, n, text) for n, text in batch))
        took = time.perf_counter() - began
    with contextlib.suppress(AssertionError):
        await fake.wait_for(lambda: all(r in fake.arrived for r in sent), timeout=30)
    cpu = cpu_seconds(proc.pid) - cpu_before
    replies = [(fake.arrived[r] - t) * 1000 for r, t in sent.items() if r in fake.arrived]
    return Round(
        reply_ms=replies,
        ack_ms=[a * 1000 for a in acks],
        cpu_ms_per_command=cpu * 1000 / len(batch),
        lost=len(sent) - len(replies),
        late_ms=statistics.median(late) if late else 0.0,
        per_second=len(batch) / took,
    )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(p * len(ordered)) - 1)]


async def run(
    commands: int, concurrency: int, rounds: int, before: Path | None, rate: float | None
) -> None:
    pool = questions()
    if len(pool) < commands:
        print(f"note: {len(pool)} distinct questions; they repeat within each round")
    elif len(pool) < commands * rounds * 2:
        print(f"note: {len(pool)} distinct questions; questions repeat across rounds, never in one")
    fake = await TimedSlack().start()
    results: dict[str, list[Round]] = {"bare bolt app": [], "kubecon-bot": []}
    if before is not None:
        results["before"] = []
    counter = 0
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for name, runs in results.items():
                proc, port = await start_app(name, fake, Path(tmp), before)
                try:
                    batch = []
                    for _ in range(commands):
                        batch.append((counter, pool[counter % len(pool)]))
                        counter += 1
                    runs.append(await load(fake, proc, port, batch, concurrency, rate=rate))
                finally:
                    proc.terminate()
                    await proc.wait()
            print(f"round {r + 1}/{rounds} done", file=sys.stderr)
    await fake.stop()

    shape = f"{concurrency} concurrent" if rate is None else f"sent at {rate:g} a second"
    print(f"{commands} slash commands per round, {shape}, {rounds} rounds;")
    print("distinct users, channels and questions; each app in its own process, HTTP mode\n")
    print(
        f"{'':16}{'reply p50':>11}{'reply p99':>11}{'ack p50':>9}{'CPU/cmd':>10}{'lost':>6}"
        f"{'cmd/s':>8}" + ("" if rate is None else f"{'sender late p50':>17}")
    )
    summary = {}
    for name, runs in results.items():
        p50 = statistics.median(statistics.median(x.reply_ms) for x in runs)
        p99 = statistics.median(pct(x.reply_ms, 0.99) for x in runs)
        ack = statistics.median(statistics.median(x.ack_ms) for x in runs)
        cpu = statistics.median(x.cpu_ms_per_command for x in runs)
        lost = sum(x.lost for x in runs)
        summary[name] = (p50, cpu)
        late = statistics.median(x.late_ms for x in runs)
        served = statistics.median(x.per_second for x in runs)
        print(
            f"{name:16}{p50:9.1f}ms{p99:9.1f}ms{ack:7.1f}ms{cpu:8.2f}ms{lost:6d}{served:8.0f}"
            + ("" if rate is None else f"{late:15.2f}ms")
        )
    bare_p50, bare_cpu = summary.pop("bare bolt app")
    print()
    for name, (p50, cpu) in summary.items():
        print(
            f"ratio {name} / bare: reply p50 {p50 / bare_p50:.2f}x, "
            f"CPU per command {cpu / bare_cpu:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, help="open loop: commands a second, sent on schedule")
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare against")
    args = parser.parse_args()
    if args.before is not None and not (args.before / "bot").is_dir():
        parser.error(f"--before {args.before}: no bot/ package there")
    if args.rate is not None and args.rate <= 0:
        parser.error("--rate must be above 0")
    before = args.before.resolve() if args.before is not None else None
    asyncio.run(run(args.commands, args.concurrency, args.rounds, before, args.rate))


if __name__ == "__main__":
    main()
