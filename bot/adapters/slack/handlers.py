"""Slack events in, core replies out: the slash command, mentions, button clicks, and the
"Fix this answer" shortcut with its modal (bot.adapters.slack.corrections).

Each listener acknowledges at once (Slack wants a 200 within 3 s), asks the front door
(`BotApp`) what to say, and delivers it: a slash command's reply in the acknowledgement itself,
a button's through its response_url (works in private channels and DMs without joining),
chat.postMessage in a thread for mentions. Nothing here decides content; `render` turns the
Reply into blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Literal, TypeVar

import orjson
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.adapters.inflight import InFlight
from bot.adapters.payload import field, obj
from bot.adapters.slack import corrections
from bot.adapters.slack.delivery import JSON_HEADERS, SlackSender
from bot.adapters.slack.render import (
    CHOOSE_ACTION,
    LINK_ACTION,
    REMOVE_ACTION,
    VOTE_ACTION,
    parse_choice,
    render,
)
from bot.core.app import BotApp, Incoming
from bot.core.dedup import SharedSeenIds
from bot.core.platforms import DEFAULT_INVOCATION
from bot.core.replies import Reply, notice
from bot.core.services import DeliveryError

log = logging.getLogger("bot.slack")
T = TypeVar("T")

PLATFORM = "slack"
ANY_COMMAND = re.compile(r"^/\S+$")  # Slack's command names: a slash and a word
# how long a correction's modal waits for it to be recorded, to show what was: Slack wants the
# submission acknowledged within 3 s, and the recording is a few milliseconds when all is well
SUBMIT_WAIT = 2.0
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class _EveryRequest(AsyncMiddleware):
    """A bolt middleware from a plain `(body, response, next_)` coroutine. bolt hands a
    middleware *function* its arguments by inspecting its signature on every request; a
    middleware *object* is called directly, which matters on the path every request takes."""

    def __init__(
        self, run: Callable[[dict[str, Any], BoltResponse, Any], Awaitable[BoltResponse]]
    ) -> None:
        self._run = run

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        return await self._run(req.body, resp, next)


class SlackHandlers:
    """The listeners, and the bookkeeping they share: seen event ids and replies in flight."""

    def __init__(
        self,
        bot_app: BotApp,
        sender: SlackSender,
        *,
        command: str = DEFAULT_INVOCATION,
        admin_user_ids: frozenset[str] = frozenset(),
        seen: SharedSeenIds | None = None,  # shared through the database: across replicas
    ) -> None:
        self.bot_app = bot_app
        self.sender = sender
        self.command = command
        self.admins = admin_user_ids
        self.seen = seen or SharedSeenIds(platform=PLATFORM)
        self.in_flight = InFlight()
        self._other_commands: set[str] = set()  # command names said not to be SLACK_COMMAND

    def register(self, app: AsyncApp) -> None:
        app.middleware(_EveryRequest(self.deduplicate))
        # every command Slack sends is this app's (its manifest's): one named otherwise than
        # SLACK_COMMAND is answered too, and the mismatch said once (`_named_otherwise`); the
        # name itself first, as bolt tries listeners in order and a pattern costs more
        app.command(self.command)(self.on_command)
        app.command(ANY_COMMAND)(self.on_command)
        app.event("app_mention")(self.on_mention)
        app.action(re.compile(f"^{CHOOSE_ACTION}_\\d+$"))(self.on_choose)
        app.action(REMOVE_ACTION)(self.on_remove)
        app.action(re.compile(f"^{LINK_ACTION}_\\d+$"))(self.on_link)
        app.action(re.compile(f"^{VOTE_ACTION}_(up|down)$"))(self.on_vote)
        app.shortcut(corrections.FIX_CALLBACK)(self.on_fix)
        app.view(corrections.FIX_CALLBACK)(self.on_fix_submitted)

    def can_manage(self, user_id: str) -> bool:
        """Subscriptions: anyone, unless SLACK_ADMIN_USER_IDS names who may."""
        return not self.admins or user_id in self.admins

    def can_correct(self, user_id: str) -> bool:
        """Corrections: only those SLACK_ADMIN_USER_IDS names (nobody when it is empty)."""
        return user_id in self.admins

    async def drain(self, timeout: float) -> int:
        """Wait for replies already acknowledged (shutdown); how many did not finish."""
        return await self.in_flight.drain(timeout)

    def _after_ack(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        """The part of a listener that follows its acknowledgement. bolt sends the ack only
        when the listener returns (`process_before_response`: the slash command's reply rides
        in it), so the rest runs on as a task, in flight from now: shutdown waits for it."""
        self.in_flight.spawn(work, name)

    # --- middleware ---------------------------------------------------------------------------

    async def deduplicate(
        self, body: dict[str, Any], response: BoltResponse, next_: Any
    ) -> BoltResponse:
        """Slack redelivers an event it thinks we missed (X-Slack-Retry-Num over HTTP, a
        retry_attempt envelope in Socket Mode) with the same event_id, possibly to another
        replica: acknowledge it, do nothing. Only Events API deliveries are retried, so only
        they pay for the check across replicas (a database write before the ack); commands and
        clicks, never retried, carry a unique trigger_id guarded in this process alone."""
        event_id, trigger_id = body.get("event_id"), body.get("trigger_id")
        if isinstance(event_id, str) and event_id:
            first = await self.seen.first_time(event_id)
        elif isinstance(trigger_id, str) and trigger_id:
            first = self.seen.local.first_time(trigger_id)
        else:
            first = True
        if not first:
            log.info("slack duplicate delivery ignored id=%s", event_id or trigger_id)
            return BoltResponse(status=200, body="")
        await next_()
        return response

    # --- listeners ----------------------------------------------------------------------------

    async def on_command(self, ack: Any, command: dict[str, Any]) -> BoltResponse | None:
        """The reply rides in the acknowledgement, as Slack allows for slash commands: it is
        computed in microseconds, and the asker sees it one HTTP round trip sooner than a post
        to the response_url would arrive (bench/RESULTS.md). A subscription command waits on
        the database, which may take longer than Slack's 3 s: acknowledged first, answered
        through the response_url.

        The acknowledgement is returned as a BoltResponse, which bolt sends as it is
        (`process_before_response`), rather than passed to `ack()`, which encodes its body
        with the standard library: ~3 KB of blocks, 11-14 µs a reply there and under 1 µs
        with orjson, as replies to response URLs are encoded (delivery.py)."""
        user, named = field(command, "user_id"), field(command, "command")
        if named and named != self.command:
            self._named_otherwise(named)
        incoming = Incoming(
            platform=PLATFORM,
            text=field(command, "text"),
            channel_id=field(command, "channel_id"),
            user_id=user,
            workspace_id=field(command, "team_id"),
            invocation=named or self.command,
            can_manage=self.can_manage(user),
            source="command",
        )
        if self.bot_app.waits_on_storage(incoming):
            await ack()
            self._after_ack("slack command", self._command(incoming, command))
            return None
        reply = await self.bot_app.handle(incoming)
        self._posted(incoming, reply, None)
        body = orjson.dumps(self._command_reply(reply, user)).decode()
        return BoltResponse(status=200, body=body, headers=JSON_HEADERS)

    def _named_otherwise(self, named: str) -> None:
        """A command the manifest names otherwise than SLACK_COMMAND: bolt left it unhandled
        (a developer's hint in the log, nothing for the asker). It is answered, under its own
        name; the hints in mentions and daily posts still say SLACK_COMMAND's, so it is said,
        once a name, with the fix."""
        if named in self._other_commands:
            return
        self._other_commands.add(named)
        log.warning(
            "slack slash command %s arrived, but SLACK_COMMAND is %s: it is answered, but "
            "mentions and daily posts tell people to use %s; set SLACK_COMMAND=%s (or rename "
            "the command in the app's manifest)",
            named,
            self.command,
            self.command,
            named,
        )

    async def _command(self, incoming: Incoming, command: dict[str, Any]) -> None:
        reply = await self.bot_app.handle(incoming)
        payload = self._command_reply(reply, incoming.user_id)
        response_url = field(command, "response_url")
        if await self._deliver(incoming, reply, self.sender.respond(response_url, payload)):
            self._posted(incoming, reply, None)

    @staticmethod
    def _command_reply(reply: Reply, asker: str) -> dict[str, Any]:
        payload = render(reply, asker_id=asker)
        payload["response_type"] = "in_channel" if reply.public else "ephemeral"
        return payload

    async def on_mention(self, ack: Any, event: dict[str, Any], context: Any) -> None:
        await ack()
        self._after_ack("slack mention", self._mention(event, context))

    async def _mention(self, event: dict[str, Any], context: Any) -> None:
        channel = field(event, "channel")
        user = field(event, "user")
        thread = field(event, "thread_ts") or field(event, "ts") or None
        incoming = Incoming(
            platform=PLATFORM,
            text=strip_mention(field(event, "text"), field(context, "bot_user_id")),
            channel_id=channel,
            user_id=user,
            workspace_id=field(event, "team") or field(context, "team_id"),
            invocation=self.command,
            can_manage=self.can_manage(user),
            source="mention",
        )
        reply = await self.bot_app.handle(incoming)
        payload = render(reply, asker_id=user, thread_ts=thread)
        if not reply.public:
            private = self._api(
                "chat.postEphemeral", channel, user=user, thread_ts=thread, **payload
            )
            await self._deliver(incoming, reply, private)
            return
        posted = await self._deliver(
            incoming,
            reply,
            self._api(
                "chat.postMessage",
                channel,
                thread_ts=thread,
                unfurl_links=False,
                unfurl_media=False,
                **payload,
            ),
        )
        if posted is not None:
            self._posted(incoming, reply, await self._permalink(channel, posted.get("ts")))

    async def on_choose(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A "did you mean" button: the chosen answer goes to the channel (the thread, for a
        mention), then the ephemeral suggestions disappear."""
        await ack()
        self._after_ack("slack choice", self._choose(body, action))

    async def _choose(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        incoming = self._clicked(body)
        channel, user = incoming.channel_id, incoming.user_id
        response_url = field(body, "response_url")
        try:
            entry_id, thread, key = parse_choice(field(action, "value"))
        except ValueError:
            log.warning("slack choice with a malformed value channel=%s", channel)
            return
        reply = await self.bot_app.choose(incoming, entry_id, key)
        if not reply.public:  # e.g. the entry left the content meanwhile
            payload = {**render(reply), "response_type": "ephemeral", "replace_original": True}
            await self._deliver(incoming, reply, self.sender.respond(response_url, payload))
            return
        payload = render(reply, asker_id=user)
        url = None
        if thread:
            posted = await self._deliver(
                incoming,
                reply,
                self._api(
                    "chat.postMessage", channel, thread_ts=thread, unfurl_links=False, **payload
                ),
            )
            ok = posted is not None
            if posted is not None:
                url = await self._permalink(channel, posted.get("ts"))
        else:
            payload.update(response_type="in_channel", replace_original=False)
            ok = await self._deliver(incoming, reply, self.sender.respond(response_url, payload))
        if ok:
            self._posted(incoming, reply, url)
            await self._deliver(
                incoming, None, self.sender.respond(response_url, {"delete_original": True})
            )

    async def on_remove(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """The Remove button on an answer: the asker or an admin deletes it; anyone else is
        told privately that they cannot."""
        await ack()
        self._after_ack("slack remove", self._remove(body, action))

    async def _remove(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        incoming = self._clicked(body)
        channel, user = incoming.channel_id, incoming.user_id
        asker = field(action, "value")
        response_url = field(body, "response_url")
        if not self.bot_app.may_delete(asker, user, is_admin=user in self.admins):
            denied = notice("Only the person who asked (or an admin) can remove this answer.")
            payload = {**render(denied), "response_type": "ephemeral"}
            payload["replace_original"] = False
            await self._deliver(incoming, denied, self.sender.respond(response_url, payload))
            return
        if response_url:
            await self._deliver(
                incoming, None, self.sender.respond(response_url, {"delete_original": True})
            )
            return
        ts = field(body, "container", "message_ts") or None
        await self._deliver(incoming, None, self._api("chat.delete", channel, ts=ts))

    async def on_vote(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """👍/👎 under an answer: recorded by the core, acknowledged to the voter only."""
        await ack()
        self._after_ack("slack vote", self._vote(body, action))

    async def _vote(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        incoming = self._clicked(body)
        reply = await self.bot_app.feedback(incoming, field(action, "value"))
        # through the response_url, or (none readable) as an ephemeral in the channel
        await self._tell(incoming, reply, field(body, "response_url"))

    async def on_fix(self, ack: Any, body: dict[str, Any], context: Any) -> None:
        """The "Fix this answer" message shortcut: an admin gets the correction modal for the
        bot's answer they clicked; anyone else, or any other message, a private notice."""
        await ack()
        self._after_ack("slack fix shortcut", self._fix(body, context))

    async def _fix(self, body: dict[str, Any], context: Any) -> None:
        incoming = self._clicked(body, source="shortcut")
        message = obj(body, "message")
        ours = corrections.is_from(
            message, field(context, "bot_id") or None, field(context, "bot_user_id") or None
        )
        form = await self.bot_app.correcting(
            incoming, corrections.ballot_in(message) if ours else ""
        )
        response_url = field(body, "response_url")
        if isinstance(form, Reply):
            await self._tell(incoming, form, response_url)
            return
        meta = corrections.metadata(form.answer, incoming.channel_id, response_url)
        opening = self.sender.raw(
            "views.open",
            trigger_id=field(body, "trigger_id"),
            view=corrections.modal(form, meta),
        )
        await self._deliver(incoming, None, opening)

    async def on_fix_submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The correction modal submitted. When the correction is recorded within
        `SUBMIT_WAIT` (as it is unless the database is slow), the acknowledgement turns the
        modal into what was recorded: the admin reads it where they are, whatever became of
        the shortcut's response_url, which Slack honours for 30 minutes only (a modal left open
        longer was recorded, and the admin told "something went wrong", or nothing). Otherwise
        the modal closes, and the admin is told through the response_url once it is recorded."""
        said: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._after_ack("slack correction", self._fix_submitted(body, view, said))
        try:
            reply = await asyncio.wait_for(asyncio.shield(said), SUBMIT_WAIT)
        except TimeoutError:
            if said.cancel():  # the correction goes on; the response_url will tell
                await ack()
                return
            reply = said.result()  # recorded in the same instant
        block = corrections.BLOCK_OF.get(reply.meta.get("field", ""))
        if block is not None:  # refused for what was typed: said beside it, the modal open
            await ack(response_action="errors", errors={block: reply.text})
            return
        await ack(response_action="update", view=corrections.told(reply, render(reply)))

    async def _fix_submitted(
        self, body: dict[str, Any], view: dict[str, Any], said: asyncio.Future[Reply]
    ) -> None:
        meta = corrections.parse_metadata(field(view, "private_metadata"))
        user = field(body, "user", "id")
        incoming = Incoming(
            platform=PLATFORM,
            text="",
            channel_id=meta["channel"],
            user_id=user,
            workspace_id=field(body, "team", "id"),
            invocation=self.command,
            can_manage=self.can_manage(user),
            can_correct=self.can_correct(user),
            source="shortcut",
        )
        target, phrasing = corrections.submitted(view)
        reply = await self.bot_app.correct(incoming, meta["answer"], target, phrasing)
        if not said.done():  # the acknowledgement is still waiting: it shows the reply
            said.set_result(reply)
            return
        await self._tell(incoming, reply, meta["response_url"])

    async def on_link(self, ack: Any) -> None:
        """Link buttons open in the browser; Slack still reports the click and wants an ack."""
        await ack()

    # --- helpers ------------------------------------------------------------------------------

    def _clicked(self, body: dict[str, Any], source: str = "button") -> Incoming:
        """Who clicked a button or a shortcut, where (a block_actions or message_action
        payload)."""
        user = field(body, "user", "id")
        return Incoming(
            platform=PLATFORM,
            text="",
            channel_id=field(body, "channel", "id"),
            user_id=user,
            workspace_id=field(body, "team", "id"),
            invocation=self.command,
            can_manage=self.can_manage(user),
            can_correct=self.can_correct(user),
            source=source,
        )

    async def _tell(self, incoming: Incoming, reply: Reply, response_url: str) -> None:
        """A private line to whoever used a shortcut or a modal: through the shortcut's
        response_url (works wherever the message is, the bot a member or not), else as an
        ephemeral message in the channel."""
        payload = {**render(reply), "response_type": "ephemeral", "replace_original": False}
        if response_url:
            await self._deliver(incoming, reply, self.sender.respond(response_url, payload))
            return
        private = self._api(
            "chat.postEphemeral", incoming.channel_id, user=incoming.user_id, **render(reply)
        )
        await self._deliver(incoming, reply, private)

    async def _api(self, method: str, channel: str, **kwargs: Any) -> dict[str, Any]:
        return await self.sender.raw(method, channel=channel, **kwargs)

    async def _deliver(
        self, incoming: Incoming, reply: Reply | None, sending: Awaitable[T]
    ) -> T | Literal[True] | None:
        """Await `sending`; a delivery that finally failed goes down the one error path
        (logged, counted, the cooldown released) and the user is told privately, if Slack
        still lets us. The send's result (True when it has none), or None when it failed."""
        try:
            result = await sending
        except DeliveryError as err:
            apology = self.bot_app.failed(incoming, err.code, reply=reply, detail=err.reason)
            await self._apologise(incoming, apology)
            return None
        return True if result is None else result

    async def _apologise(self, incoming: Incoming, apology: Reply) -> None:
        """Best effort, to the asker only; its own failure is already covered by the line
        the failure that caused it logged."""
        if not (incoming.channel_id and incoming.user_id):
            return
        with contextlib.suppress(DeliveryError):
            await self.sender.raw(
                "chat.postEphemeral",
                channel=incoming.channel_id,
                user=incoming.user_id,
                **render(apology),
            )

    def _posted(self, incoming: Incoming, reply: Reply, url: str | None) -> None:
        if reply.public:
            self.bot_app.posted(incoming, reply, url)

    async def _permalink(self, channel: str, ts: str | None) -> str | None:
        """Where the answer lives, for "answered here a few minutes ago" pointers."""
        if not ts:
            return None
        try:
            data = await self.sender.raw("chat.getPermalink", channel=channel, message_ts=ts)
        except Exception as err:  # a missing permalink only makes the pointer vaguer
            log.info("slack permalink unavailable channel=%s reason=%s", channel, err)
            return None
        link = data.get("permalink")
        return link if isinstance(link, str) else None


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """The question without the bot's own mention (or, if the bot id is unknown, the leading
    mention that triggered the event)."""
    if bot_user_id:
        return _MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else m.group(0), text).strip()
    return _MENTION.sub("", text, count=1).strip()
