"""Platform-neutral replies: what the bot says, decided once; each adapter only renders it.

A `Reply` carries meaning (kind, visibility, the entry it answers, the links it must show),
never markup: Slack turns it into Block Kit, Discord into an embed, the terminal into text.

Its `kind` is one of the fixed `Kind`s below, or the built-in intent that answered
(`bot.core.intents.Intent`: help, list…), which is declared with its own outcome there. Both
have the `value` that usage rows, logs and `ask --json` record, and the `outcome` metrics count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.content import Content
    from bot.core.intents import Intent


class Kind(StrEnum):
    """The replies that are not a built-in intent."""

    ANSWER = "answer"  # one entry, served verbatim
    SUGGESTIONS = "suggestions"  # "did you mean…?": the top candidates were too close to call
    DECLINE = "decline"  # nothing in the content answers this
    DAILY = "daily"  # the scheduled takeaway of the day
    DIGEST = "digest"  # the editors' scheduled digest of the bot's use (bot.usage.digest)
    REPEAT = "repeat"  # asked again within the cooldown: point at the earlier answer
    NOTICE = "notice"  # operational message (subscription changed, error, slow down…)

    @property
    def outcome(self) -> str:
        """How metrics, logs and the usage report count a message answered this way (before
        the refinements of `Reply.outcome`)."""
        return _OUTCOMES[self]


_OUTCOMES = {
    Kind.ANSWER: "answered",
    Kind.SUGGESTIONS: "suggested",
    Kind.DECLINE: "declined",
    Kind.DAILY: "intent",
    Kind.DIGEST: "digest",  # posted by the scheduler, never counted as a message
    Kind.REPEAT: "repeat",
    Kind.NOTICE: "notice",
}


PICKED_FROM = "picked_from"  # meta of an answer chosen from suggestions: their reply_key
PICKED = "picked"  # the outcome of such an answer


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
    kind: Kind | Intent
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
    hint: str | None = None  # what to try next (decline, suggestions)
    # this reply in the usage records: an answer is voted on under it, a "did you mean" pick
    # refers to it; set only when usage is recorded
    reply_key: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def public(self) -> bool:
        return self.visibility is Visibility.CHANNEL

    @property
    def intent(self) -> str | None:
        """The built-in intent that answered ("help", "list"…), None for every other reply."""
        return None if isinstance(self.kind, Kind) else self.kind.name

    @property
    def outcome(self) -> str:
        """How the message was handled, as metrics, logs and the usage report name it:
        answered, picked (a "did you mean" option chosen), suggested, declined, intent,
        repeat, limited, feedback, correction (an admin's) or notice."""
        if self.kind is Kind.ANSWER and PICKED_FROM in self.meta:
            return PICKED
        if self.kind is Kind.NOTICE:
            return _NOTICES.get(self.meta.get("reason", ""), self.kind.outcome)
        return self.kind.outcome


LIMITED_OUTCOME = "limited"  # a message refused by the rate limit (its text: app.LIMITED)
_NOTICES = {"rate-limit": LIMITED_OUTCOME, "feedback": "feedback", "correction": "correction"}


def message_outcomes() -> tuple[str, ...]:
    """Every outcome a handled message can be counted under, from the declarations
    `Reply.outcome` reads: the metrics create their series at 0 from it (bot.serve.metrics), so
    an alert on a rate sees a series before its first message. The editors' digest is posted
    by the scheduler, never handled as a message."""
    from bot.core.intents import INTENTS

    kinds = [kind.outcome for kind in Kind if kind is not Kind.DIGEST]
    intents = [intent.outcome for intent in INTENTS]
    return tuple(dict.fromkeys([*kinds, *intents, PICKED, *_NOTICES.values()]))


def webinar_links(content: Content) -> tuple[Link, ...]:
    """The links every reply about the webinar shows: the recording first, then the article."""
    return (
        Link("Watch the recording", content.recording_url),
        Link("Read the article", content.source_url),
    )


def webinar_credit(content: Content) -> str:
    """The webinar, credited: title, presenter, date."""
    w = content.webinar
    return f"{w.title} · {w.presenter} · {w.date:%B} {w.date.day}, {w.date.year}"


def notice(text: str, reason: str = "", field: str = "") -> Reply:
    """A private, one-line message to the person who asked (`reason` tags it for metrics;
    `field`, the form field the message is about, lets a platform show it beside that field
    and keep the form open, so nothing typed is lost)."""
    meta = {"reason": reason} if reason else {}
    if field:
        meta["field"] = field
    return Reply(kind=Kind.NOTICE, visibility=Visibility.PRIVATE, text=text, body=text, meta=meta)
