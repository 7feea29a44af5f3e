"""The bot's front door: every message from every platform comes in here as an `Incoming` and
leaves as a core `Reply`.

Adapters translate platform events into `Incoming` and render the `Reply`; they decide nothing
else. Rules that need state (subscriptions, cooldowns, rate limits, metrics, feedback) hang off
this class, so they are written and tested once for Slack, Discord and the terminal alike.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import Concatenate, ParamSpec, Protocol

from bot.core import corrections as fixes
from bot.core.clock import utcnow
from bot.core.corrections import Correction, CorrectionForm
from bot.core.feedback import (
    VOTE,
    VOTED_ON,
    Ballot,
    Recorded,
    new_reply_key,
    parse_ballot,
    thanks,
    voter_id,
)
from bot.core.intents import command_of
from bot.core.pacing import Cooldown, RateLimit
from bot.core.replies import PICKED_FROM, Kind, Link, Reply, Visibility, notice
from bot.core.responder import DEFAULT_INVOCATION, Responder, read
from bot.core.text import encodable

P = ParamSpec("P")
Observer = Callable[["Incoming", Reply, float], None]
FailureCounter = Callable[[str, str], None]  # (platform, reason): replies_failed_total
# the reasons the core gives a failed reply itself; delivery codes are each platform's own and
# open-ended ("http_500", Slack's error codes), so only these are known before they happen
INTERNAL = "internal"  # the bot failed on the question
DATABASE = "database"  # an admin's correction could not be stored
CORE_FAILURES = (INTERNAL, DATABASE)
_log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side: please try again."
LIMITED = "You're asking faster than I can keep up: please wait a minute."


class ChannelSubscriptions(Protocol):
    """A channel's daily takeaway, managed from chat (bot.daily.subscriptions.Subscriptions)."""

    async def handle(
        self,
        platform: str,
        channel_id: str,
        text: str,
        *,
        can_manage: bool,
        workspace_id: str = "",
        invocation: str = DEFAULT_INVOCATION,
    ) -> Reply:
        """The private answer to `subscribe`, `unsubscribe` or `subscription`."""


class VoteBox(Protocol):
    """Where 👍/👎 are recorded, once per voter per answer (bot.usage.log.UsageLog)."""

    def vote(
        self, ballot: Ballot, voter: str, *, platform: str, channel_id: str, now: dt.datetime
    ) -> Recorded:
        """Record the vote; say whether it was new, changed or a repeat."""


class CorrectionDesk(Protocol):
    """Where admins' corrections go (bot.usage.corrections.Desk): the asker's words for an
    answer while the bot still holds them in memory (to prefill the form), and the record."""

    def question(self, reply_key: str) -> str | None:
        """The question answered under `reply_key`, if still held (RECORD_QUESTIONS, 10 min)."""

    def record(self, correction: Correction) -> None:
        """Store it as a suggestion for the editors (the last one for an answer counts)."""

    def withdraw(self, reply_key: str) -> Correction | None:
        """Take back the correction of the answer `reply_key`; the one taken back, or None."""


def _observed(
    handle: Callable[Concatenate[BotApp, Incoming, P], Awaitable[Reply]],
) -> Callable[Concatenate[BotApp, Incoming, P], Awaitable[Reply]]:
    """Times `handle` and tells the observers (metrics, the per-message log line, the usage
    journal). An observer that fails is logged and skipped: counting a message must never cost
    the user the reply. An exception in the core becomes the apology of `BotApp.failed`, so
    no adapter can leave a user without an answer (Discord's "did not respond")."""

    @functools.wraps(handle)
    async def timed(self: BotApp, incoming: Incoming, *args: P.args, **kwargs: P.kwargs) -> Reply:
        started = time.perf_counter()
        try:
            reply = await handle(self, incoming, *args, **kwargs)
        except Exception as err:
            reply = self.failed(incoming, INTERNAL, detail=f"{type(err).__name__}: {err}")
        elapsed = time.perf_counter() - started
        for observe in self.observers:
            try:
                observe(incoming, reply, elapsed)
            except Exception:
                _log.exception("observer %r failed", observe)
        return reply

    return timed


@dataclass(frozen=True)
class Incoming:
    """A user's message, stripped of its platform: who said what, where."""

    platform: str  # "slack" | "discord" | "terminal"
    text: str  # the question, without the slash command or the bot mention
    channel_id: str = ""
    user_id: str = ""
    workspace_id: str = ""  # Slack team id, Discord guild id
    invocation: str = DEFAULT_INVOCATION  # how this user addresses the bot, for help texts
    can_manage: bool = False  # the platform says this user may manage the channel's subscription
    # the platform says this user is one of the bot's admins, who may correct its answers
    # (Slack: SLACK_ADMIN_USER_IDS; Discord: Manage Messages in the channel)
    can_correct: bool = False
    # "command" (slash command), "mention", "button" (a click), "shortcut" or "menu" (Slack's
    # message shortcut, Discord's message context menu: an admin's correction)
    source: str = "command"

    def __post_init__(self) -> None:
        """The text made encodable once, at the front door: a lone surrogate (valid JSON from
        Slack or Discord) would otherwise fail whatever writes it later, a reply quoting it,
        a log line, a usage record."""
        object.__setattr__(self, "text", encodable(self.text))


class BotApp:
    """Holds the current Responder (swapped atomically on content reload) and the stateful rules."""

    def __init__(
        self,
        responder: Responder,
        cooldown: Cooldown | None = None,
        rate_limit: RateLimit | None = None,
        subscriptions: ChannelSubscriptions | None = None,
        usage: VoteBox | None = None,
        *,
        corrections: CorrectionDesk | None = None,
        observers: Iterable[Observer] = (),
        count_failure: FailureCounter | None = None,
    ) -> None:
        self.responder = responder
        self.cooldown = Cooldown() if cooldown is None else cooldown
        self.rate_limit = RateLimit() if rate_limit is None else rate_limit
        # called with (incoming, reply, seconds) per message: metrics, the log line, the journal
        self.observers: list[Observer] = list(observers)
        self.subscriptions = subscriptions
        self.usage = usage  # set: answers carry 👍/👎 and votes are recorded here
        self.corrections = corrections  # set: admins' corrections are recorded here
        self._count_failure = count_failure or (lambda platform, reason: None)

    def waits_on_storage(self, incoming: Incoming) -> bool:
        """Whether `handle` will wait on the database for this message (a subscription
        command): a platform wanting its acknowledgement within seconds acknowledges such a
        message first. Any other reply is computed in microseconds without waiting on
        anything, so it can ride in the acknowledgement."""
        return command_of(incoming.text) is not None

    @_observed
    async def handle(self, incoming: Incoming) -> Reply:
        """The reply to a user's message. Private replies go only to the asker where possible.

        The per-person rate limit is there so that one person cannot flood a channel with the
        bot's public posts, nor keep the matcher busy. So it counts, and refuses, exactly the
        messages that do either: a question (matched, whatever its reply: an answer in the
        channel, or a private "did you mean" or decline) and a direct request whose reply is
        posted in the channel (a number such as "3", `takeaways`, `recording`). It does not
        count the private replies decided without matching (help, list, a greeting, a number
        not on the list): refusing one would save nothing, the notice costs what the menu
        does. Nor subscription commands: a private admin action, answered privately, that a
        person who just asked questions must still be able to take."""
        if command_of(incoming.text) is not None:
            return await self._subscription(incoming)
        responder = self.responder  # one content for both steps, should a reload swap it
        message = read(incoming.text)
        reply = responder.direct(message, incoming.invocation)
        counted = reply is None or reply.public
        if counted and not self.rate_limit.allow(incoming.platform, incoming.user_id):
            return notice(LIMITED, reason="rate-limit")
        if reply is None:
            reply = responder.matched(message, incoming.invocation)
        if reply.kind is Kind.SUGGESTIONS:
            return self._keyed(reply)
        if reply.kind is Kind.ANSWER and reply.entry_id:
            earlier = self.cooldown.recent(incoming.platform, incoming.channel_id, reply.entry_id)
            if earlier is not None:
                return repeat(reply, earlier.url)
            # claimed now, confirmed when the adapter reports the post (`posted`) and released
            # if delivery fails (`failed`): a burst of the same question must not all slip
            # through while the first answer is on its way, yet an answer nobody saw must not
            # turn the next asker away
            self.cooldown.claim(incoming.platform, incoming.channel_id, reply.entry_id)
            return self._keyed(reply)
        return reply

    def _keyed(self, reply: Reply) -> Reply:
        """The reply with a fresh key, when usage is recorded: answers then carry 👍/👎, and
        suggestions let a later pick be tied to the question that led to it."""
        return reply if self.usage is None else replace(reply, reply_key=new_reply_key())

    @_observed
    async def feedback(self, incoming: Incoming, token: str) -> Reply:
        """A 👍/👎 click (`token` is the button's payload): recorded once per user per answer;
        the voter is told privately what happened."""
        if self.usage is None:
            return notice("Votes are not recorded on this bot.", reason="feedback")
        try:
            ballot = parse_ballot(token)
        except ValueError:
            return notice("That button is not one of mine.", reason="feedback")
        voter = voter_id(incoming.platform, incoming.workspace_id, incoming.user_id)
        try:
            recorded = await asyncio.to_thread(
                self.usage.vote,
                ballot,
                voter,
                platform=incoming.platform,
                channel_id=incoming.channel_id,
                now=utcnow(),
            )
        except Exception as err:
            _log.error(
                "vote not recorded platform=%s channel=%s reason=%s: %s",
                incoming.platform,
                incoming.channel_id,
                type(err).__name__,
                err,
            )
            return notice("Sorry, I could not record your vote: please try again.")
        said = thanks(ballot.vote, recorded)
        meta = {**said.meta, VOTE: ballot.vote.word, VOTED_ON: ballot.reply_key}
        return replace(said, entry_id=ballot.entry_id, meta=meta)

    async def correcting(self, incoming: Incoming, token: str) -> CorrectionForm | Reply:
        """An admin chose "Fix this answer" on a message: the form to show them, or why not
        (a private notice). `token` is the payload of a vote button found on that message, ""
        when it has none or is not the bot's; the adapter decides who is an admin
        (`incoming.can_correct`). A fault goes down the one error path."""
        try:
            if not incoming.can_correct:
                return notice(fixes.REFUSED, reason=fixes.REASON)
            if self.corrections is None:
                return notice(fixes.NOT_RECORDED, reason=fixes.REASON)
            try:
                ballot = parse_ballot(token)
            except ValueError:
                return notice(fixes.NOT_AN_ANSWER, reason=fixes.REASON)
            held = self.corrections.question(ballot.reply_key)
            return fixes.form(self.responder.content, ballot.reply_key, ballot.entry_id, held)
        except Exception as err:
            return self.failed(incoming, INTERNAL, detail=f"{type(err).__name__}: {err}")

    @_observed
    async def correct(self, incoming: Incoming, answer: str, target: str, phrasing: str) -> Reply:
        """An admin submitted the form for `answer` (the form's reference): `target` is the
        entry they meant (an entry id, a number as typed, or `corrections.DECLINE`), `phrasing`
        the question as people ask it. Recorded as a suggestion for the editors; the admin is
        told privately what was recorded and how editors review it."""
        if not incoming.can_correct:  # checked again: the form could come from anyone
            return notice(fixes.REFUSED, reason=fixes.REASON)
        if self.corrections is None:
            return notice(fixes.NOT_RECORDED, reason=fixes.REASON)
        try:
            reply_key, answered_id = fixes.parse_answer(answer)
        except ValueError:
            return notice(fixes.NOT_OURS, reason=fixes.REASON)
        content = self.responder.content  # the content of the moment, after any reload
        try:
            entry = fixes.target_of(content, target)
        except LookupError:
            return fixes.no_such_entry(target)
        text = fixes.kept(phrasing)
        if not text:
            return fixes.empty_phrasing()
        if entry is not None and entry.id == answered_id:
            # the last word is that the answer was right: an earlier correction is taken back
            try:
                withdrawn = await asyncio.to_thread(self.corrections.withdraw, reply_key)
            except Exception as err:
                return self.failed(incoming, DATABASE, detail=f"{type(err).__name__}: {err}")
            return fixes.same_entry(entry, withdrawn, content)
        correction = Correction(
            reply_key=reply_key,
            answered_id=answered_id,
            entry_id=entry.id if entry else None,
            text=text,
            at=utcnow(),
            platform=incoming.platform,
            workspace_id=incoming.workspace_id,
            channel_id=incoming.channel_id,
        )
        try:
            await asyncio.to_thread(self.corrections.record, correction)
        except Exception as err:
            return self.failed(incoming, DATABASE, detail=f"{type(err).__name__}: {err}")
        return fixes.recorded(correction, content)

    async def _subscription(self, incoming: Incoming) -> Reply:
        """subscribe / unsubscribe / subscription: the channel's daily takeaway."""
        if self.subscriptions is None:
            # the terminal's `chat`, which has no channel: where a subscription is made
            return notice(
                "Daily takeaways are not enabled here: they are posted by a running bot "
                "(`kubecon-bot run`), in a channel where someone types `subscribe`, or in one "
                "`kubecon-bot subscriptions add PLATFORM CHANNEL [HH:MM] [timezone]` names."
            )
        return await self.subscriptions.handle(
            incoming.platform,
            incoming.channel_id,
            incoming.text,
            can_manage=incoming.can_manage,
            workspace_id=incoming.workspace_id,
            invocation=incoming.invocation,
        )

    @_observed
    async def choose(
        self, incoming: Incoming, entry_id: str, picked_from: str | None = None
    ) -> Reply:
        """The answer for an option the user picked from "did you mean" (`picked_from`: that
        reply's key, so the report can tell which entry the question wanted)."""
        answer = self.responder.answer_by_id(entry_id)
        if answer is None:  # the content changed since the options were offered
            return notice("That question is no longer in the list: ask again?")
        meta = {**answer.meta, PICKED_FROM: picked_from or ""}
        return self._keyed(replace(answer, meta=meta))

    def posted(self, incoming: Incoming, reply: Reply, url: str | None = None) -> None:
        """The adapter posted `reply` in the channel at `url` (a permalink): later repeats of
        the same question within the cooldown link there instead of saying "just above"."""
        if reply.kind is Kind.ANSWER and reply.entry_id:
            self.cooldown.answered(incoming.platform, incoming.channel_id, reply.entry_id, url)

    def failed(
        self, incoming: Incoming, reason: str, *, reply: Reply | None = None, detail: str = ""
    ) -> Reply:
        """The one error path of every adapter: the core raised (`reason` "internal") or a
        reply could not be delivered (`reason`: a short code such as "http_500", "network").
        Logs one line with platform, channel and reason, counts it in
        `replies_failed_total{platform,reason}`, lets the channel's cooldown forget an answer
        that never arrived, and returns the apology the adapter shows the user (privately
        where the platform allows)."""
        if reply is not None and reply.entry_id:
            self.cooldown.release(incoming.platform, incoming.channel_id, reply.entry_id)
        _log.error(
            "reply failed platform=%s workspace=%s channel=%s reason=%s%s",
            incoming.platform,
            incoming.workspace_id or "-",
            incoming.channel_id,
            reason,
            f": {detail[:300]}" if detail else "",
        )
        try:
            self._count_failure(incoming.platform, reason)
        except Exception:  # counting must never cost the user the apology
            _log.warning("reply failure not counted platform=%s", incoming.platform)
        return notice(APOLOGY, reason="error")

    @staticmethod
    def may_delete(asker_id: str, user_id: str, *, is_admin: bool = False) -> bool:
        """Only the person who asked (or an admin) may remove the bot's answer."""
        return is_admin or (bool(asker_id) and asker_id == user_id)


def repeat(answer: Reply, url: str | None) -> Reply:
    """A short in-channel pointer to an answer given moments ago."""
    where = "just above" if url is None else "here"
    text = f"I answered “{answer.title}” {where} a few minutes ago."
    links = (Link("See the earlier answer", url),) if url else ()
    return Reply(
        kind=Kind.REPEAT,
        visibility=Visibility.CHANNEL,
        text=text + (f" {url}" if url else ""),
        title=answer.title,
        body=text,
        links=links + answer.links[:1],
        entry_id=answer.entry_id,
        number=answer.number,
        score=answer.score,
    )
