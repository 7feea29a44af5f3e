"""Cold start of `kubecon-bot ask`, beside `python -c "import rapidfuzz, yaml"` in the same run.

    python bench/cold_start.py                       # 40 rounds
    python bench/cold_start.py --before /tmp/old     # also the same command over another tree
    python bench/cold_start.py --importtime 9        # where the time goes (python -X importtime)

Every run is a fresh process. Each round runs every command once, in a shuffled order, so a
busy moment of the machine falls on all of them alike; one untimed run of each first writes
the bytecode (PYTHONDONTWRITEBYTECODE is dropped: an installed bot has its .pyc files). Wall
time is what a person waits; CPU time (the child's user+system, from getrusage) moves less when
the machine is shared. `--before DIR` runs the same console script
with PYTHONPATH=DIR, so DIR's `bot` package (a git worktree of an older commit) is imported
instead of this one. Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

QUESTION = "what about SBOMs"
BASELINE = "import rapidfuzz, yaml"
HEAVY = ("pydantic", "pydantic_core", "sqlalchemy", "alembic", "slack_bolt", "discord", "aiohttp")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one run of `cmd` to its exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def commands(args: argparse.Namespace) -> dict[str, tuple[list[str], dict[str, str]]]:
    # bytecode is written (the first, untimed run compiles it), as an installed bot has it
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    }
    exe = str(Path(sys.executable).with_name("kubecon-bot"))
    ask = [exe, "ask", *args.question]
    out = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        f'python -c "{BASELINE}"': ([sys.executable, "-c", BASELINE], env),
        "kubecon-bot ask": (ask, env),
    }
    if args.before:
        out[f"kubecon-bot ask ({args.before})"] = (ask, {**env, "PYTHONPATH": args.before})
    return out


def measure(args: argparse.Namespace) -> None:
    cmds = commands(args)
    for cmd, env in cmds.values():  # untimed: bytecode compiled, files in the page cache
        timed(cmd, env)
    wall: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    rng = random.Random(args.seed)
    names = list(cmds)
    for _ in range(args.runs):
        rng.shuffle(names)
        for name in names:
            w, c = timed(*cmds[name])
            wall[name].append(w)
            cpu[name].append(c)
    base = f'python -c "{BASELINE}"'
    print(
        f"cold start, {args.runs} interleaved rounds, python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.1f} at the end; ms"
    )
    print(f"{'':44} {'wall p50':>8} {'p90':>7} {'min':>7}   {'cpu p50':>7} {'p90':>7}   ratio")
    for name in cmds:
        w, c = wall[name], cpu[name]
        ratio = statistics.median(w) / statistics.median(wall[base])
        cpu_ratio = statistics.median(c) / statistics.median(cpu[base])
        print(
            f"{name:44} {statistics.median(w):8.1f} {percentile(w, 90):7.1f} {min(w):7.1f}   "
            f"{statistics.median(c):7.1f} {percentile(c, 90):7.1f}   "
            f"{ratio:.2f}× wall, {cpu_ratio:.2f}× cpu"
        )


def importtime(args: argparse.Namespace, name: str) -> None:
    """Self time per top-level package and the heaviest imports (median over the runs)."""
    cmd, env = commands(args)[name]
    timed(cmd, env)  # bytecode written
    env = {**env, "PYTHONPROFILEIMPORTTIME": "1"}
    by_package: dict[str, list[float]] = defaultdict(list)
    cumulative: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.importtime):
        result = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
        totals: dict[str, float] = defaultdict(float)
        for line in result.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, cumulative_us, module = line.removeprefix("import time:").split("|")
            module = module.strip()
            totals[module.split(".")[0]] += int(self_us) / 1000
            cumulative[module].append(int(cumulative_us) / 1000)
        for package, ms in totals.items():
            by_package[package].append(ms)
    print(f"\n{name} under -X importtime, median of {args.importtime} runs")
    heavy = [p for p in HEAVY if p in by_package]
    print(f"imported of {', '.join(HEAVY)}: {', '.join(heavy) or 'none'}")
    total = sum(statistics.median(v) for v in by_package.values())
    print(f"all imports, self time summed: {total:.1f} ms\nself time by top-level package, ms:")
    for package, values in sorted(by_package.items(), key=lambda kv: -statistics.median(kv[1]))[
        : args.top
    ]:
        print(f"  {package:32} {statistics.median(values):7.1f}")
    print("heaviest imports (cumulative, ms):")
    for module, values in sorted(cumulative.items(), key=lambda kv: -statistics.median(kv[1]))[
        : args.top
    ]:
        print(f"  {module:48} {statistics.median(values):7.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=40, help="interleaved rounds (40)")
    ap.add_argument("--before", metavar="DIR", help="also run ask with PYTHONPATH=DIR")
    ap.add_argument("--importtime", type=int, default=0, metavar="N", help="N profiled runs")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("question", nargs="*", default=[QUESTION])
    args = ap.parse_args()
    if args.runs:
        measure(args)
    if args.importtime:
        for name in commands(args):
            if name.startswith("kubecon-bot"):
                importtime(args, name)


if __name__ == "__main__":
    main()
