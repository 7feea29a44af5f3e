"""What a channel would see go wrong: per labelled set, the score `kubecon-bot eval` gives and
the number of wrong answers posted *publicly* (an entry, or the takeaways, that the label says is
not the answer). A private "did you mean" or a decline is never counted here: only the
misses everyone in the channel would read.

    .venv/bin/python bench/wrong_public.py [FILE …]   (default: every set in the repository and
                                                       ../shared/eval/dev.yaml)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.core import intents
from bot.core.content import load_content
from bot.core.evaluation import evaluate, load_cases
from bot.core.replies import Kind
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ROOT.parent / "shared/eval/dev.yaml",
    ROOT / "content/eval/examples.yaml",
    *sorted((ROOT / "bench/eval").glob("*.yaml")),
]


def wrong_in_public(responder: Responder, text: str, expect: str | None) -> bool:
    reply = responder.respond(text)
    if not reply.public:
        return False
    if reply.kind is Kind.ANSWER:
        entry = responder.content.entry(reply.entry_id or "")
        return expect is None or entry is None or str(entry.number) != str(expect)
    return reply.kind is intents.TAKEAWAYS and expect != "T"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="labelled sets (default: every one)"
    )
    args = parser.parse_args()
    content = load_content()
    responder = Responder(content)
    for path in args.files or SETS:
        cases = load_cases(path, content)
        ok, n = evaluate(responder, cases).overall
        wrong = sum(wrong_in_public(responder, c.text, c.expect) for c in cases)
        print(f"{path.name:20} overall {ok / n:.3f} ({ok}/{n})   wrong public answers {wrong}")


if __name__ == "__main__":
    main()
