"""Start-up to ready, resident memory and shutdown time of `kubecon-bot run`.

    python bench/startup.py              # `kubecon-bot run` with this environment's settings
    python bench/startup.py --stand-in   # the same process, but an idle stand-in service
                                         # instead of Slack/Discord (no tokens, no network)

Each run starts a fresh process, polls GET /readyz on 127.0.0.1 every 5 ms until it answers
200, reads VmRSS from /proc, scrapes /metrics, sends SIGTERM and waits for the exit. Prints
the median, min and max over --runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

STAND_IN = """
import dataclasses

import bot.serve.runner as runner
from bot.serve.compose import compose

class Idle:
    name = "stand-in"
    ready = False
    async def start(self):
        self.ready = True
    async def stop(self):
        self.ready = False

def stand_in(*args):
    return dataclasses.replace(compose(*args), stages=[[Idle()]], checks={})

runner.compose = stand_in
raise SystemExit(runner.main())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return None


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_run(stand_in: bool, show_metrics: bool) -> tuple[float, float, float, int]:
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "HEALTH_PORT": str(port)}
    env.setdefault("LOG_LEVEL", "WARNING")
    if stand_in:
        env.setdefault("DISCORD_TOKEN", "stand-in")
        cmd = [sys.executable, "-c", STAND_IN]
    else:
        cmd = [sys.executable, "-m", "bot", "run"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    try:
        while status(f"http://127.0.0.1:{port}/readyz") != 200:
            if proc.poll() is not None:
                sys.exit(f"kubecon-bot run exited {proc.returncode}:\n{proc.stderr.read()}")  # type: ignore[union-attr]
            time.sleep(0.005)
        ready = time.perf_counter() - started
        time.sleep(0.2)  # let start-up garbage settle before reading memory
        rss = rss_mb(proc.pid)
        if show_metrics:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as resp:
                lines = resp.read().decode().splitlines()
            print(
                "\n".join(
                    line
                    for line in lines
                    if line.startswith(("kubecon_bot_content", "process_resident"))
                )
            )
        stopping = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
        return ready, rss, time.perf_counter() - stopping, code
    finally:
        if proc.poll() is None:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stand-in", action="store_true")
    args = parser.parse_args()
    results = [one_run(args.stand_in, show_metrics=i == 0) for i in range(args.runs)]
    what = "stand-in service" if args.stand_in else "configured services"
    print(f"kubecon-bot run ({what}), {args.runs} runs, python {sys.version.split()[0]}")
    for i, (label, unit) in enumerate(
        (
            ("start-up to /readyz 200", "s"),
            ("resident memory (VmRSS)", "MB"),
            ("SIGTERM to exit", "s"),
        )
    ):
        values = [r[i] for r in results]
        print(
            f"  {label:<24} median {statistics.median(values):7.3f} {unit}  "
            f"(min {min(values):.3f}, max {max(values):.3f})"
        )
    print(f"  exit codes               {sorted({r[3] for r in results})}")


if __name__ == "__main__":
    main()
