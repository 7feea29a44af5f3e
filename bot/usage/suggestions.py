"""What the bot proposes to its editors: phrasings to add to an entry's `examples:`.

The evidence is a person's own choice. The bot was unsure about a question and offered "did you
mean", and the asker picked an entry: that question, in their words, is a phrasing of that
entry. The usage records already hold both halves (the unsure question keeps its text and the
key of the reply; the pick carries that key), so suggestions are derived from them when asked
for, never written on the reply path. An editor's decision (accepted or rejected) is what is
stored, under the suggestion's id, so a rejected phrasing does not come back.

Pure: built from `Asked` records and the current content, like the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.core.content import Content, folded
from bot.usage.records import PICKED, Asked

ACCEPTED, REJECTED = "accepted", "rejected"


@dataclass(frozen=True)
class Suggestion:
    id: str  # stable across runs and replicas: derived from the entry and the wording
    entry_id: str
    text: str  # the question as it was asked (its latest wording)
    picks: int  # how many times someone picked this entry for this wording
    last_at: dt.datetime


def suggestion_id(entry_id: str, text: str) -> str:
    return hashlib.sha256(f"{entry_id}\n{folded(text)}".encode()).hexdigest()[:8]


def from_picks(
    asked: Sequence[Asked], content: Content, decided: Collection[str] = ()
) -> list[Suggestion]:
    """Pending suggestions, most picked first: each unsure question whose asker picked an
    entry, less those decided already, those whose entry left the content, and phrasings the
    entry already has."""
    unsure = {a.reply_key: a for a in asked if a.outcome == "suggested" and a.text and a.reply_key}
    found: dict[str, Suggestion] = {}
    for pick in asked:
        question = unsure.get(pick.reply_key or "")
        if pick.outcome != PICKED or question is None or not pick.entry_id:
            continue
        entry = content.entry(pick.entry_id)
        text = question.text or ""
        sid = suggestion_id(pick.entry_id, text)
        if entry is None or sid in decided or folded(text) in map(folded, entry.examples):
            continue
        seen = found.get(sid)
        found[sid] = Suggestion(
            id=sid,
            entry_id=pick.entry_id,
            text=text,
            picks=(seen.picks if seen else 0) + 1,
            last_at=max(pick.at, seen.last_at) if seen else pick.at,
        )
    return sorted(found.values(), key=lambda s: (-s.picks, -s.last_at.timestamp(), s.id))
