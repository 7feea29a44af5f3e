"""Scoring the matcher on a labelled set (`content/eval/examples.yaml`, and the format of
`shared/eval/dev.yaml`).

A case passes when the reply's answer contains the phrase listed for its expected entry, or,
when the expectation is null, when the bot gives no answer (a decline or a "did you mean").
Judging by the served text, not by ids, keeps the check honest for intents such as takeaways.

The set is validated against the content before anything is scored, and every problem is
reported as `file:line: problem`: a label with no phrase, or one the content does not have,
would otherwise be counted as a miss and read as a matcher regression.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core import intents
from bot.core.content import Content, ContentError, Problem, _node_at, load_yaml
from bot.core.replies import Kind, Reply
from bot.core.responder import Responder

TAKEAWAYS = "T"  # the label of the key takeaways


@dataclass(frozen=True)
class Case:
    text: str
    expect: str | None  # an entry number as text ("1".."10"), "T", or None for "must decline"
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
class Scores:
    """How a labelled set fared: each case's outcome, and the accuracies `eval` prints."""

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


def load_cases(path: str | Path, content: Content) -> list[Case]:
    """The cases of a labelled set, checked against `content`; ContentError lists every problem
    (`file:line: problem`) when the file is missing, not YAML, or not a valid set."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError([Problem(file, None, "", f"cannot read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise ContentError([Problem(file, None, "", "not UTF-8 text")]) from None
    root, data = load_yaml(text, file)
    problems = list(_problems(file, root, data, content))
    if problems:
        raise ContentError(sorted(problems, key=lambda p: p.line or 0))
    phrases = {str(k): str(v) for k, v in (data.get("phrases") or {}).items()}
    return [
        Case(item["q"], _label(item.get("expect")), phrases.get(_label(item.get("expect")) or ""))
        for item in data["cases"]
    ]


def _label(expect: object) -> str | None:
    return None if expect is None else str(expect)


def _problems(
    file: str, root: yaml.Node | None, data: object, content: Content
) -> Iterator[Problem]:
    def at(loc: list[str | int], field: str, message: str) -> Problem:
        node, _ = _node_at(root, loc)
        return Problem(file, node.start_mark.line + 1 if node is not None else 1, field, message)

    if not isinstance(data, Mapping) or not isinstance(data.get("cases"), list):
        yield at([], "", "expected a mapping with `phrases` and a list of `cases`")
        return
    unknown = sorted(str(k) for k in data if k not in ("phrases", "cases"))
    for key in unknown:
        yield at([key], key, "unknown key (expected phrases, cases)")
    labels = {str(e.number): e.answer for e in content.entries}
    labels[TAKEAWAYS] = "\n".join(content.takeaways)
    labelled = f"an entry number 1-{len(content.entries)} or {TAKEAWAYS}"
    known = f"{labelled} (or null: must decline)"
    raw_phrases = data.get("phrases") or {}
    if not isinstance(raw_phrases, Mapping):
        yield at(["phrases"], "phrases", "expected a mapping of label: phrase")
        raw_phrases = {}
    phrases: dict[str, str] = {}
    for key, phrase in raw_phrases.items():
        where = ["phrases", key]
        label = str(key)
        if label not in labels:
            yield at(where, f"phrases.{label}", f"unknown label {key!r}: use {labelled}")
        elif not isinstance(phrase, str) or not phrase.strip():
            yield at(where, f"phrases.{label}", "must be a non-empty phrase")
        elif phrase.casefold() not in labels[label].casefold():
            what = "the takeaways" if label == TAKEAWAYS else f"the answer of entry {label}"
            yield at(where, f"phrases.{label}", f"{phrase!r} is not in {what}")
        else:
            phrases[label] = phrase
    if not data["cases"]:
        yield at(["cases"], "cases", "no cases")
    for i, item in enumerate(data["cases"]):
        field = f"cases[{i}]"
        if not isinstance(item, Mapping):
            yield at(["cases", i], field, "expected a mapping {q: TEXT, expect: LABEL}")
            continue
        for key in sorted(str(k) for k in item if k not in ("q", "expect")):
            yield at(["cases", i, key], f"{field}.{key}", "unknown key (expected q, expect)")
        if not isinstance(item.get("q"), str) or not item["q"].strip():
            yield at(["cases", i], f"{field}.q", "the message is missing or empty")
        if "expect" not in item:
            yield at(["cases", i], f"{field}.expect", f"missing: use {known}")
            continue
        label = _label(item["expect"])
        if label is None:
            continue
        if isinstance(item["expect"], bool) or label not in labels:
            bad = f"{item['expect']!r} is not {known}"
            yield at(["cases", i, "expect"], f"{field}.expect", bad)
        elif label not in phrases and label not in {str(k) for k in raw_phrases}:
            yield at(
                ["cases", i, "expect"],
                f"{field}.expect",
                f"label {label} has no phrase under `phrases`: nothing to judge the answer by",
            )


def judge(case: Case, reply: Reply) -> bool:
    if case.expect is None:
        # no answer: a decline, a "did you mean", or a menu or a greeting given back
        return reply.kind in (
            Kind.DECLINE,
            Kind.SUGGESTIONS,
            intents.HELP,
            intents.GREETING,
            intents.THANKS,
        )
    served = reply.body or "" if reply.kind in (Kind.ANSWER, intents.TAKEAWAYS) else ""
    return bool(case.phrase) and case.phrase.casefold() in served.casefold()


def evaluate(responder: Responder, cases: list[Case]) -> Scores:
    outcomes = []
    for case in cases:
        reply = responder.respond(case.text)
        outcomes.append(Outcome(case, reply, judge(case, reply)))
    return Scores(tuple(outcomes))
