"""The cue words that let `bot.core.aspects` skip a question-form pattern (`_Cued`: the
pattern is tried only on a message holding one of them) must be in every match the pattern
can make. The cues are read off each pattern by hand, so an edit that lets a pattern match
without them would silently stop that form of question being seen: every verdict of the
labelled sets could stay the same while new askers' questions go wrong. Checked on the tuning
sets' questions and on messages made at random from each pattern's own words."""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.core import aspects
from bot.core.text import clean, words

ROOT = Path(__file__).resolve().parents[2]
FILLER = ("kubernetes", "the", "it", "we", "tom", "talk", "gpu", "x", "to", "of", "a", "for")
CUED = {name: value for name, value in vars(aspects).items() if isinstance(value, aspects._Cued)}


def own_words(pattern: re.Pattern[str]) -> list[str]:
    """The literal words written in the pattern (escapes and group names left out)."""
    source = re.sub(r"\(\?P<\w+>|\(\?[:!=<]+|\\[a-zA-Z]", " ", pattern.pattern)
    return sorted(set(re.findall(r"[a-z]+", source)))


@cache
def messages() -> tuple[str, ...]:
    found = []
    for path in [
        *sorted((ROOT / "bench" / "tuning").glob("*.yaml")),
        ROOT.parent / "shared/eval/dev.yaml",
    ]:
        if path.exists():
            found += [str(c["q"]) for c in yaml.safe_load(path.read_text())["cases"]]
    return tuple(found)


def test_every_cued_pattern_is_checked():
    assert len(CUED) >= 20  # the forms of bot.core.aspects; a rename must not empty this test


@pytest.mark.parametrize("name", sorted(CUED))
def test_a_match_always_holds_a_cue(name: str):
    form = CUED[name]
    vocabulary = own_words(form.pattern) + list(FILLER)
    rng = random.Random(name)
    made = [" ".join(rng.choices(vocabulary, k=rng.randint(2, 9))) for _ in range(3000)]
    for message in [*messages(), *made]:
        said = tuple(words(clean(message)))
        text = " ".join(said)
        if form.pattern.search(text) is not None:
            assert form.cued(text, said), f"{name} matches {text!r} without any of its cues"
