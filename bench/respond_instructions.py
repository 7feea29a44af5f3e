"""What answering one message costs, in CPU instructions: a figure that does not move with the
machine's load (a script, not a test).

    .venv/bin/python bench/respond_instructions.py [--before DIR]

`Responder.respond` over every distinct question of the labelled sets, once each, in a fresh
process (cold caches, as a newly started bot meets its first questions), counted by valgrind's
callgrind (Debian's `valgrind`): the instructions of a process that answers them all, minus
those of the same process that answers none, divided by the questions. `--before DIR` counts a
checkout of other code (a `git worktree`) the same way, for a ratio.

Why: on this machine kind the same slash-command benchmark gives 1.2× one hour and 1.6× the
next (bench/RESULTS.md), so a change of a few per cent in the answering path cannot be seen in
seconds. Instruction counts repeat to within ~1 % (hash seed fixed); they do not weigh cache
misses, so they complement `bench/slack_e2e.py`, they do not replace it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = [*sorted((ROOT / "bench" / "eval").glob("*.yaml")), ROOT.parent / "shared/eval/dev.yaml"]

# runs in the measured process: the bot's modules come from PYTHONPATH (the tree measured)
CHILD = """
import sys, yaml
from bot.core.content import load_content
from bot.core.english import english_words
from bot.core.responder import Responder
english_words()  # `kubecon-bot run` reads it while it starts
seen = {}
for path in sys.argv[2:]:
    for case in yaml.safe_load(open(path, encoding="utf-8"))["cases"]:
        seen.setdefault(str(case["q"]), None)
responder = Responder(load_content())
responder.respond("warm up the imports")
if sys.argv[1] == "answer":
    for question in seen:
        responder.respond(question)
print(len(seen))
"""
COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(tree: Path, answer: bool) -> tuple[int, int]:
    """(instructions, questions) of one process answering every question, or none."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={Path(tmp) / 'out'}",
                sys.executable,
                "-c",
                CHILD,
                "answer" if answer else "none",
                *map(str, SETS),
            ],
            env=env,
            cwd=tree,
            capture_output=True,
            text=True,
            check=True,
        )
    found = COLLECTED.search(done.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1)), int(done.stdout.split()[-1])


def per_respond(tree: Path) -> float:
    answered, questions = instructions(tree, answer=True)
    idle, _ = instructions(tree, answer=False)
    return (answered - idle) / questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare against")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    now = per_respond(ROOT)
    print(f"respond, cold, {len(SETS)} labelled sets' questions: {now:,.0f} instructions each")
    if args.before:
        before = per_respond(args.before.resolve())
        print(f"before ({args.before}): {before:,.0f} instructions each; ratio {now / before:.3f}")


if __name__ == "__main__":
    main()
