"""What the bot proposes to its editors, from what people did.

Three kinds:

* **a phrasing** of an entry, to add to its `examples:`. The evidence is always a person's own
  choice: the bot was unsure and offered "did you mean", and the asker picked an entry (that
  question, in their words, is a phrasing of it); or the asker voted 👎 on an answer and then
  got another entry (`bot.usage.followups`: a `redirected` record); or an admin corrected an
  answer in chat to that entry (`bot.core.corrections`). `accept` writes it.
* **a decline**: an admin corrected an answer as "should not be answered"; `accept` adds the
  phrasing to the content's `declines:`.
* **a new entry**: people asked much the same thing several times and the bot could not
  answer (the report's grouping of declined and unsure questions). Nothing in the content can
  take it as a phrasing, so it cannot be accepted: an editor has to write the entry. It stops
  being proposed once the bot answers those questions, or when an editor rejects it. A group
  asking about what the content's `not_covered` lists is out of scope, as the report says, and
  not proposed.

The usage records already hold the evidence, so suggestions are derived from them when asked
for, never written on the reply path. What is stored is the editor's decision (accepted or
rejected), under the suggestion's id, so a decided suggestion does not come back.

Pure: built from `Asked` records, admins' `Correction`s and the current content, like the
report; `since` reads them from the usage tables, for every command that shows them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.core.content import Content, folded, taught_key
from bot.core.content_edit import ContentFile, EditError
from bot.core.corrections import Correction
from bot.core.replies import Kind
from bot.core.responder import Responder
from bot.usage.records import PICKED, REDIRECTED, UNANSWERED, Asked
from bot.usage.report import clear_choice, group_similar, out_of_scope

if TYPE_CHECKING:
    from bot.usage.log import UsageLog

ACCEPTED, REJECTED = "accepted", "rejected"
PHRASING, DECLINE, NEW_ENTRY = "phrasing", "decline", "new-entry"
CORRECTED = "admin correction"  # the source of a suggestion an admin made in chat
NEW_ENTRY_MIN = 3  # unanswered questions in one group before it is proposed as an entry
EXAMPLES = 3  # other wordings shown with a new-entry suggestion


@dataclass(frozen=True)
class Suggestion:
    id: str  # stable across runs and replicas: derived from the entry and the wording
    kind: str  # PHRASING, DECLINE or NEW_ENTRY
    text: str  # the question as it was asked (a new entry: its most frequent wording)
    last_at: dt.datetime
    entry_id: str | None = None  # a phrasing: the entry it is a phrasing of
    picks: int = 0  # a phrasing: picked for this entry from "did you mean"
    redirects: int = 0  # a phrasing: 👎 on another answer, then this entry
    corrections: int = 0  # a phrasing or a decline: answers admins corrected to it
    instead_of: str | None = None  # the entry the bot answered, in the last admin correction
    asked: int = 0  # a new entry: unanswered questions in the group
    examples: tuple[str, ...] = ()  # a new entry: other wordings, most frequent first
    closest: str | None = None  # a new entry: the id of the entry that came closest
    # other pending suggestions for the same phrasing (another entry, or a decline): the bot
    # can give a phrasing one verdict, so accepting one settles them all
    rivals: tuple[str, ...] = ()

    @property
    def acceptable(self) -> bool:
        """Whether `accept` can write it (a new entry needs an editor to write it)."""
        return self.kind in (PHRASING, DECLINE)

    @property
    def evidence(self) -> int:
        """How many times people asked for it: picks, redirects and admins' corrections, or
        questions in the group."""
        return self.picks + self.redirects + self.corrections + self.asked


def suggestion_id(entry_id: str, text: str) -> str:
    return hashlib.sha256(f"{entry_id}\n{folded(text)}".encode()).hexdigest()[:8]


def new_entry_id(text: str) -> str:
    return hashlib.sha256(f"\0new entry\n{folded(text)}".encode()).hexdigest()[:8]


def decline_id(text: str) -> str:
    return hashlib.sha256(f"\0decline\n{folded(text)}".encode()).hexdigest()[:8]


def since(
    usage: UsageLog, responder: Responder, start: dt.datetime, until: dt.datetime | None = None
) -> list[Suggestion]:
    """What `kubecon-bot suggestions list` shows: everything recorded from `start` on (and
    before `until`, for a digest's fixed period), less what editors decided. The one reading
    of the usage tables every command shares (the list, the report page, the digest's count),
    so none of them can leave a source out."""
    asked = usage.asked_since(start)
    corrections = usage.corrections_since(start)
    if until is not None:
        asked = [a for a in asked if a.at < until]
        corrections = [c for c in corrections if c.at < until]
    return pending(asked, responder, usage.decisions(), corrections=corrections)


def write(edit: ContentFile, suggestion: Suggestion) -> None:
    """Accept `suggestion` into the content file being edited: a phrasing into its entry's
    `examples:`, a decline into the top-level `declines:` (EditError if it cannot be)."""
    if suggestion.kind == DECLINE:
        edit.add_decline(suggestion.text)
    elif suggestion.kind == PHRASING and suggestion.entry_id:
        edit.add_example(suggestion.entry_id, suggestion.text)
    else:
        raise EditError(f"{suggestion.id} needs a new entry, written by an editor")


def pending(
    asked: Sequence[Asked],
    responder: Responder,
    decided: Collection[str] = (),
    *,
    corrections: Sequence[Correction] = (),
) -> list[Suggestion]:
    """Every pending suggestion: phrasings (most evidence first), declines (admins said some
    questions should not be answered), then new entries (largest group first)."""
    content = responder.content
    taught = [
        *phrasings(asked, content, decided, corrections=corrections),
        *declines(corrections, content, decided),
    ]
    return [*with_rivals(taught), *new_entries(asked, responder, decided)]


def with_rivals(found: Sequence[Suggestion]) -> list[Suggestion]:
    """`found`, each with the ids of the others that propose the same phrasing (as the
    matcher compares them, `taught_key`) for another entry or as a decline: they disagree."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for s in found:
        by_key[taught_key(s.text)].append(s.id)
    return [
        replace(s, rivals=tuple(i for i in by_key[taught_key(s.text)] if i != s.id)) for s in found
    ]


def disagreeing(chosen: Sequence[Suggestion]) -> list[list[Suggestion]]:
    """The sets of `chosen` suggestions that propose one phrasing two ways: at most one of each
    can be accepted, since the bot gives a phrasing one verdict (`check` refuses it taught
    twice)."""
    by_key: dict[str, list[Suggestion]] = defaultdict(list)
    for s in chosen:
        if s.acceptable:
            by_key[taught_key(s.text)].append(s)
    return [group for group in by_key.values() if len(group) > 1]


def clear_rival(s: Suggestion, pending: Mapping[str, Suggestion]) -> tuple[Suggestion, int] | None:
    """Of `s` and its rivals among `pending` (proposals of one phrasing two ways: only one can
    be accepted), the one with more than half of their evidence, which is what people chose
    (`report.clear_choice`, the rule the report's advice follows too), and their evidence
    in all ("2 of 3"); None when they disagree. Accepting another is the editor's right, but
    then against most of the askers."""
    rivals = {r.id: r for r in (s, *(pending[i] for i in s.rivals if i in pending))}
    evidence = {i: r.evidence for i, r in rivals.items()}
    chosen = clear_choice(evidence)
    return (rivals[chosen], sum(evidence.values())) if chosen is not None else None


def settled(content: Content) -> set[str]:
    """The phrasings the content teaches, examples and declines, as the matcher compares them:
    a suggestion for one of them, for whichever entry, was settled by the editor who taught
    it (and comes back if they remove it from the file)."""
    taught = {taught_key(x) for e in content.entries for x in e.examples}
    return taught | {taught_key(x) for x in content.model.declines}


def phrasings(
    asked: Sequence[Asked],
    content: Content,
    decided: Collection[str] = (),
    *,
    corrections: Sequence[Correction] = (),
) -> list[Suggestion]:
    """Pending phrasings, most evidence first: each unsure question whose asker picked an
    entry, each answered question whose asker voted 👎 and went on to another entry, and each
    answer an admin corrected to another entry; less those decided already, those whose entry
    left the content, and phrasings the entry already has. Once its asker went on from a
    question to an entry, their picks of other entries for it (the answer they disowned) are
    not evidence. A phrasing the content teaches already, for this entry or another, or as a
    decline, is settled (`settled`)."""
    unsure = {a.reply_key: a for a in asked if a.outcome == "suggested" and a.text and a.reply_key}
    redirects = [a for a in asked if a.outcome == REDIRECTED and a.text and a.entry_id]
    went_on = {a.reply_key: a.entry_id for a in redirects if a.reply_key}
    # entry, text, when, the source (a pick, a redirect, an admin's correction of `instead`)
    evidence: list[tuple[str, str, dt.datetime, str, str | None]] = []
    for pick in asked:
        question = unsure.get(pick.reply_key or "")
        if pick.outcome != PICKED or question is None or not pick.entry_id:
            continue
        if went_on.get(pick.reply_key, pick.entry_id) != pick.entry_id:
            continue
        evidence.append((pick.entry_id, question.text or "", pick.at, PICKED, None))
    evidence += [(a.entry_id or "", a.text or "", a.at, REDIRECTED, None) for a in redirects]
    evidence += [
        (c.entry_id, c.text, c.at, CORRECTED, c.answered_id) for c in corrections if c.entry_id
    ]
    # wordings the matcher cannot tell apart ("platform", "platforms?") are one suggestion,
    # under the first wording's ID; deciding any of them decides the phrasing
    decided_keys = {(e, taught_key(t)) for e, t, *_ in evidence if suggestion_id(e, t) in decided}
    found: dict[tuple[str, str], Suggestion] = {}
    taught = settled(content)
    for entry_id, text, at, source, instead in sorted(evidence, key=lambda e: e[2]):
        entry, key = content.entry(entry_id), (entry_id, taught_key(text))
        if entry is None or key in decided_keys or key[1] in taught:
            continue
        seen = found.get(key) or Suggestion(
            suggestion_id(entry_id, text), PHRASING, text, at, entry_id=entry_id
        )
        found[key] = Suggestion(
            id=seen.id,
            kind=PHRASING,
            text=seen.text,
            last_at=max(at, seen.last_at),
            entry_id=entry_id,
            picks=seen.picks + (source == PICKED),
            redirects=seen.redirects + (source == REDIRECTED),
            corrections=seen.corrections + (source == CORRECTED),
            instead_of=instead or seen.instead_of,
        )
    return _by_evidence(found.values())


def gone(usage: UsageLog, content: Content, start: dt.datetime) -> list[str]:
    """The entries that use since `start` proposed phrasings for (a pick, 👎 then a pick, an
    admin's correction) and that are no longer in the content: renamed, most likely. Their
    suggestions are not pending (there is no entry to teach), and without a word about them an
    editor who renamed an entry saw its suggestions vanish from the list."""
    named = [a.entry_id for a in usage.asked_since(start) if a.outcome in (PICKED, REDIRECTED)]
    named += [c.entry_id for c in usage.corrections_since(start)]
    return sorted({e for e in named if e and content.entry(e) is None})


def declines(
    corrections: Sequence[Correction], content: Content, decided: Collection[str] = ()
) -> list[Suggestion]:
    """Pending declines, most evidence first: answers admins said should not have been given,
    their phrasing proposed for the content's `declines:`; less those decided already and
    phrasings the content teaches already, as a decline or an example (`settled`)."""
    listed = settled(content)
    found: dict[str, Suggestion] = {}
    for c in sorted(corrections, key=lambda c: c.at):
        sid = decline_id(c.text)
        if c.entry_id is not None or sid in decided or taught_key(c.text) in listed:
            continue
        seen = found.get(sid)
        found[sid] = Suggestion(
            id=sid,
            kind=DECLINE,
            text=c.text,
            last_at=c.at,
            corrections=(seen.corrections if seen else 0) + 1,
            instead_of=c.answered_id,
        )
    return _by_evidence(found.values())


def _by_evidence(found: Iterable[Suggestion]) -> list[Suggestion]:
    return sorted(found, key=lambda s: (-s.evidence, -s.last_at.timestamp(), s.id))


def new_entries(
    asked: Sequence[Asked], responder: Responder, decided: Collection[str] = ()
) -> list[Suggestion]:
    """Groups of at least NEW_ENTRY_MIN similar unanswered questions (grouped as the report
    groups them) that no entry takes: questions whose asker picked or went on to an entry are
    phrasings, not a new entry, and so is their wording asked by others; questions the current
    content answers need nothing more.
    A group asking about an aspect `not_covered` lists is out of scope (`report.out_of_scope`,
    the report's verdict too): no entry the webinar could hold answers it.
    A group is decided when any of its wordings was decided as a group's leader, so a group
    whose most frequent wording changes does not come back under a new id."""
    to_entry = {a.reply_key for a in asked if a.outcome in (PICKED, REDIRECTED) and a.reply_key}
    # a wording someone took to an entry is that entry's phrasing (a suggestion of its own),
    # whoever else asked it without picking: proposing it as a new entry too told the editor
    # "add it to Q2" and "write a new entry" of one question
    phrased = {
        taught_key(a.text)
        for a in asked
        if a.text and (a.outcome == REDIRECTED or (a.reply_key and a.reply_key in to_entry))
    }
    answers: dict[str, bool] = {}
    last: dict[str, dt.datetime] = defaultdict(lambda: dt.datetime.min.replace(tzinfo=dt.UTC))
    texts: list[str] = []
    for a in asked:
        # the question someone went on from is among `phrased`, with every other asking of it
        if a.outcome not in UNANSWERED or not a.text or taught_key(a.text) in phrased:
            continue
        if a.text not in answers:
            answers[a.text] = responder.respond(a.text).kind is Kind.ANSWER
        if not answers[a.text]:
            texts.append(a.text)
            last[a.text] = max(last[a.text], a.at)
    found = []
    for group in group_similar(texts):
        if len(group) < NEW_ENTRY_MIN:
            break  # biggest first
        wordings = list(Counter(group))  # most frequent first, as group_similar orders them
        if any(new_entry_id(t) in decided for t in wordings):
            continue
        if out_of_scope(wordings[0], responder):
            continue  # the report says so; no entry can answer what the webinar never covers
        match = responder.matcher.match(wordings[0])
        found.append(
            Suggestion(
                id=new_entry_id(wordings[0]),
                kind=NEW_ENTRY,
                text=wordings[0],
                last_at=max(last[t] for t in wordings),
                asked=len(group),
                examples=tuple(wordings[1 : 1 + EXAMPLES]),
                closest=match.candidates[0].entry.id if match.candidates else None,
            )
        )
    return found


def as_json(suggestions: Sequence[Suggestion], content: Content, *, days: int) -> dict:
    """What `suggestions list --json` prints and the report page shows: the pending
    suggestions, their count, and the command that reviews them."""

    def number(entry_id: str | None) -> int | None:
        entry = content.entry(entry_id) if entry_id else None
        return entry.number if entry else None

    return {
        "count": len(suggestions),
        "days": days,
        "review": f"kubecon-bot suggestions --days {days}",
        "pending": [
            {
                "id": s.id,
                "kind": s.kind,
                "text": s.text,
                "entry_id": s.entry_id,
                "number": number(s.entry_id),
                "picks": s.picks,
                "redirects": s.redirects,
                "corrections": s.corrections,
                "instead_of": s.instead_of,
                "instead_of_number": number(s.instead_of),
                "asked": s.asked,
                "examples": list(s.examples),
                "closest": s.closest,
                "closest_number": number(s.closest),
                "rivals": list(s.rivals),
                "last_at": s.last_at.isoformat(),
            }
            for s in suggestions
        ],
    }
