"""The editors' digest: what a week of use says, posted in the editors' channel (DIGEST_CHANNEL).

What it says is what the editors' tools say, never a second computation of it: the questions,
match rate, helpfulness and unanswered groups are `kubecon-bot report --json` for the same period
(bot.usage.report's `build` and `as_json`), and the pending suggestions are those `kubecon-bot
suggestions list` shows (bot.usage.suggestions). It is a core `Reply` (Kind.DIGEST), so Slack,
Discord and the terminal render it with the renderers every other reply goes through.

Where the pieces live, and why: posting it exactly once per period needs the daily posts'
ledger (bot.daily), building it needs the usage records (bot.usage), and neither package may
import the other. So the digest is built here, as a callable `Digest(since, until) -> Reply`,
and the daily scheduler takes such a callable through its constructor and posts it for a
weekly subscription of kind "digest" on the same ledger as the takeaways. The composition root
(bot.serve.compose) joins the two; no third package is needed for one constructor argument.

Privacy as in the report: the only texts are the unanswered questions the report shows (kept
only while RECORD_QUESTIONS is on, forgotten after the retention period), one example per group.
Each is shown as a code span with its backticks removed, so nothing a user typed can become
markup, a link or a mention on any platform; the renderers escape the rest as for any reply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from bot.core.replies import Kind, Reply, Visibility
from bot.core.responder import Responder
from bot.usage import report, suggestions
from bot.usage.log import UsageLog
from bot.usage.records import UNANSWERED

TOP_GROUPS = 3  # unanswered groups shown; `report` has them all
SUGGESTION_DAYS = 90  # `kubecon-bot suggestions list`'s default --days: the same count
EXAMPLE_MAX = 120  # characters of an example question (the report keeps up to 300)
REVIEW = "kubecon-bot suggestions list"


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:.1f}%"


def example(text: str) -> str:
    """A user's question as a code span, on one line and cut: inside a code span neither Slack
    nor Discord renders markup, links or mentions, and without backticks of its own the text
    cannot end the span early."""
    plain = " ".join(text.replace("`", "'").split())
    if len(plain) > EXAMPLE_MAX:
        plain = plain[: EXAMPLE_MAX - 1].rstrip() + "…"
    return f"`{plain}`"


def helpful(figures: Mapping[str, Any]) -> float | None:
    """Share of 👍 among the period's votes, None without votes."""
    up, down = figures["votes"].get("up", 0), figures["votes"].get("down", 0)
    return up / (up + down) if up + down else None


def digest_reply(figures: Mapping[str, Any], pending: int, *, top: int = TOP_GROUPS) -> Reply:
    """The post for one period: `figures` is `report.as_json` for it, `pending` the number of
    suggestions waiting for a decision. Plain text with code spans only: Slack's mrkdwn and
    Discord's markdown read it the same way."""
    since = dt.datetime.fromisoformat(figures["since"]).astimezone(dt.UTC)
    until = dt.datetime.fromisoformat(figures["until"]).astimezone(dt.UTC)
    days = round((until - since) / dt.timedelta(days=1))
    span = "the last day" if days == 1 else f"the last {days} days"
    votes = figures["votes"]
    up, down = votes.get("up", 0), votes.get("down", 0)
    share = helpful(figures)
    lines = [
        f"{since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC",
        f"Questions: {figures['questions']} · match rate {_pct(figures['match_rate'])} · "
        f"helpful {_pct(share)} (👍 {up}, 👎 {down})",
        "",
    ]
    # a group the content answers now (an editor taught it since) needs nothing: the report
    # says so of it, and the digest leaves it out; so is one whose every asker picked an entry
    # from "did you mean": they had their answer, and the phrasing is a pending suggestion
    still = [
        g
        for g in figures["unanswered"]
        if not g.get("answered_now") and sum(g.get("picked", {}).values()) < g["count"]
    ]
    groups = still[:top]
    unanswered = sum(figures["outcomes"].get(o, 0) for o in UNANSWERED)
    if groups:
        lines.append("Most asked without an answer:")
        lines += [f"• {g['count']}× {example(g['text'])}" for g in groups]
    elif figures["unanswered"]:
        lines.append(
            "Unanswered: none left; the content answers them now, or their askers picked "
            'an answer from "did you mean".'
        )
    elif unanswered and not figures["texts_recorded"]:
        lines.append(f"Unanswered: {unanswered}; their text is not recorded (RECORD_QUESTIONS).")
    else:
        lines.append("Unanswered: none.")
    lines += ["", f"Suggestions pending: {pending} · review them with `{REVIEW}`"]
    title = f"Editors' digest: {span}"
    body = "\n".join(lines)
    return Reply(
        kind=Kind.DIGEST,
        visibility=Visibility.CHANNEL,
        text=f"{title}\n{body}",
        title=title,
        body=body,
        footer=f"Details: kubecon-bot report --days {days} (or --html FILE for charts)",
        meta={
            "since": figures["since"],
            "until": figures["until"],
            "questions": str(figures["questions"]),
            "pending": str(pending),
        },
    )


class Digest:
    """Builds the digest for a period from the usage records; what the scheduler calls (in a
    thread: it reads the database and groups the period's questions)."""

    def __init__(
        self, usage: UsageLog, responder: Callable[[], Responder], *, top: int = TOP_GROUPS
    ) -> None:
        self.usage = usage
        self._responder = responder  # the responder of the moment, after any content reload
        self.top = top

    def figures(self, since: dt.datetime, until: dt.datetime) -> dict[str, object]:
        """`report --json` for [since, until): the records after `until` belong to the next
        period, so a retry or a late catch-up reports the same figures."""
        asked = [a for a in self.usage.asked_since(since) if a.at < until]
        voted = [v for v in self.usage.votes_since(since) if v.at < until]
        # every group: those the content answers now are left out before the top are taken
        built = report.build(
            asked, voted, self._responder(), since=since, until=until, top_groups=None
        )
        return report.as_json(built)

    def pending(self, until: dt.datetime) -> int:
        """How many suggestions `kubecon-bot suggestions list` shows at `until`."""
        start = until - dt.timedelta(days=SUGGESTION_DAYS)
        return len(suggestions.since(self.usage, self._responder(), start, until))

    def __call__(self, since: dt.datetime, until: dt.datetime) -> Reply:
        return digest_reply(self.figures(since, until), self.pending(until), top=self.top)
