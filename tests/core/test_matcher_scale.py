"""The matcher on a large content: misspelt names still find their entries, and a misspelling is
read as the content word fewest edits away, whichever way the matcher finds it.

A small content's typo candidates are scanned; a large content's one-edit candidates are spelt
out and looked up instead (bot/core/matcher.py `_closest`). These tests use a 2,000-entry
synthetic content, large enough for the lookup, beside a few entries with hand-picked names, so
both ways are held to the same answers. They pin behaviour only: no timing is asserted here
(bench/matcher.py prints those).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from bot.core.content import Content, parse_content
from bot.core.matcher import Matcher

ROOT = Path(__file__).resolve().parents[2]
SYLLABLES = ["ka", "lo", "mi", "ne", "tor", "vex", "qua", "zen", "rup", "sil", "dra", "fen"]
# hand-picked names, appended after the synthetic entries, numbered from 2001
NAMED = {
    2001: "velmorant",  # "velmoran" is one edit from both this and the next: ties go to the
    2002: "velmorang",  # first in alphabetical order, velmorang
    2003: "vexgrizbolt",  # one edit from "vexgrizolt"…
    2004: "vexgrizbott",  # …and two from it: the closer word wins
    2005: "zenchundrawk",  # only reachable in two edits: "zencudnrawk"
}


def synthetic(n: int, named: dict[int, str], seed: int = 3) -> Content:
    """`n` entries of pseudo-words, each with a unique letters-only product name, then `named`."""
    rng = random.Random(seed)
    vocab = sorted(
        {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
    )
    names: set[str] = set()
    while len(names) < n:
        names.add("".join(rng.choice("bcghjpwy") + rng.choice("aeiou") for _ in range(5)))
    base = yaml.safe_load((ROOT / "content" / "qa.yaml").read_text(encoding="utf-8"))
    entries = [
        {
            "id": f"e{i}",
            "number": i + 1,
            "question": " ".join(rng.choice(vocab) for _ in range(14)) + "?",
            "answer": " ".join(rng.choice(vocab) for _ in range(70)) + ".",
            "keywords": [name],
        }
        for i, name in enumerate(sorted(names))
    ]
    entries += [
        {
            "id": f"named{number}",
            "number": number,
            "question": f"What about {name}?",
            "answer": f"{name.capitalize()} is a product.",
            "keywords": [name],
        }
        for number, name in named.items()
    ]
    base["entries"] = entries
    base.pop("daily", None)
    return parse_content(yaml.safe_dump(base, sort_keys=False), "synthetic.yaml")


@pytest.fixture(scope="module")
def big() -> Matcher:
    return Matcher(synthetic(2000, NAMED))


@pytest.fixture(scope="module")
def small() -> Matcher:
    return Matcher(synthetic(0, NAMED))


def typos(word: str) -> list[str]:
    """A transposition, a dropped letter, a doubled letter and an adjacent-key substitution."""
    i = len(word) // 2
    nearby = {"a": "s", "e": "w", "i": "u", "o": "p", "u": "y"}
    j = next(k for k in range(1, len(word)) if word[k] in nearby)
    return [
        word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        word[:i] + word[i + 1 :],
        word[:i] + word[i] + word[i:],
        word[:j] + nearby[word[j]] + word[j + 1 :],
    ]


def test_a_misspelt_name_finds_its_entry_among_2000(big):
    entries = big.content.entries[:2000]
    for entry in random.Random(5).sample(entries, 40):
        (name,) = entry.keywords
        for typo in typos(name):
            match = big.match(f"what about {typo}")
            assert match.entry is entry, (typo, name, match.candidates[:1])


@pytest.mark.parametrize("size", ["small", "big"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("velmoran", 2002),  # one edit from two names: the first alphabetically
        ("vexgrizolt", 2003),  # one edit from vexgrizbolt, two from vexgrizbott
        ("vexgrizbollt", 2003),
        ("zencudnrawk", 2005),  # two edits, and no word closer
    ],
)
def test_a_misspelling_is_read_as_the_closest_word(request, size, typed, expected):
    matcher: Matcher = request.getfixturevalue(size)
    match = matcher.match(typed)
    assert match.entry is not None and match.entry.number == expected


@pytest.mark.parametrize("size", ["small", "big"])
def test_a_word_too_many_edits_away_is_not_guessed(request, size):
    matcher: Matcher = request.getfixturevalue(size)
    assert matcher.match("vxlmxrxnt").entry is None  # four edits from velmorant: too far
    assert matcher.match("zncudnrawk").entry is None  # three from zenchundrawk; budget two
