"""Scoring the matcher on a labelled set (the format of `shared/eval/dev.yaml`).

A case passes when the reply's answer contains the phrase listed for its expected entry, or,
when the expectation is null, when the bot gives no answer (a decline or a "did you mean").
Judging by the served text, not by ids, keeps the check honest for intents such as takeaways.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.replies import Kind, Reply
from bot.core.responder import Responder


@dataclass(frozen=True)
class Case:
    text: str
    expect: str | None  # "1".."10", "T", or None for "must decline"
    phrase: str | None


@dataclass(frozen=True)
class Outcome:
    case: Case
    reply: Reply
    passed: bool

    @property
    def returned(self) -> str:
        r = self.reply
        if r.kind is Kind.ANSWER:
            return f"answer {r.number} (score {r.score})"
        if r.kind is Kind.SUGGESTIONS:
            return "did you mean " + ", ".join(str(o.number) for o in r.options)
        return r.kind.value


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    def _accuracy(self, answerable: bool | None) -> tuple[int, int]:
        chosen = [
            o
            for o in self.outcomes
            if answerable is None or (o.case.expect is not None) == answerable
        ]
        return sum(o.passed for o in chosen), len(chosen)

    @property
    def overall(self) -> tuple[int, int]:
        return self._accuracy(None)

    @property
    def answerable(self) -> tuple[int, int]:
        return self._accuracy(True)

    @property
    def declined(self) -> tuple[int, int]:
        return self._accuracy(False)

    @property
    def misses(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if not o.passed)


def load_cases(path: str | Path) -> list[Case]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    phrases = {str(k): v for k, v in (data.get("phrases") or {}).items()}
    cases = []
    for item in data["cases"]:
        expect = None if item.get("expect") is None else str(item["expect"])
        cases.append(Case(item["q"], expect, phrases.get(expect) if expect else None))
    return cases


def judge(case: Case, reply: Reply) -> bool:
    if case.expect is None:
        return reply.kind in (Kind.DECLINE, Kind.SUGGESTIONS, Kind.HELP)
    served = reply.body or "" if reply.kind in (Kind.ANSWER, Kind.TAKEAWAYS) else ""
    return bool(case.phrase) and case.phrase.casefold() in served.casefold()


def evaluate(responder: Responder, cases: list[Case]) -> Report:
    outcomes = []
    for case in cases:
        reply = responder.respond(case.text)
        outcomes.append(Outcome(case, reply, judge(case, reply)))
    return Report(tuple(outcomes))
