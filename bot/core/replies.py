"""Platform-neutral replies: what the bot says, decided once; each adapter only renders it.

A `Reply` carries meaning (kind, visibility, the entry it answers, the links it must show),
never markup: Slack turns it into Block Kit, Discord into an embed, the terminal into text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    ANSWER = "answer"  # one entry, served verbatim
    SUGGESTIONS = "suggestions"  # "did you mean…?": the top candidates were too close to call
    DECLINE = "decline"  # nothing in the content answers this
    HELP = "help"
    LIST = "list"  # the numbered questions
    TAKEAWAYS = "takeaways"
    RECORDING = "recording"
    DAILY = "daily"  # the scheduled takeaway of the day
    DIGEST = "digest"  # the editors' scheduled digest of the bot's use (bot.usage.digest)
    REPEAT = "repeat"  # asked again within the cooldown: point at the earlier answer
    NOTICE = "notice"  # operational message (subscription changed, error, slow down…)


PICKED_FROM = "picked_from"  # meta of an answer chosen from suggestions: their reply_key


class Visibility(StrEnum):
    """Who should see a reply: the channel, or only the person who asked (where possible)."""

    CHANNEL = "channel"
    PRIVATE = "private"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Option:
    """A candidate entry offered to the asker (a "did you mean" button, a list row)."""

    entry_id: str
    number: int
    question: str
    score: float = 0.0


@dataclass(frozen=True)
class Reply:
    kind: Kind
    visibility: Visibility
    text: str  # the whole message as plain text: a fallback every platform can show
    title: str | None = None  # e.g. the matched question
    body: str | None = None  # e.g. the answer, verbatim
    items: tuple[str, ...] = ()  # list rows or takeaways, in order
    options: tuple[Option, ...] = ()  # choices the user can pick (suggestions)
    links: tuple[Link, ...] = ()  # recording first, then the source article
    footer: str | None = None  # the webinar, credited
    entry_id: str | None = None
    number: int | None = None
    score: float | None = None
    intent: str | None = None  # set when a built-in intent, not an entry, answered
    hint: str | None = None  # what to try next (decline, suggestions)
    # this reply in the usage records: an answer is voted on under it, a "did you mean" pick
    # refers to it; set only when usage is recorded
    reply_key: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def public(self) -> bool:
        return self.visibility is Visibility.CHANNEL

    @property
    def outcome(self) -> str:
        """How the message was handled, as metrics, logs and the usage report name it:
        answered, picked (a "did you mean" option chosen), suggested, declined, intent,
        repeat, limited, feedback or notice."""
        if self.kind is Kind.ANSWER and PICKED_FROM in self.meta:
            return "picked"
        if self.kind is Kind.NOTICE:
            return _NOTICES.get(self.meta.get("reason", ""), "notice")
        return _OUTCOMES.get(self.kind, self.kind.value)


_NOTICES = {"rate-limit": "limited", "feedback": "feedback"}

_OUTCOMES = {
    Kind.ANSWER: "answered",
    Kind.SUGGESTIONS: "suggested",
    Kind.DECLINE: "declined",
    Kind.HELP: "intent",
    Kind.LIST: "intent",
    Kind.TAKEAWAYS: "intent",
    Kind.RECORDING: "intent",
    Kind.REPEAT: "repeat",
    Kind.DAILY: "intent",
}


def notice(text: str, reason: str = "") -> Reply:
    """A private, one-line message to the person who asked (`reason` tags it for metrics)."""
    meta = {"reason": reason} if reason else {}
    return Reply(kind=Kind.NOTICE, visibility=Visibility.PRIVATE, text=text, body=text, meta=meta)
