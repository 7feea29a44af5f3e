"""`kubecon-bot report`: what people asked, what the bot answered, what helped, and what it could
not answer, so an editor knows which entry or keyword to add next.

Pure: built from `Asked`/`Voted` records and the current content, so it is tested without a
database and reads the same on SQLite and PostgreSQL.

Unanswered questions are grouped by similarity: each is reduced to its content stems (the
matcher's own normalisation: no filler, no inflection), and a greedy pass puts it in the first
group whose leader it resembles (rapidfuzz over the stems: tolerant of typos and word order),
most frequent first. Sharing one word is not enough on its own ("kubernetes" would swallow
everything): a group needs near-identical wording, or two shared stems, or half of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz, process

from bot.core.intents import number_reference
from bot.core.matcher import Match
from bot.core.replies import Kind
from bot.core.responder import Responder
from bot.core.text import clean, stem_key, words
from bot.usage.records import ANSWERED, PICKED, QUESTIONS, UNANSWERED, Asked, Voted

SIMILAR = 75  # rapidfuzz score (0..100) from which two questions belong together
EXAMPLES = 3  # other wordings shown under a group
CLOSE_SCORE = 0.35  # a group whose closest entry scores this much likely needs a keyword there


@dataclass(frozen=True)
class EntryUse:
    entry_id: str
    number: int | None  # None: the entry is no longer in the content
    question: str
    asked: int = 0
    up: int = 0
    down: int = 0

    @property
    def helpful(self) -> float | None:
        """Share of 👍 among the votes, None without votes."""
        votes = self.up + self.down
        return self.up / votes if votes else None


@dataclass(frozen=True)
class Group:
    """Similar unanswered questions."""

    count: int
    text: str  # the most frequent wording
    examples: tuple[str, ...]  # other wordings, most frequent first
    outcomes: dict[str, int]  # declined / suggested
    closest: str | None = None  # "Q5" of the entry that came closest, if any
    closest_question: str | None = None
    closest_score: float = 0.0
    picked: dict[str, int] = field(default_factory=dict)  # "Q5": times chosen from "did you mean"
    # words asking about an aspect the webinar never covers (the content's `not_covered`)
    uncovered: tuple[str, ...] = ()
    # the closest entry is its subject, but the question asks what its answer does not say
    # (a name, a number, a definition, how-to…: bot.core.aspects)
    beyond_closest: bool = False
    # "Q5" when the content as it is now answers the most frequent wording in the channel: an
    # editor taught it (suggestions accept, a keyword) after these questions were asked
    answered_now: str | None = None

    @property
    def advice(self) -> str:
        """What an editor might do. Never "add a keyword" for a question the closest entry
        cannot answer: the keyword would make the bot post that entry in the channel for it.
        Nothing to do for a question the content answers now: the advice was acted on."""
        if self.answered_now:
            return (
                f"answered now with {self.answered_now} (the content changed since): nothing to do"
            )
        if self.uncovered:
            asked = ", ".join(f"“{w}”" for w in dict.fromkeys(self.uncovered))
            return (
                f"asks about {asked}, which the webinar never covers (not_covered): out of "
                "scope; a keyword would post a wrong answer in the channel"
            )
        if self.picked:
            return self._picked_advice()
        if self.closest and self.closest_score >= CLOSE_SCORE and self.beyond_closest:
            return (
                f"closest: {self.closest} ({self.closest_score:.2f}), but its answer does not "
                "say what this asks: a new entry, or out of scope?"
            )
        if self.closest and self.closest_score >= CLOSE_SCORE:
            # a taught wording (`examples:`) answers this question and its close variants; a
            # keyword, one word, moved every message that has it towards the entry
            return (
                f"closest: {self.closest} ({self.closest_score:.2f}): if it answers this, add the "
                f"wording to {self.closest}'s examples"
            )
        if self.closest:
            return f"no entry is close (best {self.closest}, {self.closest_score:.2f}): a new one?"
        return "no entry is close: a new one, or out of scope?"

    @property
    def chosen(self) -> str | None:
        """The entry people picked from "did you mean" by a majority (`clear_choice`), None
        when they disagree or picked nothing."""
        return clear_choice(self.picked)

    def _picked_advice(self) -> str:
        """Recommend the entry people chose, and only when they agree on one: a keyword on
        one of several entries picked equally would make the bot post that one in the
        channel for askers who wanted the others."""
        total = sum(self.picked.values())
        chosen = self.chosen
        if chosen is None:
            each = ", ".join(f"{label} {n}×" for label, n in self.picked.items())
            return (
                f'people picked different entries from "did you mean" ({each}), none by a '
                "majority: see `kubecon-bot suggestions`"
            )
        times = self.picked[chosen]
        share = f"{times}×" if times == total else f"{times}× of {total}"
        picked = f'people picked {chosen} from "did you mean" ({share})'
        if self.beyond_closest and self.closest == chosen:
            # "what is MCP", picked for the entry that names it: taught, the bot would post
            # that answer, which defines nothing, in the channel (`suggestions` flags it ⚠)
            return (
                f"{picked}, but its answer does not say what this asks: see the ⚠ in "
                "`kubecon-bot suggestions` before accepting"
            )
        # what `suggestions accept` does: the wording becomes the entry's example, which
        # answers it and its close variants, where a keyword moved every message with the word
        return f"{picked}: accept the wording as its example (`kubecon-bot suggestions`)"


def clear_choice(choices: Mapping[str, int]) -> str | None:
    """What people agree on: the choice made more often than all the others together (a strict
    majority: 2 of 3 is one, 1 of 1 too; 1, 1 and 1 or 2 and 2 are not). None when they
    disagree. The one rule the report's advice (entries picked for a group of questions) and
    `suggestions` (the evidence for rival proposals of one phrasing) share, so neither calls a
    choice clear that the other calls disputed."""
    total = sum(choices.values())
    return next((choice for choice, n in choices.items() if 2 * n > total), None)


@dataclass(frozen=True)
class Day:
    """One UTC day's questions by outcome: the bars and the match-rate line of the page."""

    date: dt.date
    outcomes: dict[str, int]  # answered / repeat / suggested / declined

    @property
    def questions(self) -> int:
        return sum(self.outcomes.values())

    @property
    def match_rate(self) -> float | None:
        if not self.questions:
            return None
        return sum(self.outcomes.get(o, 0) for o in ANSWERED) / self.questions


@dataclass(frozen=True)
class Report:
    since: dt.datetime
    until: dt.datetime
    questions: int
    outcomes: dict[str, int]  # answered / repeat / suggested / declined / intent
    platforms: dict[str, int]  # questions by platform
    entries: list[EntryUse]
    unanswered: list[Group]
    texts_recorded: int  # unanswered questions whose text was kept
    groups: int = 0  # how many groups there were, `unanswered` the biggest of them
    votes: dict[str, int] = field(default_factory=dict)  # up / down
    days: list[Day] = field(default_factory=list)  # every UTC day from since to until

    @property
    def match_rate(self) -> float | None:
        if not self.questions:
            return None
        return sum(self.outcomes.get(o, 0) for o in ANSWERED) / self.questions


def build(
    asked: Sequence[Asked],
    voted: Sequence[Voted],
    responder: Responder,
    *,
    since: dt.datetime,
    until: dt.datetime,
    top_groups: int | None = 10,
) -> Report:
    """The report for [since, until): `top_groups` unanswered groups, the biggest first (None:
    every one; the digest leaves out those the content answers now, then takes its three)."""
    outcomes = Counter(a.outcome for a in asked)
    questions = [a for a in asked if a.outcome in QUESTIONS]
    platforms = Counter(a.platform for a in questions)
    # a number not on the list ("#11") was answered with the numbers there are: no question
    # for an editor to write an entry for
    unanswered = [
        a for a in questions if a.outcome in UNANSWERED and a.text and not _by_number(a.text)
    ]
    picks = [a for a in asked if a.outcome == PICKED]
    similar = group_similar([a.text or "" for a in unanswered])
    return Report(
        since=since,
        until=until,
        questions=len(questions),
        outcomes=dict(outcomes),
        platforms=dict(platforms),
        entries=_entries([*questions, *picks], voted, responder),
        unanswered=_groups(similar[:top_groups], unanswered, picks, responder),
        texts_recorded=len(unanswered),
        groups=len(similar),
        votes={"up": sum(v.vote > 0 for v in voted), "down": sum(v.vote < 0 for v in voted)},
        days=_days(questions, since, until),
    )


def _days(questions: Sequence[Asked], since: dt.datetime, until: dt.datetime) -> list[Day]:
    """Questions per UTC day by outcome, with a zero day for every day nobody asked (a chart
    with gaps closed up would misstate the trend)."""
    by_day: dict[dt.date, Counter[str]] = defaultdict(Counter)
    for a in questions:
        by_day[a.at.astimezone(dt.UTC).date()][a.outcome] += 1
    first, last = since.astimezone(dt.UTC).date(), until.astimezone(dt.UTC).date()
    return [
        Day(first + dt.timedelta(days=n), dict(by_day[first + dt.timedelta(days=n)]))
        for n in range((last - first).days + 1)
    ]


def _entries(
    asked: Sequence[Asked], voted: Sequence[Voted], responder: Responder
) -> list[EntryUse]:
    served = ANSWERED | {PICKED}
    counts = Counter(a.entry_id for a in asked if a.outcome in served and a.entry_id)
    up = Counter(v.entry_id for v in voted if v.vote > 0)
    down = Counter(v.entry_id for v in voted if v.vote < 0)
    content = responder.content
    uses = []
    for entry_id in counts.keys() | up.keys() | down.keys():
        entry = content.entry(entry_id)
        uses.append(
            EntryUse(
                entry_id=entry_id,
                number=entry.number if entry else None,
                question=entry.question if entry else f"({entry_id}: no longer in the content)",
                asked=counts[entry_id],
                up=up[entry_id],
                down=down[entry_id],
            )
        )
    return sorted(uses, key=lambda u: (-u.asked, -(u.up + u.down), u.number or 0, u.entry_id))


def group_similar(texts: Sequence[str], similar: int = SIMILAR) -> list[list[str]]:
    """`texts` in groups of similar questions, biggest group first; within a group, the most
    frequent wording first."""
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        by_key[stem_key(text) or text.casefold().strip()][text] += 1
    keys = sorted(by_key, key=lambda k: (-sum(by_key[k].values()), k))
    leaders: list[str] = []
    members: dict[str, list[str]] = {}
    for key in keys:
        home = _similar_leader(key, leaders, similar)
        if home is None:
            leaders.append(key)
            members[key] = [key]
        else:
            members[home].append(key)
    groups = []
    for leader in leaders:
        wordings: Counter[str] = Counter()
        for key in members[leader]:
            wordings.update(by_key[key])
        groups.append([text for text, _ in wordings.most_common() for _ in range(wordings[text])])
    groups.sort(key=len, reverse=True)
    return groups


def _similar_leader(key: str, leaders: list[str], similar: int) -> str | None:
    """The leader `key` resembles most: near-identical wording (token_sort_ratio), or one
    containing the other (token_set_ratio) with two stems, or half the longer one, shared.
    Among several, the one sharing most stems, then the closest."""
    stems = set(key.split())
    best: tuple[int, float, str] | None = None
    for leader, score, _ in process.extract(
        key, leaders, scorer=fuzz.token_set_ratio, score_cutoff=similar, limit=None
    ):
        theirs = set(leader.split())
        shared = len(stems & theirs)
        if (
            shared >= 2
            or 2 * shared >= max(len(stems), len(theirs))
            or fuzz.token_sort_ratio(key, leader) >= similar
        ) and (best is None or (shared, score) > best[:2]):
            best = (shared, score, leader)
    return best[2] if best else None


def _by_number(text: str) -> bool:
    """`text` asks for an entry by its number ("#11", "q12"), not a question."""
    cleaned = clean(text)
    return number_reference(words(cleaned), cleaned) is not None


def _groups(
    similar: Sequence[list[str]],
    unanswered: Sequence[Asked],
    picks: Sequence[Asked],
    responder: Responder,
) -> list[Group]:
    """The groups of `similar` texts, each with the entry that came closest and the entries
    people picked when offered "did you mean" (a pick carries the key of the suggestions it
    ends)."""
    picked_for = {p.reply_key: p.entry_id for p in picks if p.reply_key and p.entry_id}
    outcome_of: dict[str, Counter[str]] = defaultdict(Counter)
    picked_of: dict[str, Counter[str]] = defaultdict(Counter)
    for a in unanswered:
        outcome_of[a.text or ""][a.outcome] += 1
        if a.reply_key in picked_for:
            picked_of[a.text or ""][picked_for[a.reply_key]] += 1
    groups = []
    for texts in similar:
        distinct = list(dict.fromkeys(texts))
        outcomes: Counter[str] = Counter()
        picked: Counter[str] = Counter()
        for text in distinct:
            outcomes.update(outcome_of[text])
            picked.update(picked_of[text])
        cleaned = clean(distinct[0])
        raw = words(cleaned)
        match = responder.matcher.match_words(raw)
        best = match.candidates[0] if match.candidates else None
        beyond = best is not None and responder.doubts(
            raw, raw, Match(best.entry, best.score, match.candidates), cleaned
        )
        groups.append(
            Group(
                count=len(texts),
                text=distinct[0],
                examples=tuple(distinct[1 : 1 + EXAMPLES]),
                outcomes=dict(outcomes),
                closest=f"Q{best.entry.number}" if best else None,
                closest_question=best.entry.question if best else None,
                closest_score=best.confidence if best else 0.0,
                picked={_label(entry_id, responder): n for entry_id, n in picked.most_common()},
                uncovered=out_of_scope(distinct[0], responder),
                beyond_closest=beyond,
                answered_now=_answered_now(distinct[0], responder),
            )
        )
    return groups


def out_of_scope(text: str, responder: Responder) -> tuple[str, ...]:
    """The words of `text` asking about an aspect the webinar never covers (`not_covered`):
    a group led by such a wording is out of scope. The one verdict the report's advice and
    `suggestions` share, so a group is not out of scope in one and a new entry in the other."""
    return tuple(responder.never_covered(words(clean(text))))


def _answered_now(text: str, responder: Responder) -> str | None:
    reply = responder.respond(text)
    return (
        _label(reply.entry_id, responder) if reply.kind is Kind.ANSWER and reply.entry_id else None
    )


def _label(entry_id: str, responder: Responder) -> str:
    entry = responder.content.entry(entry_id)
    return f"Q{entry.number}" if entry else entry_id


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def as_text(report: Report, *, days: int) -> str:
    """The report as an editor reads it in a terminal."""
    o, n = report.outcomes, report.questions
    lines = [
        f"kubecon-bot usage, last {days} day{'s' if days != 1 else ''} "
        f"({report.since:%Y-%m-%d %H:%M} to {report.until:%Y-%m-%d %H:%M} UTC)",
        "",
    ]
    if not n and not o.get("intent") and not report.entries:
        return "\n".join([*lines, "Nothing recorded in this period."])
    where = ", ".join(f"{p} {c}" for p, c in sorted(report.platforms.items()))
    lines.append(f"Questions: {n}" + (f" ({where})" if where else ""))
    if o.get("intent"):
        lines.append(f"Help, list, takeaways, recording, greetings and thanks: {o['intent']}")
    answered = sum(o.get(k, 0) for k in ANSWERED)
    lines.append(
        f"Match rate: {_pct(answered, n)} answered · {_pct(o.get('suggested', 0), n)} "
        f'"did you mean" · {_pct(o.get("declined", 0), n)} declined'
    )
    up, down = report.votes.get("up", 0), report.votes.get("down", 0)
    lines.append(f"Votes: {up + down} (👍 {up}, 👎 {down})")

    lines += ["", "Most asked entries, and how helpful people found them"]
    if report.entries:
        lines.append(
            f"  {'entry':>5}  {'asked':>5}  {'👍':>3}  {'👎':>3}  {'helpful':>7}  question"
        )
        for e in report.entries:
            # one decimal, as the page and the digest show it: "67%" here read as another figure
            helpful = "-" if e.helpful is None else f"{100 * e.helpful:.1f}%"
            label = f"Q{e.number}" if e.number is not None else "?"
            lines.append(
                f"  {label:>5}  {e.asked:>5}  {e.up:>3}  {e.down:>3}  {helpful:>7}  "
                f"{_short(e.question, 70)}"
            )
    else:
        lines.append("  (no answers yet)")

    unanswered = o.get("suggested", 0) + o.get("declined", 0)
    lines += ["", "Unanswered questions, grouped by similarity (most frequent first)"]
    if report.unanswered:
        for g in report.unanswered:
            mix = ", ".join(f"{k} {v}" for k, v in sorted(g.outcomes.items()))
            lines.append(f"  {g.count:>4}×  “{_short(g.text, 80)}”  ({mix})")
            if g.examples:
                also = "; ".join(f"“{_short(t, 50)}”" for t in g.examples)
                lines.append(f"         also: {also}")
            lines.append(f"         {g.advice}")
        if report.groups > len(report.unanswered):
            more = report.groups - len(report.unanswered)
            lines.append(
                f"  … and {more} more group(s): `kubecon-bot report --days {days} --top "
                f"{report.groups}` shows them all"
            )
    elif unanswered and not report.texts_recorded:
        lines.append(
            f"  {unanswered} unanswered, but their text is not recorded (RECORD_QUESTIONS)"
        )
    else:
        lines.append("  (none)")
    return "\n".join(lines)


def as_json(report: Report) -> dict[str, object]:
    """The report for scripts and dashboards: the same figures, plain types."""
    return {
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "questions": report.questions,
        "match_rate": report.match_rate,
        "outcomes": report.outcomes,
        "platforms": report.platforms,
        "votes": report.votes,
        "entries": [{**asdict(e), "helpful": e.helpful} for e in report.entries],
        "unanswered": [
            {**asdict(g), "chosen": g.chosen, "advice": g.advice} for g in report.unanswered
        ],
        "texts_recorded": report.texts_recorded,
        "groups": report.groups,
        "days": [
            {
                "date": d.date.isoformat(),
                "questions": d.questions,
                "outcomes": d.outcomes,
                "match_rate": d.match_rate,
            }
            for d in report.days
        ],
    }


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
