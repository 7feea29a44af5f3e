"""What the bot remembers of its use, so content editors can improve it: one `Asked` per handled
question and one `Voted` per 👍/👎. Platform-neutral records; `bot.usage.log` stores them and
`bot.usage.report` reads them.

Only the questions the bot could not answer with confidence (declined, or answered with a
"did you mean…?") keep their text, and only while recording is on: those are the ones an editor
needs to read. Answered questions are kept as counts (which entry, where), never as text, with
one exception an asker makes themself: voting 👎 on the answer and then getting another entry
(see `bot.usage.followups`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.replies import PICKED, PICKED_FROM, Reply
from bot.core.text import kept

TEXT_MAX = 300  # characters of an unanswered question kept for the report

ANSWERED = frozenset({"answered", "repeat"})  # an entry was served (or pointed to again)
UNANSWERED = frozenset({"suggested", "declined"})
QUESTIONS = ANSWERED | UNANSWERED  # what the match rate is computed over
# PICKED: an entry chosen from "did you mean": not a new question, an answer to one
RECORDED = QUESTIONS | {"intent", PICKED}  # notices (rate limit, subscriptions) are not
# written by `bot.usage.followups`, not per message: an answered question whose asker voted 👎
# and then got another entry; its text, and that entry (a phrasing to suggest)
REDIRECTED = "redirected"


@dataclass(frozen=True)
class Asked:
    at: dt.datetime
    platform: str
    outcome: str
    workspace_id: str = ""
    channel_id: str = ""
    source: str = "command"
    entry_id: str | None = None
    score: float | None = None
    reply_key: str | None = None
    text: str | None = None


def kept_text(text: str) -> str:
    """A question as it is kept (at most TEXT_MAX characters): the one place question text is
    made fit to store and to show again, so a row can always be written (no lone surrogate, no
    NUL) and the report, the digest and `suggestions accept` never carry a mention."""
    return kept(text, TEXT_MAX)


@dataclass(frozen=True)
class Voted:
    at: dt.datetime
    reply_key: str
    entry_id: str
    vote: int  # +1 / -1


def asked(
    reply: Reply,
    text: str,
    *,
    at: dt.datetime,
    platform: str,
    workspace_id: str = "",
    channel_id: str = "",
    source: str = "command",
    keep_text: bool = True,
) -> Asked | None:
    """The record of one handled message, or None when it was not a question."""
    outcome = reply.outcome
    if outcome not in RECORDED:
        return None
    kept = kept_text(text) if keep_text and outcome in UNANSWERED else None
    return Asked(
        at=at,
        platform=platform,
        outcome=outcome,
        workspace_id=workspace_id,
        channel_id=channel_id,
        source=source,
        entry_id=reply.entry_id,
        score=None if reply.score is None else round(reply.score, 4),
        # a pick is filed under the suggestions it answers, to tie it to their question
        reply_key=(reply.meta.get(PICKED_FROM) or None) if outcome == PICKED else reply.reply_key,
        text=kept or None,
    )
