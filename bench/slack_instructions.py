"""CPU per Slack slash command in instructions, the bot beside the bare bolt app: issue 11's CPU
ratio as a figure that does not move with the machine's load (a script, not a test).

    .venv/bin/python bench/slack_instructions.py [--commands 300] [--concurrency 10]
                                                 [--before DIR]

Each app (`kubecon-bot run` and `../shared/bench/bare_bolt_app.py`, HTTP mode, as in
bench/slack_e2e.py) runs under valgrind's callgrind (Debian's `valgrind`). Once it is ready
and has answered a few warm-up commands, its counters are zeroed (`callgrind_control -z`), it
is sent N signed slash commands (distinct users, channels and questions from the labelled
sets), and when every reply has arrived at its response URL the counters are dumped
(`callgrind_control -d`): the instructions of the whole process, every thread (the usage
journal's writer too), for those N commands, divided by N. `--before DIR` measures a checkout
of other code (`git worktree add DIR REV`) the same way.

Why: on this machine kind the same CPU-time benchmark gives 1.2x one hour and 1.7x the next
(bench/RESULTS.md), larger than any one change. Instruction counts repeat to about a per cent
(hash seed fixed) on a quiet machine; under heavy load the bot's count rises (it does work per
second of wall time: bolt polls every 10 ms for each request's ack, timers), so run it alone.
What they leave out: the kernel's share (socket reads and writes, the same
kind of work in both apps), cache misses, and waiting. So they complement `slack_e2e.py`'s CPU
time, they do not replace it. valgrind runs a program ~50x slower: expect a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
from slack_e2e import TimedSlack, load, questions, start_app

WARM_UP = 20
SUMMARY = re.compile(r"^(?:summary|totals): (\d+)", re.MULTILINE)


async def control(probe: str, *args: str) -> None:
    """Run `callgrind_control ARGS`. valgrind reads such commands only while the program runs,
    and an app waiting for requests does not: it is kept awake with `probe` (a cheap GET)."""
    proc = await asyncio.create_subprocess_exec(
        "callgrind_control",
        *args,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        # vgdb names its pipes after $HOST, which the apps are given (their listen address)
        env={**os.environ, "HOST": "127.0.0.1"},
    )
    async with aiohttp.ClientSession() as session:
        while proc.returncode is None:
            async with session.get(probe) as resp:
                await resp.read()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(proc.wait()), 0.05)
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"callgrind_control {' '.join(args)} failed: {err.decode()[-500:]}")


async def measure(
    name: str,
    fake: TimedSlack,
    pool: list[str],
    *,
    commands: int,
    concurrency: int,
    before: Path | None,
) -> float:
    """Instructions per command of one app, warm (imports done, first requests served)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        wrap = ("valgrind", "--tool=callgrind", f"--callgrind-out-file={out}")
        proc, port = await start_app(name, fake, Path(tmp), before, wrap=wrap, ready_within=600)
        try:
            warm = list(enumerate(pool[:WARM_UP], start=10**6))
            await load(fake, proc, port, warm, concurrency)
            # liveness: the bot's /readyz also asks the database; the bare app has only /readyz
            probe = f"http://127.0.0.1:{port}/{'readyz' if name == 'bare bolt app' else 'healthz'}"
            await control(probe, "-z", str(proc.pid))
            batch = [(n, pool[(WARM_UP + n) % len(pool)]) for n in range(commands)]
            done = await load(fake, proc, port, batch, concurrency)
            if done.lost:
                raise SystemExit(f"{name}: {done.lost} of {commands} replies never arrived")
            await control(probe, "-d", str(proc.pid))
            dumps = sorted(Path(tmp).glob("callgrind.out*"), key=lambda p: p.stat().st_mtime)
            found = SUMMARY.search(dumps[-1].read_text(errors="replace")) if dumps else None
            if found is None:
                raise SystemExit(f"{name}: callgrind wrote no totals in {tmp}")
            return int(found.group(1)) / commands
        finally:
            proc.terminate()
            await proc.wait()


async def run(commands: int, concurrency: int, before: Path | None) -> None:
    os.environ["PYTHONHASHSEED"] = "0"  # the same dict and set orders in every run
    pool = questions()
    fake = await TimedSlack().start()
    names = ["bare bolt app", "kubecon-bot", *(["before"] if before else [])]
    figures = {}
    try:
        for name in names:
            figures[name] = await measure(
                name, fake, pool, commands=commands, concurrency=concurrency, before=before
            )
            print(f"{name} done", file=sys.stderr)
    finally:
        await fake.stop()
    bare = figures["bare bolt app"]
    print(f"{commands} slash commands, {concurrency} concurrent, HTTP mode, under callgrind\n")
    print(f"{'':16}{'instructions / command':>24}{'vs bare':>10}")
    for name, per in figures.items():
        print(f"{name:16}{per:24,.0f}{per / bare:9.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare against")
    args = parser.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        parser.error("needs valgrind (Debian: apt-get install valgrind)")
    if args.before is not None and not (args.before / "bot").is_dir():
        parser.error(f"--before {args.before}: no bot/ package there")
    before = args.before.resolve() if args.before is not None else None
    asyncio.run(run(args.commands, args.concurrency, before))


if __name__ == "__main__":
    main()
