"""Refit the matcher's "agreeing words" answer rule (bot/core/matcher.py, AGREEING_*) on the
tuning sets, leaving one set out at a time, so a threshold is judged on messages it was not
chosen on.

For every combination of the four constants on a small grid, each tuning set and guard set is
scored as `wrong_public.py` scores it (accuracy, and answers posted publicly that the label says
are wrong). Then, for each tuning set in turn, the combination that gains the most accuracy on
the *other* tuning sets, without a new wrong public answer on any of them and without a loss on
a guard set, is applied to the set left out: its gain there is the honest estimate. Ties go to
the stricter combination (a smaller margin, then more evidence, more words, a higher score).

    .venv/bin/python bench/decision_fit.py            (about half a minute)

The blind sets (bench/eval/chat*.yaml, fresh*.yaml) are never read here: they judge the rule,
they do not choose it. bench/eval/paraphrases.yaml is read as a guard, like dev and examples.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from wrong_public import wrong_in_public

from bot.core import matcher
from bot.core.content import load_content
from bot.core.evaluation import Case, evaluate, load_cases
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]
TUNING = sorted((ROOT / "bench/tuning").glob("*.yaml"))
GUARDS = [
    ROOT.parent / "shared/eval/dev.yaml",
    ROOT / "bench/eval/paraphrases.yaml",
    ROOT / "content/eval/examples.yaml",
]
NAMES = ("AGREEING_SCORE", "AGREEING_WORDS", "AGREEING_EVIDENCE", "AGREEING_MARGIN")
GRID = list(itertools.product((0.2, 0.25, 0.3), (2, 3), (0.8, 1.0, 1.2), (0.6, 0.7, 0.8, 0.9)))

Scored = dict[str, tuple[int, int]]  # set name -> (cases right, wrong public answers)


def score(responder: Responder, sets: dict[str, list[Case]]) -> Scored:
    """Each set's cases right and wrong public answers, with the constants as they are now."""
    out = {}
    for name, cases in sets.items():
        right, _ = evaluate(responder, cases).overall
        wrong = sum(wrong_in_public(responder, c.text, c.expect) for c in cases)
        out[name] = (right, wrong)
    return out


def with_constants(values: tuple[float, ...], responder: Responder, sets: dict) -> Scored:
    """`score` with the rule's constants set to `values` (restored afterwards)."""
    saved = [getattr(matcher, n) for n in NAMES]
    try:
        for n, v in zip(NAMES, values, strict=True):
            setattr(matcher, n, v)
        return score(responder, sets)
    finally:
        for n, v in zip(NAMES, saved, strict=True):
            setattr(matcher, n, v)


def main() -> None:
    content = load_content()
    responder = Responder(content)
    sets = {p.stem: load_cases(p, content) for p in [*TUNING, *GUARDS]}
    tuning, guards = [p.stem for p in TUNING], [p.stem for p in GUARDS]
    # the rule switched off: no message passes AGREEING_WORDS
    off = with_constants((1.0, 10**6, 1.0, 0.0), responder, sets)
    current = tuple(getattr(matcher, n) for n in NAMES)
    results = {values: with_constants(values, responder, sets) for values in GRID}

    def safe(values: tuple[float, ...], among: list[str]) -> bool:
        r = results[values]
        return all(r[s][1] <= off[s][1] for s in among + guards) and all(
            r[g][0] >= off[g][0] for g in guards
        )

    def gain(values: tuple[float, ...], among: list[str]) -> int:
        return sum(results[values][s][0] - off[s][0] for s in among)

    print(
        "left out        chosen (score, words, evidence, margin)   gain on the others  "
        "gain left out  wrong public left out"
    )
    total = 0
    for held in tuning:
        others = [s for s in tuning if s != held]
        chosen = max(
            (v for v in GRID if safe(v, others)),
            key=lambda v: (gain(v, others), -v[3], v[2], v[1], v[0]),
        )
        r = results[chosen][held]
        total += r[0] - off[held][0]
        print(
            f"{held:15} {chosen!s:40} {gain(chosen, others):+4d} {r[0] - off[held][0]:+14d}"
            f"   {off[held][1]} -> {r[1]}"
        )
    print(f"sum of the gains on the sets left out: {total:+d}")
    now = results.get(current) or with_constants(current, responder, sets)
    print(f"\nin the code now {current}:")
    for name in tuning + guards:
        print(
            f"  {name:15} right {off[name][0]} -> {now[name][0]}, "
            f"wrong public {off[name][1]} -> {now[name][1]}"
        )


if __name__ == "__main__":
    main()
