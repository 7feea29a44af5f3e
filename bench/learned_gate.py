"""Could a model learned from the labelled messages decide "answer in the channel or not" better
than the hand-written rules? An experiment, not part of the bot.

For every labelled message the matcher has a best entry for (and whose reply is an answer, a
"did you mean" or a decline), the features are what the bot itself knows when it decides: the
rules' own verdict (public or not, the matcher sure or not, which hold-back rule fired), the
best entry's score, evidence and coverage, how close the runner-up is, how many of the
message's specific words the entry uses, known and unknown words, the message's length, its
question word, whether it asks to choose ("or", "vs"), the unknown words of its last sentence.
The target: answering the best entry in public is right (the label is that entry).

With `--words`, the message's words and word pairs (TF-IDF, fitted on the training sets only)
are features too, beside the bot's own; with `--keep LOW HIGH` the model only overrides the
rules where it is sure: a "did you mean" or decline is answered when p > HIGH, an answer is held
back when p < LOW.

A model (logistic regression, or gradient-boosted trees) is fitted leaving one tuning set out
at a time, with the development and guard sets always in training, and decides for the set
left out: public when its probability exceeds W / (1 + W), a wrong public answer costing W
right ones. That set is then scored as `wrong_public.py` scores it, beside the rules' own
verdicts on the same messages. The blind sets (bench/eval/chat*.yaml, fresh*.yaml) are not
read.

scikit-learn is not a dependency of the bot; install it in the project's venv to run this:

    .venv/bin/pip install scikit-learn
    .venv/bin/python bench/learned_gate.py [--model lr|trees] [--cost W …] [--words]
                                           [--keep LOW HIGH]
"""

from __future__ import annotations

import argparse
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.core.content import load_content
from bot.core.evaluation import load_cases
from bot.core.matcher import Match
from bot.core.replies import Kind
from bot.core.responder import Responder
from bot.core.text import clean, words

ROOT = Path(__file__).resolve().parents[1]
TUNING = sorted((ROOT / "bench/tuning").glob("*.yaml"))
GUARDS = [
    ROOT.parent / "shared/eval/dev.yaml",
    ROOT / "content/eval/examples.yaml",
    ROOT / "bench/eval/paraphrases.yaml",
]
# the hold-back rules (Responder.doubt), by a phrase of the reason each gives
REASONS = (
    "how to",
    "steps",
    "fact no view",
    "yes/no fact",
    "not_covered",
    "definition",
    "specific fact",
    "choose between",
    "rank",
    "judge",
    "opinion",
    "number",
    "price",
)
ASKING = ("who", "which", "what", "how", "when", "where", "why", "does", "is", "can", "do", "did")
SENTENCE_END = re.compile(r"[?.!]\s+")


@dataclass(frozen=True)
class Row:
    set: str
    expect: str | None
    best: str  # the best entry's number
    public: bool  # what the rules did
    answered: str | None  # the entry they posted in public
    features: list[float]
    said: str  # the message's words, for --words


def rows_of(responder: Responder, path: Path) -> list[Row]:
    matcher, out = responder.matcher, []
    for case in load_cases(path, responder.content):
        reply = responder.respond(case.text)
        cleaned = clean(case.text)
        raw = words(cleaned)
        intent, rest, _, _ = responder.asked(raw)
        match = matcher.match_words(rest)
        if not match.candidates or reply.kind not in (Kind.ANSWER, Kind.SUGGESTIONS, Kind.DECLINE):
            continue
        best = match.candidates[0]
        second = match.candidates[1] if len(match.candidates) > 1 else None
        held = Match(best.entry, best.score, match.candidates)
        reason = None if match.taught else responder.doubt(raw, rest, held, cleaned)
        known, unknown = matcher.word_kinds(rest)
        unsaid = set(matcher.unexplained(rest, best.entry))
        specific = [s for s in matcher.query(rest).stems if s not in matcher.generic]
        last = SENTENCE_END.split(case.text.strip())[-1] or case.text
        public = reply.kind is Kind.ANSWER
        features = [
            public,
            match.entry is not None,
            match.taught,
            best.score,
            best.evidence,
            best.coverage,
            second.score / best.score if second else 0.0,
            second.evidence / best.evidence if second and best.evidence else 0.0,
            sum(s not in unsaid for s in specific),
            known,
            unknown,
            math.log1p(len(raw)),
            "?" in case.text,
            intent is not None,
            reason is not None,
            *(reason is not None and phrase in reason for phrase in REASONS),
            *(next((w for w in raw if w in ASKING), None) == w for w in ASKING),
            any(w in ("or", "vs", "versus") for w in raw),
            matcher.word_kinds(words(clean(last)))[1],
        ]
        out.append(
            Row(
                path.stem,
                case.expect,
                str(best.entry.number),
                public,
                str(reply.number) if public else None,
                [float(f) for f in features],
                " ".join(raw),
            )
        )
    return out


def scored(rows: list[Row], public: list[bool]) -> tuple[int, int]:
    """(right, wrong in public) when `public` says which rows are answered in the channel."""
    right = wrong = 0
    for row, posted in zip(rows, public, strict=True):
        if posted:
            ok = row.best == row.expect
            right, wrong = right + ok, wrong + (not ok)
        else:
            right += row.expect is None
    return right, wrong


def fit(model: str, words_too: bool, train: list[Row]):
    """A function from rows to the probability that answering the best entry is right."""
    dense = np.array([row.features for row in train])
    mean, spread = dense.mean(0), dense.std(0) + 1e-9
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    if words_too:
        vectorizer.fit([row.said for row in train])

    def design(rows: list[Row]):
        x = (np.array([row.features for row in rows]) - mean) / spread
        if not words_too:
            return x
        return sparse.hstack(
            [vectorizer.transform([row.said for row in rows]), sparse.csr_matrix(x)]
        ).tocsr()

    fitted = (
        LogisticRegression(max_iter=5000)
        if model == "lr"
        else GradientBoostingClassifier(n_estimators=150, max_depth=3)
    ).fit(design(train), np.array([row.best == row.expect for row in train]))
    return lambda rows: fitted.predict_proba(design(rows))[:, 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=("lr", "trees"), default="lr")
    parser.add_argument("--cost", type=float, nargs="+", default=[3.0, 6.0, 12.0])
    parser.add_argument("--words", action="store_true", help="the message's words as features")
    parser.add_argument(
        "--keep", type=float, nargs=2, metavar=("LOW", "HIGH"), help="override the rules only here"
    )
    args = parser.parse_args()
    responder = Responder(load_content(ROOT / "content/qa.yaml"))
    tuning = {path.stem: rows_of(responder, path) for path in TUNING}
    guards = [row for path in GUARDS for row in rows_of(responder, path)]
    for cost in [0.0] if args.keep else args.cost:
        rules = model = (0, 0)
        if args.keep:
            print(f"the rules' verdict, unless p < {args.keep[0]:g} or p > {args.keep[1]:g}")
        else:
            print(f"W = {cost:g} (public when p > {cost / (1 + cost):.3f})")
        for name, test in tuning.items():
            train = guards + [
                row for other, rows in tuning.items() if other != name for row in rows
            ]
            p = fit(args.model, args.words, train)(test)
            if args.keep:
                low, high = args.keep
                public = [
                    x > high or (row.public and x >= low) for x, row in zip(p, test, strict=True)
                ]
            else:
                public = [bool(x > cost / (1 + cost)) for x in p]
            by_rules = scored(test, [row.public for row in test])
            by_model = scored(test, public)
            print(
                f"  {name:14s} {len(test):4d} messages  rules: {by_rules[0]} right, "
                f"{by_rules[1]} wrong public   model: {by_model[0]} right, "
                f"{by_model[1]} wrong public"
            )
            rules = (rules[0] + by_rules[0], rules[1] + by_rules[1])
            model = (model[0] + by_model[0], model[1] + by_model[1])
        print(
            f"  all: rules {rules[0]} right, {rules[1]} wrong public; model {model[0]}, {model[1]}"
        )


if __name__ == "__main__":
    main()
