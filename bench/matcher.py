"""Matcher benchmarks: accuracy against a plain rapidfuzz baseline on the real eval sets, latency
per message on the real content, and the scaling curve on synthetic contents of 10 to 50,000
entries queried with realistic misspellings, every figure beside a baseline from the same run.

Honest where it used to flatter: every timed query is distinct and timed once, with the caches
(the `stem` lru_cache, the matcher's typo memo) emptied before each synthetic query and before
each round of the real messages, so nothing is a cache hit; and the synthetic probes are
misspelt the way people misspell (transpositions, dropped and doubled letters, adjacent keys),
deterministically from a seeded RNG.

`--against FILE` times another version of bot/core/matcher.py (e.g. `git show
REV:bot/core/matcher.py > /tmp/old_matcher.py`) on the same contents and queries, query by query
in alternating order, so on a busy machine both meet the same load.

Run: .venv/bin/python bench/matcher.py [--eval ../shared/eval/dev.yaml] [--sizes 10,100,...]
     .venv/bin/python bench/matcher.py --outcomes FILE [--sets SET…]   # every verdict, to diff
Prints figures only; nothing here is asserted (benchmarks are not tests).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.core import text as text_module
from bot.core.content import Content, load_content, parse_content
from bot.core.evaluation import evaluate, load_cases
from bot.core.matcher import Matcher
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10, 100, 1_000, 10_000, 50_000)
EVAL_SETS = (
    ROOT.parent / "shared" / "eval" / "dev.yaml",
    *sorted((ROOT / "bench" / "eval").glob("*.yaml")),
)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def cold(matcher: Matcher) -> None:
    """Forget everything a previous query taught: the stems of words and their corrections
    (`_typos` in matchers before 2026-11-30, for --against)."""
    text_module.stem.cache_clear()
    for memo in ("_corrected", "_typos"):  # a benchmark of cold caches must empty the memo
        if hasattr(matcher, memo):
            getattr(matcher, memo).clear()
    if hasattr(matcher, "_last_query"):
        matcher._last_query = None


def load_matcher_class(path: str) -> type[Matcher]:
    """`Matcher` from another version of bot/core/matcher.py (it imports the rest of `bot`
    from this tree, so it must be a version that works with this tree's content and text)."""
    spec = importlib.util.spec_from_file_location("other_matcher", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.Matcher


# Wall time by default. `--clock cpu` times this thread's CPU instead: on a machine shared with
# other busy processes, wall time mostly measures the scheduler (a 0.5 ms query waits 50 ms for a
# core), while CPU time still says how much work a query is.
CLOCKS = {
    "wall": (time.perf_counter_ns, time.perf_counter),
    "cpu": (time.thread_time_ns, time.thread_time),
}


class Clock:
    """The clock every figure of this run is read from (`--clock`)."""

    def __init__(self, name: str = "wall") -> None:
        self.use(name)

    def use(self, name: str) -> None:
        self.name = name
        self.ns, self.s = CLOCKS[name]


clock = Clock()


def time_once(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    """Microseconds per call, each query once (they are all distinct)."""
    samples = []
    for q in queries:
        t0 = clock.ns()
        fn(q)
        samples.append((clock.ns() - t0) / 1000)
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
            ok += got == case.expect
        best = max(best, (ok / len(cases), cutoff))
    return best


# --- synthetic content and misspelt probes ------------------------------------------------------


def synthetic_yaml(n: int, seed: int = 7) -> str:
    """`n` entries of pseudo-words (14-word questions, 70-word answers, two product-like
    keywords each): a vocabulary of ~5,000 words plus two mostly unique names per entry."""
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


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {c: (r, i) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}


def adjacent_keys(c: str) -> str:
    """The keys next to `c` on a QWERTY keyboard (same row, and the rows above and below)."""
    if c not in _KEY_AT:
        return ""
    r, i = _KEY_AT[c]
    near = []
    for dr, di in ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0)):
        rr, ii = r + dr, i + di
        if 0 <= rr < 3 and 0 <= ii < len(_ROWS[rr]):
            near.append(_ROWS[rr][ii])
    return "".join(near)


def misspell(word: str, rng: random.Random) -> str:
    """One realistic typo, never on the first letter (people rarely get that one wrong)."""
    for _ in range(20):
        kind = rng.choice(("transpose", "drop", "double", "adjacent"))
        i = rng.randrange(1, len(word))
        if kind == "transpose" and i < len(word) - 1:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "drop":
            out = word[:i] + word[i + 1 :]
        elif kind == "double":
            out = word[:i] + word[i] + word[i:]
        elif kind == "adjacent" and adjacent_keys(word[i]):
            out = word[:i] + rng.choice(adjacent_keys(word[i])) + word[i + 1 :]
        else:
            continue
        if out != word:
            return out
    return word


def misspelt_probes(content: Content, count: int, seed: int = 1) -> list[str]:
    """`count` distinct messages: four words of an entry's question, half of them with the
    entry's product name too, and one or two of the longer words misspelt (two typos in a word
    of eight letters or more, now and then)."""
    rng = random.Random(seed)
    probes: dict[str, None] = {}
    while len(probes) < count:
        e = rng.choice(content.entries)
        chosen = rng.sample(e.question.rstrip("?").split(), 4)
        if rng.random() < 0.5:
            chosen.append(rng.choice(e.keywords))
        long_ones = [i for i, w in enumerate(chosen) if len(w) >= 5]
        for i in rng.sample(long_ones, min(len(long_ones), rng.choice((1, 1, 2)))):
            w = misspell(chosen[i], rng)
            if len(w) >= 8 and rng.random() < 0.3:
                w = misspell(w, rng)
            chosen[i] = w
        probes[" ".join(chosen)] = None
    return list(probes)


def build(text: str) -> tuple[Content, Matcher, float, float]:
    t0 = clock.s()
    content = parse_content(text, "synthetic.yaml")
    t1 = clock.s()
    matcher = Matcher(content)
    return content, matcher, t1 - t0, clock.s() - t1


def traced(make: Callable[[], object]) -> tuple[object, float]:
    """What `make()` returns, and the bytes it holds (tracemalloc), the `stem` cache emptied
    first so whatever is measured first does not pay for the rest."""
    text_module.stem.cache_clear()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    made = make()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return made, held


def typo_index(matcher: Matcher) -> tuple[float, float] | None:
    """Seconds and bytes to build the typo index alone, from the words it indexes (None for a
    matcher without one)."""
    words = getattr(matcher, "_targets", None)
    index_class = type(getattr(matcher, "_near", None))
    if words is None or index_class is type(None):
        return None
    t0 = clock.s()
    index_class(words)
    seconds = clock.s() - t0
    _, held = traced(lambda: index_class(words))
    return seconds, held


def time_queries(matchers: list[Matcher], queries: list[str], turn: int = 0) -> list[list[float]]:
    """Microseconds per query for each matcher, each query once, caches emptied before each;
    with two matchers, which goes first alternates from query to query, and from `turn` to
    `turn` (the second to answer a message finds what they share warm: the content's
    entries, the stemmer). Each matcher answers an untimed message first: whichever went
    first would pay the one-off costs of a first query after a build (memory first touched,
    the garbage collector's first passes)."""
    samples: list[list[float]] = [[] for _ in matchers]
    for matcher in matchers:  # a first query after a build pays one-off costs: not timed
        matcher.match("warming up")
    for n, q in enumerate(queries):
        order = range(len(matchers)) if (n + turn) % 2 == 0 else reversed(range(len(matchers)))
        for k in order:
            cold(matchers[k])
            t0 = clock.ns()
            matchers[k].match(q)
            samples[k].append((clock.ns() - t0) / 1000)
    return samples


def scaling(
    sizes: list[int], probes: int, base_probes: int, runs: int, against: str | None
) -> None:
    other = load_matcher_class(against) if against else None
    print(
        f"\n## Scaling ({clock.name} time): synthetic content, {probes} distinct misspelt "
        f"queries per size, every cache emptied before each query; median of {runs} runs "
        f"(baseline: rapidfuzz extractOne, token_set_ratio over the questions, first "
        f"{base_probes} of the same queries"
        + (f"; before: {against}, the same queries, alternating" if other else "")
        + ")"
    )
    head = (
        f"{'entries':>7} {'p50 ms':>7} {'p99 ms':>7} {'base p50':>8} {'base p99':>8} "
        f"{'load s':>7} {'index s':>7} {'base s':>7} {'index MB':>8} {'KB/entry':>8} "
        f"{'base MB':>7} {'typo s':>7} {'typo MB':>7}"
    )
    if other:
        head += f" {'bef p50':>7} {'bef p99':>7} {'bef idx s':>9} {'bef MB':>7}"
    print(head)
    for n in sizes:
        text = synthetic_yaml(n)
        rows = []
        for run in range(runs):
            content, matcher, load_s, index_s = build(text)
            t0 = clock.s()
            questions = [e.question for e in content.entries]
            base_s = clock.s() - t0
            matchers = [matcher]
            before_s = 0.0
            if other:
                t0 = clock.s()
                matchers.append(other(content))
                before_s = clock.s() - t0
            queries = misspelt_probes(content, probes, seed=run + 1)
            gc.collect()  # the builds' garbage: collected before any query is timed
            timed = time_queries(matchers, queries, turn=run)
            theirs = time_once(
                lambda m, qs=questions: process.extractOne(m, qs, scorer=fuzz.token_set_ratio),
                queries[:base_probes],
            )
            row = [
                percentile(timed[0], 50) / 1000,
                percentile(timed[0], 99) / 1000,
                percentile(theirs, 50) / 1000,
                percentile(theirs, 99) / 1000,
                load_s,
                index_s,
                base_s + load_s,
            ]
            if other:
                row += [percentile(timed[1], 50) / 1000, percentile(timed[1], 99) / 1000, before_s]
            rows.append(row)
            del content, matcher, matchers
        content = parse_content(text, "synthetic.yaml")
        matcher, mem = traced(lambda c=content: Matcher(c))
        _, base_mem = traced(lambda c=content: [e.question for e in c.entries])
        typo = typo_index(matcher)
        typo_s, typo_mem = typo if typo else (float("nan"), float("nan"))
        del matcher
        med = [statistics.median(col) for col in zip(*rows, strict=True)]
        line = (
            f"{n:>7} {med[0]:7.3f} {med[1]:7.3f} {med[2]:8.3f} {med[3]:8.3f} {med[4]:7.2f} "
            f"{med[5]:7.2f} {med[6]:7.2f} {mem / 1e6:8.1f} {mem / n / 1e3:8.1f} "
            f"{base_mem / 1e6:7.2f} {typo_s:7.3f} {typo_mem / 1e6:7.2f}"
        )
        if other:
            _, before_mem = traced(lambda c=content: other(c))
            line += f" {med[7]:7.3f} {med[8]:7.3f} {med[9]:9.2f} {before_mem / 1e6:7.1f}"
        print(line)
        if runs > 1:
            p99s = sorted(r[1] for r in rows)
            print(f"{'':>7} p99 over runs: {', '.join(f'{x:.3f}' for x in p99s)}", end="")
            if other:
                print(f"; before: {', '.join(f'{x:.3f}' for x in sorted(r[8] for r in rows))}")
            else:
                print()


# --- the real content ----------------------------------------------------------------------------


def accuracy(eval_file: str) -> list[str]:
    content = load_content()
    responder = Responder(content)
    cases = load_cases(eval_file, content)
    report = evaluate(responder, cases)
    ok, n = report.overall
    base_acc, cutoff = baseline_accuracy(content, cases)
    print(f"## Accuracy on {Path(eval_file).name} ({n} cases)")
    print(
        f"kubecon-bot matcher          {ok / n:.3f}  (declines {report.declined[0]}/"
        f"{report.declined[1]})"
    )
    print(f"rapidfuzz token_set_ratio    {base_acc:.3f}  (best cutoff {cutoff}, same run)")
    return [c.text for c in cases]


def real_latency(messages: list[str], rounds: int, against: str | None) -> None:
    """Each round builds a fresh responder and empties the caches, then asks each (distinct)
    message once: no round profits from an earlier one. With `against`, `match` of this
    matcher and of the other, alternating, the caches emptied before each message."""
    content = load_content()
    docs = [f"{e.question} {e.answer}" for e in content.entries]
    other = load_matcher_class(against) if against else None
    ours, match_only, base = [], [], []
    pair: list[list[float]] = [[], []]
    for turn in range(rounds):
        responder = Responder(content)
        cold(responder.matcher)
        ours += time_once(responder.respond, messages)
        responder = Responder(content)
        cold(responder.matcher)
        match_only += time_once(responder.matcher.match, messages)
        base += time_once(
            lambda m: process.extractOne(m, docs, scorer=fuzz.token_set_ratio), messages
        )
        if other:
            matchers = [Matcher(content), other(content)]
            gc.collect()  # the builds' garbage: collected before any message is timed
            for k, timed in enumerate(time_queries(matchers, messages, turn)):
                pair[k] += timed
    print(
        f"\n## Latency per message ({clock.name} time), real content, cold caches ({rounds} "
        "rounds, µs)"
    )
    print(f"{'':28} {'p50':>8} {'p99':>8}")
    rows = [
        ("respond (intents+matcher)", ours),
        ("matcher.match", match_only),
        ("baseline extractOne", base),
    ]
    if other:
        rows += [("match, each cold, this", pair[0]), ("match, each cold, before", pair[1])]
    for label, timed in rows:
        print(f"{label:28} {percentile(timed, 50):8.1f} {percentile(timed, 99):8.1f}")
    print(f"ratio respond/baseline p50: {percentile(ours, 50) / percentile(base, 50):.2f}")


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


# --- every verdict, to prove a change kept the answers -----------------------------------------


def outcomes(
    path: str, sets: Sequence[Path] = EVAL_SETS, n: int = 10_000, probes: int = 2_000
) -> None:
    """Write every case's reply (`sets`: by default every eval set, the held-out ones too) and
    every verdict on `probes` misspelt queries over `n` synthetic entries (best entry, score,
    candidates, each word's correction), one JSON line each: `diff` two files to see exactly
    what a change altered. Whoever tunes on some sets passes only those (`--sets`)."""
    lines = []
    responder = Responder(load_content())
    for eval_file in sets:
        for o in evaluate(responder, load_cases(eval_file, responder.content)).outcomes:
            r = o.reply
            lines.append(
                [
                    eval_file.name,
                    o.case.text,
                    o.passed,
                    r.kind.value,
                    r.number,
                    r.score,
                    [opt.number for opt in r.options],
                ]
            )
    content, matcher, _, _ = build(synthetic_yaml(n))
    for q in misspelt_probes(content, probes):
        m = matcher.match(q)
        lines.append(
            [
                f"synthetic{n}",
                q,
                m.entry.number if m.entry else None,
                round(m.score, 9),
                [(c.entry.number, round(c.score, 9)) for c in m.candidates],
                [matcher._correct(w) for w in q.split()],
            ]
        )
    Path(path).write_text("".join(json.dumps(line) + "\n" for line in lines))
    print(f"{len(lines)} verdicts written to {path}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=str(EVAL_SETS[0]))
    ap.add_argument("--rounds", type=int, default=20, help="rounds over the real eval messages")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--probes", type=int, default=1000, help="misspelt queries per size")
    ap.add_argument("--base-probes", type=int, default=100, help="of which the baseline runs")
    ap.add_argument("--runs", type=int, default=3, help="builds and query sets per size")
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    ap.add_argument("--against", metavar="FILE", help="another bot/core/matcher.py to time too")
    ap.add_argument("--skip-cold-start", action="store_true")
    ap.add_argument("--outcomes", metavar="FILE", help="only write every verdict to FILE")
    ap.add_argument(
        "--sets",
        nargs="+",
        type=Path,
        default=EVAL_SETS,
        help="with --outcomes: the labelled sets to write (default: every eval set)",
    )
    args = ap.parse_args()
    clock.use(args.clock)
    if args.outcomes:
        outcomes(args.outcomes, args.sets)
        return
    messages = accuracy(args.eval)
    real_latency(messages, args.rounds, args.against)
    sizes = [int(s) for s in args.sizes.split(",")]
    scaling(sizes, args.probes, args.base_probes, args.runs, args.against)
    if not args.skip_cold_start:
        cold_start()


if __name__ == "__main__":
    main()
