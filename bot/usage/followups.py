"""Suggestions from a 👎 followed by another entry: the asker said the answer was wrong, then
found the right one, so their question, in their words, is a phrasing of that entry.

The difficulty is privacy. An answered question keeps no text in the database (only declined
and unsure ones do), and a 👎 arrives after the answer, as a button click that carries no text.
So the text of an answered question is held **in this process's memory only**, for a short
window (`WINDOW`, 10 minutes), and written nowhere unless all of this happens within it:

1. the bot answers someone's question (or they pick an answer from "did you mean");
2. that same person votes 👎 on that answer (a bystander's 👎 is a vote, not a statement
   about what the asker meant, so it keeps nothing);
3. that same person, in the same channel, then gets another entry: they ask again, pick from a
   "did you mean", or ask for it by number.

Only then is one `redirected` record written: the question's text and the entry they went on
to (no user id; the text was kept like an unsure question's, and retention prunes it like one).
Everything else is forgotten when the window closes. With `RECORD_QUESTIONS=false` nothing is
held at all. The memory is per process: when the answer, the vote and the follow-up land on
different replicas (or the bot restarted in between), no suggestion is made, and nothing is
recorded that could be wrong.

Pure bookkeeping, fed by the usage journal's observer with each handled message and its reply.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.core.feedback import VOTE, VOTED_ON, Vote
from bot.core.intents import number_reference
from bot.core.replies import PICKED_FROM, Reply
from bot.core.text import clean, stem_key, words
from bot.usage.records import PICKED, REDIRECTED, Asked, kept_text

if TYPE_CHECKING:
    from bot.core.app import Incoming

WINDOW = dt.timedelta(minutes=10)  # how long an answered question's text is held for a 👎
HELD_MAX = 10_000  # questions held at most (≤ 300 characters each): a burst cannot eat memory
SERVED = frozenset({"answered", "repeat", PICKED})  # outcomes that give the asker an entry

Place = tuple[str, str, str]  # platform, workspace, channel


@dataclass(frozen=True)
class _Held:
    """An answered question, in memory, while its asker may still disown the answer."""

    text: str
    asker: str  # who asked: their user id, in memory only (never written)
    place: Place
    entry_id: str  # the entry it was answered with
    key: str  # the key its record is filed under (the answer's, or the "did you mean"'s)
    at: dt.datetime


class Followups:
    """Holds answered questions for `window`, and says when one became a redirect."""

    def __init__(self, window: dt.timedelta = WINDOW, limit: int = HELD_MAX) -> None:
        self.window = window
        self.limit = limit
        self._answers: OrderedDict[str, _Held] = OrderedDict()  # answer's reply key -> question
        self._offers: OrderedDict[str, tuple[str, dt.datetime]] = OrderedDict()  # "did you mean"
        self._disputed: OrderedDict[tuple[str, Place], _Held] = OrderedDict()  # after a 👎

    def observe(self, incoming: Incoming, reply: Reply, at: dt.datetime) -> Asked | None:
        """Note one handled message; the `redirected` record it completes, if any."""
        self._forget(at)
        person = incoming.user_id
        if not person:  # without knowing who asked, no 👎 can be told apart from a bystander's
            return None
        place = (incoming.platform, incoming.workspace_id, incoming.channel_id)
        outcome = reply.outcome
        if outcome == "feedback":
            if reply.meta.get(VOTE) == Vote.DOWN.word:
                self._voted_down(reply.meta.get(VOTED_ON, ""), person, place, at)
            return None
        if outcome == "suggested" and reply.reply_key:
            self._keep(self._offers, reply.reply_key, (kept_text(incoming.text), at))
            return None
        if outcome not in SERVED or not reply.entry_id:
            return None
        redirected = self._went_on(incoming, person, place, reply.entry_id, at)
        if reply.reply_key and outcome == PICKED:  # the question is the "did you mean"'s
            offered = reply.meta.get(PICKED_FROM, "")
            text = self._offers.get(offered, ("", at))[0]
            held = _Held(text, person, place, reply.entry_id, offered, at) if text else None
        elif reply.reply_key and outcome == "answered":
            text = kept_text(incoming.text)
            held = _Held(text, person, place, reply.entry_id, reply.reply_key, at)
        else:
            held = None
        if held is not None:
            self._keep(self._answers, reply.reply_key or "", held)
        return redirected

    def question(self, reply_key: str, now: dt.datetime) -> str | None:
        """The asker's words for the answer filed under `reply_key`, while still held: an
        admin correcting that answer finds them in the form (bot.usage.corrections), instead
        of typing them again. Read, not taken: a 👎 then another entry still counts."""
        self._forget(now)
        held = self._answers.get(reply_key)
        if held is None:  # its asker voted 👎 on it meanwhile
            held = next((h for h in self._disputed.values() if h.key == reply_key), None)
        return held.text if held is not None else None

    def _voted_down(self, key: str, voter: str, place: Place, at: dt.datetime) -> None:
        held = self._answers.get(key)
        if held is None or (held.asker, held.place[:2]) != (voter, place[:2]):
            return  # a bystander's 👎 is not theirs to explain
        del self._answers[key]
        self._keep(self._disputed, (voter, held.place), replace(held, at=at))

    def _went_on(
        self, incoming: Incoming, person: str, place: Place, entry_id: str, at: dt.datetime
    ) -> Asked | None:
        disputed = self._disputed.get((person, place)) if self._disputed else None
        if disputed is None or disputed.entry_id == entry_id:  # the same entry: still waiting
            return None
        del self._disputed[(person, place)]
        if not _phrasing(disputed.text):  # judged only now: on every answer it costs too much
            return None
        return Asked(
            at=at,
            platform=incoming.platform,
            outcome=REDIRECTED,
            workspace_id=incoming.workspace_id,
            channel_id=incoming.channel_id,
            source=incoming.source,
            entry_id=entry_id,
            reply_key=disputed.key,
            text=disputed.text,
        )

    def _keep(self, held: OrderedDict, key: object, value: object) -> None:
        held.pop(key, None)
        held[key] = value
        while len(held) > self.limit:
            held.popitem(last=False)

    def _forget(self, now: dt.datetime) -> None:
        """Drop what is older than the window (each map is in arrival order)."""
        cutoff = now - self.window
        for held in (self._answers, self._offers, self._disputed):
            while held:
                first = next(iter(held.values()))
                if (first[1] if isinstance(first, tuple) else first.at) >= cutoff:
                    break
                held.popitem(last=False)


def _phrasing(text: str) -> bool:
    """Whether a disowned question is worth suggesting: it has content words and is not a
    number from the list ("7" says nothing about how people phrase entry 7)."""
    return bool(stem_key(text)) and number_reference(words(clean(text))) is None
