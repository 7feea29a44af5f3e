"""The matcher on a large content: misspelt names still find their entries, and a misspelling is
read as the content word fewest edits away, however many words the content has.

The matcher does not compare a misspelling with every content word: an index narrows them to
the few that may be close enough (bot/core/matcher.py `_NearWords`), and only those are
measured. These tests hold that narrowing to the exact answer: against every pair of short
words, on a content of a few hand-picked names alone and on 2,000 and 10,000 synthetic entries
beside them. They pin behaviour only: no timing is asserted here (bench/matcher.py prints
those).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
import yaml
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.core.content import Content, parse_content
from bot.core.matcher import Matcher, _NearWords

ROOT = Path(__file__).resolve().parents[2]
SYLLABLES = ["ka", "lo", "mi", "ne", "tor", "vex", "qua", "zen", "rup", "sil", "dra", "fen"]
# hand-picked names, numbered 2001…, appended after the synthetic entries (numbered from 3001)
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
            "number": 3001 + i,  # clear of the named entries' numbers
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
def huge() -> Matcher:
    return Matcher(synthetic(10_000, NAMED))


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


SHORT_WORDS = ["".join(w) for n in range(2, 7) for w in itertools.product("abc", repeat=n)]


def within(word: str, budget: int, vocabulary: list[str]) -> list[tuple[int, str]]:
    """(distance, word) for every word of `vocabulary` within `budget` edits of `word` that
    shares its first or second letter, measured one by one."""
    found = process.extract(
        word, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=budget, limit=None
    )
    return sorted((int(d), w) for w, d, _ in found if w[0] == word[0] or w[1] == word[1])


@pytest.fixture(params=["scanned", "narrowed"])
def way(request, monkeypatch) -> str:
    """Each way `_NearWords` finds a length's candidates, whatever the number of words."""
    monkeypatch.setattr(
        _NearWords, "SCAN_PER_OPERATION", 10**9 if request.param == "scanned" else 0
    )
    return request.param


def test_no_word_within_the_budget_is_ever_lost(way):
    """Every word of two to six letters over a three-letter alphabet (the hardest case: every
    word is close to many) against every other: each within `budget` edits that shares the
    first or the second letter is among the index's candidates, and the closest is the one
    measuring them all would pick."""
    index = _NearWords(SHORT_WORDS)
    for word in SHORT_WORDS:
        for budget in (1, 2, 3):
            close = within(word, budget, SHORT_WORDS)
            assert {w for _, w in close} <= set(index.near(word, budget)), (word, budget)
            assert index.closest(word, budget) == (close[0][1] if close else None)


def test_the_closest_word_is_found_when_the_word_itself_is_not_there(way):
    vocabulary = [w for w in SHORT_WORDS if len(w) != 4]  # every 4-letter word is missing
    index = _NearWords(vocabulary)
    for word in (w for w in SHORT_WORDS if len(w) == 4):
        for budget in (1, 2, 3):
            close = within(word, budget, vocabulary)
            assert index.closest(word, budget) == (close[0][1] if close else None)


def two_edits(word: str, rng: random.Random) -> str:
    """`word` with two typos (never the first letter, nor one undoing the other)."""
    for _ in range(100):
        typed = word
        for _ in range(2):
            i = rng.randrange(1, len(typed) - 1)
            typed = rng.choice(
                [
                    typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :],  # transposed
                    typed[:i] + typed[i + 1 :],  # dropped
                    typed[:i] + typed[i] + typed[i:],  # doubled
                    typed[:i] + rng.choice("aeiouy") + typed[i + 1 :],  # another vowel
                ]
            )
        if DamerauLevenshtein.distance(word, typed) == 2:
            return typed
    raise AssertionError(word)


def test_a_name_misspelt_twice_finds_its_entry_among_10000(huge):
    """A product name is in one entry of 10,000: two typos in it still find that entry, when
    no other name is as close to what was typed (the 10,000 names are close to each other)."""
    entries = huge.content.entries[:10_000]
    names = [entry.keywords[0] for entry in entries]
    rng = random.Random(11)
    tried = 0
    for entry in rng.sample(entries, 60):
        (name,) = entry.keywords
        typed = two_edits(name, rng)
        close = process.extract(
            typed, names, scorer=DamerauLevenshtein.distance, score_cutoff=2, limit=2
        )
        if [w for w, _, _ in close] != [name]:
            continue
        tried += 1
        match = huge.match(f"what about {typed}")
        assert match.entry is entry, (typed, name, match.candidates[:1])
    assert tried >= 20


@pytest.mark.parametrize("size", ["small", "huge"])
def test_a_long_name_misspelt_three_times_is_still_found(request, size):
    matcher: Matcher = request.getfixturevalue(size)
    match = matcher.match("zenchudnrrawk")  # zenchundrawk, a transposition and two letters off
    assert match.entry is not None and match.entry.number == 2005


def test_a_misspelling_reads_the_same_at_every_size(small, big, huge):
    """The word a misspelling is read as depends on the words the content has, never on how
    many others it has: the hand-picked names' misspellings read the same in all three."""
    for typed in ("velmoran", "vexgrizolt", "vexgrizbollt", "zencudnrawk", "zenchudnrrawk"):
        assert small._correct(typed) == big._correct(typed) == huge._correct(typed), typed
