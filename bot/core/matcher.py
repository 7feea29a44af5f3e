"""Which entry answers a chat message, and how sure we are.

The content is small and hand-written, and its entries share a subject (every one mentions
Kubernetes and AI), so the question is less "which entry is similar" than "which words in the
message point at exactly one entry". The matcher therefore scores each entry by the share of the
message's information it explains:

* every word is weighed by how well it tells entries apart (an IDF over entries), and words the
  content declares `generic_terms` hardly count: "kubernetes pod" identifies nothing;
* a word counts for more when it is one of the entry's curated keywords than when it is in the
  question, and for more in the question than only somewhere in the answer;
* words the content has never seen still count against the score (a message about vim or lunch is
  mostly unexplained), so unrelated messages are declined instead of guessed;
* misspellings are mapped to the content's own vocabulary with rapidfuzz, and the content's
  `synonyms` rewrite abbreviations (k8s) before any of this.

A match is confident only when it explains enough of the message *and* stands clear of the
runner-up; otherwise the caller gets close candidates ("did you mean") or nothing.

Editors can teach it (learning from use): an entry's `examples:` are phrasings people used for
it, and the content's `declines:` are messages that must not be answered. A message whose
content stems nearly equal a taught phrase's (rapidfuzz token_sort_ratio over `stem_key`, in
C) gets that verdict before any scoring: the editor has already said what it means.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Indel

from bot.core.aspects import EVALUATIVE
from bot.core.content import Content, Entry
from bot.core.english import english_words
from bot.core.english import loaded as english_loaded
from bot.core.text import clean, gc_paused, is_stopword, stem, stem_key, stems_of, words

KEYWORD, QUESTION, ANSWER = 1.0, 0.7, 0.4  # how much a word says about an entry, by where it occurs
GENERIC_WEIGHT = 0.15  # a generic term's share of its normal weight
UNKNOWN_INFO = 0.7  # what a word the content never uses counts against a match
PHRASE_BONUS = 0.5  # a whole multi-word keyword in the message, in order, on top of its words
MIN_TYPO_LEN = 5  # shorter words are too easily one edit away from another real word


def typo_budget(word: str) -> int:
    """Edits (Damerau-Levenshtein) a misspelling may be from the content word it stands for:
    one for a short word, more for a long one ("chart" is not "charity"; "chronosfere" is
    "chronosphere")."""
    return 1 if len(word) < 8 else 2 if len(word) < 12 else 3


ANSWER_COVERAGE = 0.6  # confident: the entry has most of the message's information…
ANSWER_EVIDENCE = 0.45  # …with at least this much discriminating evidence…
CLEAR_MARGIN = 0.8  # …and the runner-up scores at most this share of the best
DOMINANT_EVIDENCE = 1.2  # or: a long message whose strong words all point one way…
DOMINANT_SCORE = 0.3  # …explaining a fair part of it…
DOMINANT_RATIO = 0.55  # …with the runner-up's evidence at most about half as strong
AGREEING_WORDS = 2  # or: this many of the message's specific words are the best entry's…
AGREEING_EVIDENCE = 1.0  # …giving it at least a unique keyword's worth of evidence…
AGREEING_SCORE = 0.25  # …explaining a quarter of the message…
AGREEING_MARGIN = 0.7  # …with the runner-up at most this share of it (bench/decision_fit.py)
SUGGEST_SCORE = 0.3  # below a confident answer but worth offering
SUGGEST_EVIDENCE = 0.3
MAX_ALTERNATIVES = 3
TAUGHT_SIMILAR = 90  # token_sort_ratio (0..100) from which a message is a taught phrasing
TYPO_SIMILAR = 80  # ratio (0..100) from which a word of a decline's near-repeat misspells it


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    score: float  # share of the message's information this entry explains (> 1: a phrase too)
    evidence: float  # that information in absolute terms: how much the message says at all
    coverage: float  # share of the message's information found anywhere in the entry (a
    # keyword phrase named in full counts as found), 0..1

    @property
    def confidence(self) -> float:
        """The score as a 0..1 figure for people and JSON."""
        return round(min(1.0, self.score), 3)


@dataclass(frozen=True)
class Match:
    """The matcher's verdict: `entry` is set only when it is confident."""

    entry: Entry | None
    score: float
    candidates: tuple[Candidate, ...]  # best first, at most MAX_ALTERNATIVES + 1
    # the entry is the editors' verdict on a phrasing they accepted (`examples:`), not the
    # ranking's: nothing second-guesses it
    taught: bool = False

    @property
    def alternatives(self) -> tuple[Candidate, ...]:
        """Entries worth offering as "did you mean" (empty when the message matched nothing)."""
        if self.entry is not None:
            return tuple(c for c in self.candidates if c.entry is not self.entry)[:MAX_ALTERNATIVES]
        return tuple(
            c
            for c in self.candidates
            if c.score >= SUGGEST_SCORE and c.evidence >= SUGGEST_EVIDENCE
        )[:MAX_ALTERNATIVES]


@dataclass(frozen=True)
class Query:
    """A message reduced to weighted stems, kept so callers can explain a verdict."""

    stems: tuple[str, ...]  # distinct, in message order
    info: tuple[float, ...]  # how much each stem tells apart entries
    phrases: tuple[int, ...]  # indexes of keyword phrases present in full


def _set_bits(bits: int) -> Iterator[int]:
    """The positions of the 1 bits of `bits`, lowest first."""
    digits = bin(bits)[:1:-1]  # lowest bit first
    i = digits.find("1")
    while i >= 0:
        yield i
        i = digits.find("1", i + 1)


class _NearWords:
    """The content words that may be within a few edits of a misspelling, found without
    measuring the misspelling against each of them.

    Only words of about its length that share its first or second letter are looked at. A
    few such words are scanned in C (rapidfuzz: insertions and deletions counted bit-parallel,
    ~60 ns a word); any word within `k` Damerau-Levenshtein edits is within `2k` of those,
    since each edit removes at most one letter from the two words' longest common subsequence.

    Many such words of a length (a large content has tens of thousands) are narrowed first. A
    word `t` within `k` edits of `w` has every letter of `w` near where `w` has it, but for at
    most `k`: only an inserted or substituted letter of `w` goes missing (one edit each), and a
    kept letter, transposed or not, moves only as far as the insertions and deletions before it
    allow. With `d` = len(t) - len(w), deletions outnumber insertions by `d`, so a kept letter
    moves between -(k + 1 - d) // 2 and (k + 1 + d) // 2 places (the 1: a transposition), and
    at most k - d letters go missing when `t` is longer. So every word is a bit in one integer
    per (length, letter, span of positions): the words of that length with that letter in the
    span; the misses of all the words of a length are counted at once with a few integer ORs
    and ANDs per letter of `w`, in C. (tests/core/test_matcher_scale.py checks this against
    every pair of short words.)

    Either way the words returned are a superset of those within `k` edits, to be measured;
    none of those is ever lost."""

    # narrowing a length takes about `budget` + 3 integer operations per letter of the
    # misspelling (see _within), each costing about as much as scanning this many words
    SCAN_PER_OPERATION = 4  # measured at 100, 1,000 and 10,000 entries (bench/matcher.py)

    def __init__(self, vocabulary: Iterable[str]) -> None:
        ordered = sorted(vocabulary, key=lambda w: (len(w), w))
        # (0, a first letter) or (1, a second letter) -> the words that have it, sorted by
        # (length, word), and their lengths: the lengths within a budget are one slice
        grouped: dict[tuple[int, str], list[str]] = defaultdict(list)
        for w in ordered:
            grouped[(0, w[0])].append(w)
            grouped[(1, w[1])].append(w)
        self._groups = {key: (group, [len(w) for w in group]) for key, group in grouped.items()}
        by_length: dict[int, list[str]] = defaultdict(list)
        for w in ordered:
            by_length[len(w)].append(w)
        # a length is narrowed only when a misspelling reaches more of its words than are
        # scanned as fast, and none reaches more than its largest first and second letter
        # groups: a small content's lengths (the real content's) are only ever scanned
        fewest = self.SCAN_PER_OPERATION * MIN_TYPO_LEN * (1 + 3)
        self._lengths = {
            n: _LengthIndex(group)
            for n, group in by_length.items()
            if max(Counter(w[0] for w in group).values())
            + max(Counter(w[1] for w in group).values())
            > fewest
        }

    def closest(self, word: str, budget: int) -> str | None:
        """The word fewest edits from `word` (at most `budget`; ties: the first in alphabetical
        order) among those that share its first or second letter. When few words are of
        about its length, they are all scanned at once. Otherwise the lengths nearest its own
        come first: a word `d` letters longer or shorter is at least `d` edits away, so once
        a word is found, farther lengths are skipped and nearer ones need no larger budget."""
        n = len(word)
        within = self._within(word, budget, n - budget, n + budget)
        if within is not None:
            found = self._best(word, budget, self._scanned(word, budget, within))
        else:
            found = None
            for m in sorted(range(n - budget, n + budget + 1), key=lambda m: abs(m - n)):
                if abs(m - n) > budget:
                    break
                nearest = self._best(word, budget, self._of_length(word, budget, m))
                if nearest is not None and (found is None or nearest < found):
                    found = nearest
                    budget = nearest[0]
        return found[1] if found else None

    def near(self, word: str, budget: int) -> Iterator[str]:
        """Words that may be within `budget` edits of `word` and share its first or second
        letter, the way `closest` finds them: a superset of those that are."""
        n = len(word)
        within = self._within(word, budget, n - budget, n + budget)
        if within is not None:
            yield from self._scanned(word, budget, within)
        else:
            for m in range(n - budget, n + budget + 1):
                yield from self._of_length(word, budget, m)

    def _within(
        self, word: str, budget: int, lo: int, hi: int, however_many: bool = False
    ) -> tuple[list[str], list[str]] | None:
        """The words of lengths `lo` to `hi` that share the first or the second letter of
        `word`, or None when there are more than are scanned as fast as those lengths are
        narrowed (about `budget` + 3 integer operations per letter of `word` and length; the
        nearest lengths first, rarely more than three are)."""
        first, first_lengths = self._groups.get((0, word[0]), ((), ()))
        second, second_lengths = self._groups.get((1, word[1]), ((), ()))
        i, j = bisect_left(first_lengths, lo), bisect_right(first_lengths, hi)
        k, m = bisect_left(second_lengths, lo), bisect_right(second_lengths, hi)
        lengths = min(hi - lo + 1, 3)
        many = self.SCAN_PER_OPERATION * len(word) * (budget + 3) * lengths
        if (j - i) + (m - k) > many and not however_many:
            return None
        return first[i:j], second[k:m]

    @staticmethod
    def _best(word: str, budget: int, words: Iterable[str]) -> tuple[int, str] | None:
        """(edits, word) for the word of `words` fewest edits from `word`, within `budget`."""
        best: tuple[int, str] | None = None
        for w in words:
            d = DamerauLevenshtein.distance(word, w, score_cutoff=budget)
            if d <= budget and (best is None or (d, w) < best):
                best = (d, w)
        return best

    @staticmethod
    def _scanned(word: str, budget: int, groups: Iterable[list[str]]) -> Iterator[str]:
        """The words of `groups` within 2 x `budget` insertions and deletions of `word` (a
        word in two groups comes twice)."""
        for group in groups:
            for w, _, _ in process.extract(
                word, group, scorer=Indel.distance, score_cutoff=2 * budget, limit=None
            ):
                yield w

    def _of_length(self, word: str, budget: int, m: int) -> Iterable[str]:
        """`near`, for the words of length `m` alone: scanned when few, else narrowed."""
        within = self._within(word, budget, m, m)
        if within is None and m in self._lengths:
            return self._lengths[m].narrowed(word, budget)
        return self._scanned(word, budget, within or self._within(word, budget, m, m, True))


class _LengthIndex:
    """The words of one length and where they have which letters, for `_NearWords`."""

    def __init__(self, group: list[str]) -> None:
        n = len(group[0])
        self.group = group  # alphabetical
        # spans[p][j][letter]: the words (bit b: group[b]) with that letter in positions
        # j .. j + 2**p - 1, for spans of 1, 2 and 4 positions (any span of up to 8, a budget's
        # of up to 6 edits, is two of them)
        marks: list[dict[str, bytearray]] = [{} for _ in range(n)]
        size = len(group) // 8 + 1
        for b, w in enumerate(group):
            byte, bit = b >> 3, 1 << (b & 7)
            for at, c in zip(marks, w, strict=True):
                mark = at.get(c)
                if mark is None:
                    mark = at[c] = bytearray(size)
                mark[byte] |= bit
        spans = [[{c: int.from_bytes(m, "little") for c, m in at.items()} for at in marks]]
        for half in (1, 2):
            wider = []
            for j, at in enumerate(spans[-1]):
                merged = dict(at)
                for c, bits in (spans[-1][j + half] if j + half < n else {}).items():
                    merged[c] = merged.get(c, 0) | bits
                wider.append(merged)
            spans.append(wider)
        self.spans = spans

    def narrowed(self, word: str, budget: int) -> Iterator[str]:
        """The words of this length that share the first or second letter of `word` and have
        all but the allowed number of its letters near where it has them."""
        spans, m = self.spans, len(self.group[0])
        d = m - len(word)
        before, after = -((budget + 1 - d) // 2), (budget + 1 + d) // 2
        misses = budget - max(0, d)
        candidates = spans[0][0].get(word[0], 0) | spans[0][1].get(word[1], 0)
        # within[f]: the candidates missing at most f of the letters of `word` seen so far
        within = [candidates] * (misses + 1)
        for i, c in enumerate(word):
            first, last = max(0, i + before), min(m - 1, i + after)
            around = 0
            if first <= last:  # the span, as (overlapping) spans of a power-of-two length
                p = min((last - first + 1).bit_length(), len(spans)) - 1
                width, level = 1 << p, spans[p]
                around = level[last - width + 1].get(c, 0)
                for j in range(first, last - width + 1, width):
                    around |= level[j].get(c, 0)
            for f in range(misses, 0, -1):
                within[f] = (within[f] & around) | within[f - 1]
            within[0] &= around
            if not within[misses]:
                return
        yield from map(self.group.__getitem__, _set_bits(within[misses]))


class _Memo(dict[str, tuple[str, ...]]):
    """word -> what `compute` makes of it, filled on first use and cleared when it holds more
    than `bound` words: chat can invent words without end. `compute` must not hold the
    Matcher: a cycle would keep every replaced Matcher alive once the runner has frozen the
    heap, where reference counting alone frees them."""

    def __init__(self, compute: Callable[[str], tuple[str, ...]], bound: int) -> None:
        super().__init__()
        self._compute = compute
        self._bound = bound

    def __missing__(self, word: str) -> tuple[str, ...]:
        if len(self) > self._bound:
            self.clear()
        value = self[word] = self._compute(word)
        return value


def _stems_of(synonyms: dict[str, tuple[str, ...]]) -> Callable[[str], tuple[str, ...]]:
    """word -> the stems it stands for (its synonym's, if it has one; none for a stopword)."""

    def stems(word: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in synonyms.get(word, (word,)) if not is_stopword(w))

    return stems


class _Corrector:
    """Which content word a word typed counts as: itself, or the content word it is a
    misspelling of (a real English word is no typo)."""

    def __init__(
        self,
        synonyms: Collection[str],
        idf: Collection[str],
        targets: frozenset[str],
        near: _NearWords,
    ) -> None:
        self._synonyms, self._idf, self._targets, self._near = synonyms, idf, targets, near

    def decide(self, word: str) -> str:
        if (
            len(word) < MIN_TYPO_LEN
            or word in self._synonyms
            or is_stopword(word)
            or stem(word) in self._idf
        ):
            return word
        # a real word is no typo ("tracking"): asked first when the list is in memory, as in a
        # running bot, which then spares the scan for every everyday word; else only when a
        # correction is found, so a one-off `ask` without one never reads the list
        if english_loaded() and word in english_words():
            return word
        corrected = self._closest(word, typo_budget(word))
        if corrected is None or word in english_words():
            return word
        return corrected

    def _closest(self, word: str, budget: int) -> str | None:
        """The content word fewest edits from `word` (at most `budget`; ties: the first in
        alphabetical order), among words of about its length that share its first or second
        letter. `_NearWords` narrows the content's words to the few that may be that close;
        only they are measured (Damerau-Levenshtein, in C)."""
        if word in self._targets:
            return word
        return self._near.closest(word, budget)


class Matcher:
    """An index over one Content; build once per content version, then `match` is cheap."""

    def __init__(self, content: Content) -> None:
        with gc_paused():
            self._build(content)

    def _build(self, content: Content) -> None:
        self.content = content
        self._synonyms = {k: tuple(words(clean(v))) for k, v in content.model.synonyms.items()}
        self._generic = stems_of(content.model.generic_terms)
        self._word_stems = _Memo(_stems_of(self._synonyms), 200_000)  # word -> its stems
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        phrases: list[tuple[tuple[str, ...], int]] = []
        for i, entry in enumerate(content.entries):
            # weights ascend ANSWER < QUESTION < KEYWORD: later updates overwrite with more
            weights = dict.fromkeys(self._stems(words(clean(entry.answer))), ANSWER)
            weights.update(dict.fromkeys(self._stems(words(clean(entry.question))), QUESTION))
            singles: list[str] = []
            for keyword in entry.keywords:
                raw = words(clean(keyword))
                stems = self._stems(raw)
                if len(raw) > 1:
                    # a word of a phrase says less than the phrase: "platform" alone is not
                    # "platform engineers", "call" is not "on-call"; the whole phrase earns
                    # PHRASE_BONUS instead
                    if len(stems) > 1:
                        phrases.append((tuple(stems), i))
                    if len(stems) == 2:  # "AI platform" said as "the platform for AI"
                        phrases.append(((stems[1], stems[0]), i))
                    weights.update(dict.fromkeys(stems, QUESTION))
                else:
                    singles.extend(stems)
            weights.update(dict.fromkeys(singles, KEYWORD))
            for s, weight in weights.items():
                postings[s][i] = weight
        n = len(content.entries)
        norm = math.log(1 + n)
        self._idf = {s: math.log(1 + n / len(p)) / norm for s, p in postings.items()}
        # each stem's information, once: a query weighs every stem of every message
        self._stem_info = {s: self.info(s) for s in (*self._idf, *self._generic)}
        # nouns that ask for a view ("lesson", "future", "impact"), which is what every answer
        # gives: one the content never uses says what is asked about the topic, not that the
        # message is about something else, so it does not count against a match (see `rank`)
        self._asked_views = frozenset(stem(w) for w in EVALUATIVE) - self._idf.keys()
        # stem -> {entry: what the stem gains it}: a stem's information is fixed by the content,
        # so info x weight is multiplied here once, not per posting per query (three shared
        # products per stem, so this costs no more memory than the weights did)
        self._gains: dict[str, dict[int, float]] = {}
        for s, weighted in postings.items():
            info = self._stem_info[s]
            products = {w: info * w for w in (KEYWORD, QUESTION, ANSWER)}
            self._gains[s] = {i: products[w] for i, w in weighted.items()}
        self._phrases = phrases
        self._number: dict[str, int] = {e.id: i for i, e in enumerate(content.entries)}
        # taught phrasings: stem keys, the entry each stands for (None: a decline), as written
        taught = [(x, entry) for entry in content.entries for x in entry.examples]
        taught += [(x, None) for x in content.model.declines]
        keyed = [(stem_key(x), x, entry) for x, entry in taught]
        self._taught_keys = [key for key, _, _ in keyed if key]
        self._taught_entries = [entry for key, _, entry in keyed if key]
        self._taught_phrases = [x for key, x, _ in keyed if key]
        # two-stem phrases (most keywords of two words, and each said the other way round) by
        # their pair, found with one set intersection per message; longer ones by first stem
        self._pairs: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._phrases_by_first: dict[str, list[int]] = defaultdict(list)
        for p, (phrase, _) in enumerate(phrases):
            if len(phrase) == 2:
                self._pairs[phrase].append(p)
            else:
                self._phrases_by_first[phrase[0]].append(p)
        # the words typos are corrected to: every content word that means something (a large
        # content has tens of thousands), indexed so the few near a misspelling are found fast
        self._targets = frozenset(
            w for w, stems in self._word_stems.items() if stems and len(w) >= MIN_TYPO_LEN - 1
        )
        self._near = _NearWords(self._targets)
        # every word met so far -> the stems it counts as (its own, or those of the content word
        # it is a misspelling of): most words of a message were in an earlier one, and deciding
        # costs a stemming and several lookups, a misspelling far more. One lookup in C per word
        # (a dict's __missing__ for new ones), where a method call corrected each word and a
        # second lookup stemmed it (bench/respond_instructions.py)
        self._corrector = corrector = _Corrector(
            self._synonyms, self._idf, self._targets, self._near
        )
        word_stems = self._word_stems
        self._counted = _Memo(lambda word: word_stems[corrector.decide(word)], 100_000)
        self._last_query: tuple[tuple[str, ...], Query] | None = None

    def _stems(self, raw: Iterable[str]) -> list[str]:
        """The stems that count in `raw`: synonyms applied, stopwords dropped."""
        return list(chain.from_iterable(map(self._word_stems.__getitem__, raw)))

    def _correct(self, word: str) -> str:
        """`word`, or the content word it is a misspelling of (not kept: `_counted` keeps the
        stems each word counts as)."""
        return self._corrector.decide(word)

    @property
    def generic(self) -> frozenset[str]:
        """The stems of the content's `generic_terms` (weighed next to nothing)."""
        return self._generic

    def info(self, s: str) -> float:
        """How much a stem tells entries apart: generic terms next to nothing (and nothing at
        all when no entry even uses them: "tom", "webinar"), unknown words UNKNOWN_INFO."""
        idf = self._idf.get(s)
        if s in self._generic:
            return (idf or 0.0) * GENERIC_WEIGHT
        return UNKNOWN_INFO if idf is None else idf

    def query(self, raw_words: Sequence[str]) -> Query:
        """The message's weighed stems. The responder asks for the same words up to three
        times per message (which words are known, the match, what the entry leaves unsaid):
        the last query is kept, so they are corrected and weighed once."""
        key = tuple(raw_words)
        last = self._last_query
        if last is not None and last[0] == key:
            return last[1]
        query = self._query(key)
        self._last_query = (key, query)
        return query

    def _query(self, raw_words: Sequence[str]) -> Query:
        stems = list(chain.from_iterable(map(self._counted.__getitem__, raw_words)))
        info = self._stem_info.get  # as `self.info`, looked up once per stem for good
        kept = [(s, i) for s in dict.fromkeys(stems) if (i := info(s, UNKNOWN_INFO)) > 0]
        starts, pairs = self._phrases_by_first, self._pairs
        found = [p for pair in pairs.keys() & pairwise(stems) for p in pairs[pair]]
        found += [
            p
            for i, first in enumerate(stems)
            if first in starts
            for p in starts[first]
            if tuple(stems[i : i + len(self._phrases[p][0])]) == self._phrases[p][0]
        ]
        phrases = tuple(dict.fromkeys(sorted(found)))
        if not kept:
            return Query((), (), phrases)
        kept_stems, kept_info = zip(*kept, strict=True)
        return Query(kept_stems, kept_info, phrases)

    def word_kinds(self, raw_words: Sequence[str]) -> tuple[int, int]:
        """(known, unknown): how many of the message's stems tell entries apart (a content word
        that is not a generic term) and how many the content never uses. Chat filler, generic
        terms and words no entry uses but the content declares ("webinar") are neither.
        Asked of a word or two by most rules ("is this subject a name?"), it counts their stems
        without building a query: that replaced the message's own query, kept for the rules
        after it (`query`), which then corrected and weighed the message again."""
        key = tuple(raw_words)
        last = self._last_query
        if last is not None and last[0] == key:
            stems: Iterable[str] = last[1].stems
        else:
            info = self._stem_info.get
            counted = chain.from_iterable(map(self._counted.__getitem__, key))
            stems = [s for s in dict.fromkeys(counted) if info(s, UNKNOWN_INFO) > 0]
        known = unknown = 0
        for s in stems:
            if s not in self._idf:
                unknown += 1
            elif s not in self._generic:
                known += 1
        return known, unknown

    def unexplained(self, raw_words: Sequence[str], entry: Entry) -> list[str]:
        """The message's stems (synonyms applied, misspellings corrected, generic terms
        included) that `entry`'s question, answer and keywords never use. A question asking
        for a specific fact is answered by an entry only if this is empty: a word the entry
        does not say ("which *cloud* does Niantic run on") is the fact it does not give."""
        i = self._number[entry.id]
        return [s for s in self.query(raw_words).stems if i not in self._gains.get(s, ())]

    def rank(self, q: Query) -> list[Candidate]:
        # Unknown words count against a match with diminishing weight: one stray word in a
        # short message matters, the tenth in a long, chatty question much less. A noun asking
        # for a view ("Niantic lesson?", "AI observability future?") is no stray word.
        idf, views, unknown, total = self._idf, self._asked_views, 0, 0.0
        for s, i in zip(q.stems, q.info, strict=True):
            if s in idf:
                total += i
            elif s not in views:
                unknown += 1
        total += UNKNOWN_INFO * math.sqrt(unknown)
        if total <= 0:
            return []
        # The hot loop at scale (a word of a 10,000-entry content can be in hundreds of entries),
        # kept in C: an entry's gains are summed in message order; an entry a later word adds
        # is appended, as it is first seen. How much of the message each entry covers is only
        # needed for the few best, so it is summed for them alone (in the same order).
        gains = [self._gains[s] for s in q.stems if s in self._gains]
        gained: dict[int, float] = dict(gains[0]) if gains else {}
        several: set[int] = set()  # entries more than one word points at (some, at least)
        for more in gains[1:]:
            if len(more) < 32:  # a few entries: one pass costs less than the set operations
                get = gained.get
                gained.update({i: get(i, 0.0) + g for i, g in more.items()})
                continue
            both = gained.keys() & more.keys()
            if both:
                sums = {i: gained[i] + more[i] for i in both}
                gained.update(more)
                gained.update(sums)
                several |= both
            else:
                gained.update(more)
        for p in q.phrases:
            i = self._phrases[p][1]
            gained[i] = gained.get(i, 0.0) + PHRASE_BONUS
        entries = self.content.entries
        # only the few best become Candidates: a large content can match thousands weakly.
        # A phrase bonus can lift a score past 1: kept for ranking, it is the stronger match.
        # The best are the first MAX_ALTERNATIVES + 1 by score, ties in the order first seen
        # (heapq.nlargest is a stable sort). Among many, only those scoring at least as much
        # as the last of them are sorted: any `keep` entries' scores bound that from below,
        # and those of the few entries several words point at usually bound it closely.
        keep = MAX_ALTERNATIVES + 1
        if len(gained) > 8 * keep:
            some = [gained[i] for i in several] if len(several) >= keep else gained.values()
            at_least = heapq.nlargest(keep, some)[-1]
            contenders = [i for i, g in gained.items() if g >= at_least]
            best = heapq.nlargest(keep, contenders, key=gained.__getitem__)
        else:  # what nlargest returns (ties in the order first seen), without its overhead
            best = sorted(gained, key=gained.__getitem__, reverse=True)[:keep]
        covered = dict.fromkeys(best, 0.0)  # summed in message order, as it always was
        for s, info in zip(q.stems, q.info, strict=True):
            postings = self._gains.get(s, ())
            for i in best:
                if i in postings:
                    covered[i] += info
        # a keyword named in full is the entry's own name for its subject, however weak its
        # words are alone ("Cloud Native for Good": generic terms and filler): its bonus is
        # explained information, in coverage as in the score
        for p in q.phrases:
            i = self._phrases[p][1]
            if i in covered:
                covered[i] += PHRASE_BONUS
        ranked = [
            Candidate(entries[i], gained[i] / total, gained[i], min(1.0, covered[i] / total))
            for i in best
        ]
        ranked.sort(key=lambda c: (-c.score, c.entry.number))  # ties: the list's order
        return ranked

    def match_words(self, raw_words: Sequence[str]) -> Match:
        taught = self.taught(raw_words)
        if taught is not None and taught[0] is None:  # a recorded near-miss: declined as is
            return Match(None, 0.0, ())
        ranked = self.rank(self.query(raw_words))
        if taught is not None:  # a taught phrasing: its entry, the ranking for alternatives
            entry, similarity = taught
            return Match(entry, similarity, tuple(ranked), taught=True)
        if not ranked:
            return Match(None, 0.0, ())
        best = ranked[0]
        runner_up = ranked[1] if len(ranked) > 1 else None
        clear = runner_up is None or runner_up.score <= best.score * CLEAR_MARGIN
        dominant = runner_up is None or runner_up.evidence <= best.evidence * DOMINANT_RATIO
        # coverage counts a word found anywhere in the entry fully, so a message of words from
        # its answer alone can be "covered" while the entry explains little of it: never
        # answered when the entry scores below what would merely be offered
        confident = best.score >= SUGGEST_SCORE and (
            (best.coverage >= ANSWER_COVERAGE and best.evidence >= ANSWER_EVIDENCE and clear)
            or (best.score >= DOMINANT_SCORE and best.evidence >= DOMINANT_EVIDENCE and dominant)
        )
        if not confident:
            confident = self._agreeing(raw_words, best, runner_up)
        return Match(best.entry if confident else None, best.score, tuple(ranked))

    def _agreeing(
        self, raw_words: Sequence[str], best: Candidate, runner_up: Candidate | None
    ) -> bool:
        """Several of the message's specific words (not generic terms) are the best entry's,
        and the runner-up is well behind: answered though the message's chat ("so people keep
        saying…", "hype, or is there something real behind it") leaves the entry explaining
        only a quarter to a half of it.

        A chatty question that names its subject in two or three words was offered as "did
        you mean" (the coverage rule wants 60 %, the dominant one 1.2 of evidence), and that
        was most of the misses of writers who never saw the code. One specific word is not
        enough, however strong: "what's the max pods per node on GKE" and "Chronosphere vs
        Datadog" share one keyword with an entry and ask about something else. The thresholds
        were chosen leaving one tuning set out at a time (bench/decision_fit.py)."""
        if best.score < AGREEING_SCORE or best.evidence < AGREEING_EVIDENCE:
            return False
        if runner_up is not None and runner_up.score > best.score * AGREEING_MARGIN:
            return False
        i, generic = self._number[best.entry.id], self._generic
        shared = sum(
            1
            for s in self.query(raw_words).stems
            if s not in generic and i in self._gains.get(s, ())
        )
        return shared >= AGREEING_WORDS

    def match(self, text: str) -> Match:
        return self.match_words(words(clean(text)))

    def taught(self, raw_words: Sequence[str]) -> tuple[Entry | None, float] | None:
        """The editors' verdict on a message that nearly repeats a taught phrasing: (the
        entry, or None for a decline; similarity 0..1), or None when it repeats none."""
        found = self._taught_at(raw_words)
        if found is None:
            return None
        index, similarity = found
        return self._taught_entries[index], similarity

    def taught_phrase(self, raw_words: Sequence[str]) -> tuple[str, Entry | None] | None:
        """The taught phrasing (as written in the file) whose verdict the message gets, and its
        entry (None: a decline): for `check`, to name the decline that swallows a keyword."""
        found = self._taught_at(raw_words)
        if found is None:
            return None
        return self._taught_phrases[found[0]], self._taught_entries[found[0]]

    def _taught_at(self, raw_words: Sequence[str]) -> tuple[int, float] | None:
        if not self._taught_keys:
            return None
        key = stem_key(" ".join(raw_words))
        if not key:
            return None
        found = process.extract(
            key, self._taught_keys, scorer=fuzz.token_sort_ratio, score_cutoff=TAUGHT_SIMILAR,
            limit=3,
        )  # fmt: skip
        for _, similarity, index in found:
            if self._taught_entries[index] is None and not self._repeats(key, index):
                continue  # near a decline in letters, not in what it asks about
            return index, similarity / 100
        return None

    def _repeats(self, key: str, index: int) -> bool:
        """Whether a message (its stem key) near the taught phrasing `index` in letters asks
        what it asks: it says every word of the phrasing (or a misspelling of it), and no word
        the content knows that the phrasing lacks. A decline's near-repeats are declined before
        any scoring, and letters alone made "is kubernetes easier or harder for my team to
        adopt" a repeat of a decline of "… for my cat to adopt", and "the supply chain security
        of my app" one of "… of my car": on-topic questions declined for off-topic ones."""
        mine, taught = set(key.split()), set(self._taught_keys[index].split())
        for word in taught - mine:  # the phrasing's own word, left out or replaced
            if not any(fuzz.ratio(word, other) >= TYPO_SIMILAR for other in mine - taught):
                return False
        return not any(s in self._idf and s not in self._generic for s in mine - taught)
