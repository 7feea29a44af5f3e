"""Discord events in, `BotApp` calls out: mentions, the /kubecon command group, buttons
(parsed by their classes in bot.adapters.discord.buttons, handled here), and the "Fix this
answer" context menu with its form (bot.adapters.discord.corrections).

Only translation lives here. Who may manage subscriptions (Manage Channels), who may remove an
answer (the asker, or Manage Messages) and who may correct one (Manage Messages) are Discord
facts handed to the core as booleans.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re

import discord
from discord import app_commands

from bot.adapters import payload
from bot.adapters.discord.buttons import BUTTONS
from bot.adapters.discord.corrections import FixModal, ballot_in, fix_menu
from bot.adapters.discord.platform import GROUP, INVOCATION
from bot.adapters.discord.render import Message, render
from bot.adapters.inflight import InFlight
from bot.core.app import INTERNAL, BotApp, Incoming
from bot.core.dedup import SharedSeenIds
from bot.core.replies import LIMITED_OUTCOME, Reply

log = logging.getLogger(__name__)


def failure(exc: BaseException) -> tuple[str, str]:
    """A delivery error as (short code for the metric label, detail for the log line)."""
    if isinstance(exc, discord.HTTPException):
        return f"http_{exc.status}", f"{exc.status} {exc.text or type(exc).__name__}".strip()
    return "network", f"{type(exc).__name__}: {exc}"


DELIVERY_ERRORS = (discord.HTTPException, OSError, TimeoutError)
SLOW_DOWN = "⏳"  # reacted to a mention over the rate limit (`KubeconClient._slow_down`)
# how long a session shutting down leaves a new event to one that stays before it takes the
# event itself: well within the 3 s Discord gives an interaction's first response, and the
# drain's budget (`service.DRAIN_SECONDS`)
HANDOVER_S = 1.5
# Discord's answer to a second response to one interaction: another session on the shard (a
# second replica) answered it first. Not a failure of this reply: the user has their answer.
ALREADY_ACKNOWLEDGED = 40060


def answered_elsewhere(exc: BaseException) -> bool:
    """Another session acknowledged this interaction first (both got it from the gateway)."""
    return isinstance(exc, discord.HTTPException) and exc.code == ALREADY_ACKNOWLEDGED


def _failed(
    bot_app: BotApp,
    interaction: discord.Interaction,
    incoming: Incoming,
    exc: BaseException,
    reply: Reply | None = None,
) -> Reply | None:
    """A response that failed goes down the one error path (the apology to show), unless
    another session acknowledged the interaction first: no failure, nothing to apologise for."""
    if answered_elsewhere(exc):
        log.info("discord interaction answered by another session id=%s", interaction.id)
        return None
    code, detail = failure(exc)
    return bot_app.failed(incoming, code, reply=reply, detail=detail)


def _incoming(
    interaction: discord.Interaction,
    text: str,
    source: str = "command",
    invocation: str = INVOCATION,
) -> Incoming:
    perms = interaction.permissions
    return Incoming(
        platform="discord",
        text=text,
        channel_id=str(interaction.channel_id or ""),
        user_id=str(interaction.user.id),
        workspace_id=str(interaction.guild_id or ""),
        invocation=invocation,
        can_manage=bool(perms.manage_channels),
        can_correct=bool(perms.manage_messages),
        source=source,
    )


async def _respond(
    bot_app: BotApp, interaction: discord.Interaction, incoming: Incoming, reply: Reply
) -> None:
    """Answer an interaction; a failure goes down the one error path and the user gets a
    private apology if Discord still takes one."""
    message = render(reply, incoming.user_id if reply.public else None)
    try:
        await interaction.response.send_message(**message.kwargs(), ephemeral=not reply.public)
    except DELIVERY_ERRORS as exc:
        if apology := _failed(bot_app, interaction, incoming, exc, reply):
            await _apologise(interaction, apology)


async def _apologise(interaction: discord.Interaction, apology: Reply) -> None:
    """Best effort: the failure itself is already logged and counted."""
    with contextlib.suppress(*DELIVERY_ERRORS, discord.DiscordException):
        if interaction.response.is_done():
            await interaction.followup.send(apology.text, ephemeral=True)
        else:
            await interaction.response.send_message(apology.text, ephemeral=True)


async def _refuse(interaction: discord.Interaction) -> None:
    """An interaction arriving during shutdown: told at once, privately, to ask again."""
    with contextlib.suppress(*DELIVERY_ERRORS, discord.DiscordException):
        await interaction.response.send_message(
            "I'm restarting: please ask again in a moment.", ephemeral=True
        )


class KubeconClient(discord.Client):
    """A discord.py client with no privileged intent: mentions carry their content anyway.

    `connected` follows the gateway (READY/RESUMED up, a disconnect down), which discord.py's
    own `is_ready()` does not: it stays true while the client reconnects.

    `seen` holds the ids of the mentions and interactions answered, shared through the
    database with every other session on the shard: the gateway sends each event to all of
    them, and only the first to record an id answers it (per process while the database is
    away, which also covers a RESUME's replays)."""

    def __init__(
        self,
        bot_app: BotApp,
        guild_id: int | None = None,
        *,
        guild_ready_timeout: float = 2.0,
        seen: SharedSeenIds | None = None,
        **options: object,
    ) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            **options,  # type: ignore[arg-type]
        )
        self.bot_app = bot_app
        self.guild_id = guild_id
        self.seen = seen or SharedSeenIds(platform="discord")
        self.in_flight = InFlight()
        self.connected = False
        self.accepting = True  # False from shutdown on: new events are refused
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(_commands(self))
        self.tree.add_command(fix_menu(self))
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]
        self.tree.interaction_check = self._first_here  # type: ignore[method-assign]
        self.add_dynamic_items(*BUTTONS)

    async def setup_hook(self) -> None:
        """Sync the commands, and say where: an admin waiting for /kubecon to appear had no
        line telling that the sync was done, nor whether to wait for Discord's hour."""
        if self.guild_id:  # a guild's commands update at once; global ones can take an hour
            guild = discord.Object(id=self.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            where = f"to server {self.guild_id} (DISCORD_GUILD_ID): they appear there at once"
        else:
            synced = await self.tree.sync()
            where = "globally: Discord can take up to an hour to show them in every server"
        names = ", ".join(
            f"/{c.name}" if c.type is discord.AppCommandType.chat_input else f"the {c.name!r} menu"
            for c in synced
        )
        log.info("discord commands synced %s (%s)", where, names)

    # --- the gateway's state, for readiness ---------------------------------------------------

    async def on_ready(self) -> None:
        self.connected = True

    async def on_resumed(self) -> None:
        if not self.connected:
            log.info("discord gateway connection resumed")
        self.connected = True

    async def on_disconnect(self) -> None:
        if self.connected and not self.is_closed():
            log.warning("discord gateway connection lost: reconnecting")
        self.connected = False

    # --- events -------------------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        me = self.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if me not in message.mentions:  # @everyone / @here do not put the bot in mentions
            return
        # only a mention of the bot gets this far: the one message that costs a database write.
        # Tracked from here: a shutdown waits for the hand-over and the reply (`_taken_elsewhere`)
        with self.in_flight.track():
            if await self._taken_elsewhere(str(message.id)):
                log.info(
                    "discord mention already answered (another session, or a replay) id=%s",
                    message.id,
                )
                return
            await self._mention(message, me)

    async def _taken_elsewhere(self, event_id: str) -> bool:
        """Whether another session (or this one, before a RESUME replayed it) took the event.

        A session shutting down lets one that stays take it first: it waits HANDOVER_S before
        it records the id, so in a rolling update the new replica answers, and the old one's
        "I'm restarting" never wins Discord's one response to an interaction. If nobody took
        it by then (the only replica, restarting), it is this session's: a mention is answered
        within the shutdown's drain, an interaction refused with a word to ask again."""
        if not self.accepting:
            await asyncio.sleep(HANDOVER_S)
        return not await self.seen.first_time(event_id)

    async def _mention(self, message: discord.Message, me: discord.ClientUser) -> None:
        text = re.sub(rf"<@!?{me.id}>", " ", payload.text(message.content))
        perms = getattr(message.channel, "permissions_for", None)
        can_manage = bool(
            perms
            and isinstance(message.author, discord.Member)
            and perms(message.author).manage_channels
        )
        incoming = Incoming(
            platform="discord",
            text=text,
            channel_id=str(message.channel.id),
            user_id=str(message.author.id),
            workspace_id=str(message.guild.id) if message.guild else "",
            invocation=f"@{me.name}",
            can_manage=can_manage,
            source="mention",
        )
        reply = await self.bot_app.handle(incoming)
        if reply.outcome == LIMITED_OUTCOME:
            await self._slow_down(message, incoming)
            return
        out: Message = render(reply, str(message.author.id))
        try:
            sent = await message.reply(**out.kwargs(), mention_author=False)
        except DELIVERY_ERRORS as exc:
            # a channel message has no private form on Discord: the apology is not sent
            code, detail = failure(exc)
            self.bot_app.failed(incoming, code, reply=reply, detail=detail)
            return
        self.bot_app.posted(incoming, reply, sent.jump_url)

    async def _slow_down(self, message: discord.Message, incoming: Incoming) -> None:
        """The rate limit's "please wait", to a mention: a channel message has no private form
        on Discord, and posting it for every mention over the limit filled the channel the limit
        is there to keep clear. A reaction on the asker's own message says it in place."""
        try:
            await message.add_reaction(SLOW_DOWN)
        except DELIVERY_ERRORS as exc:
            code, detail = failure(exc)
            self.bot_app.failed(incoming, code, detail=detail)

    # --- buttons: each button's class parses its custom_id and calls one of these ------------

    async def picked(
        self, interaction: discord.Interaction, entry_id: str, key: str | None
    ) -> None:
        """A "did you mean" option: its answer, in the channel."""
        if not await self._first_here(interaction):
            return
        with self.in_flight.track():
            incoming = _incoming(interaction, "", "button")
            reply = await self.bot_app.choose(incoming, entry_id, key)
            await _respond(self.bot_app, interaction, incoming, reply)

    async def voted(self, interaction: discord.Interaction, token: str) -> None:
        """👍/👎 under an answer: recorded by the core, acknowledged to the voter only."""
        if not await self._first_here(interaction):
            return
        with self.in_flight.track():
            incoming = _incoming(interaction, "", "button")
            reply = await self.bot_app.feedback(incoming, token)
            await _respond(self.bot_app, interaction, incoming, reply)

    async def remove_requested(self, interaction: discord.Interaction, asker_id: str) -> None:
        """Remove under an answer: the asker (or Manage Messages) deletes it; anyone else is
        told privately that they cannot."""
        if not await self._first_here(interaction):
            return
        with self.in_flight.track():
            await self._remove(interaction, _incoming(interaction, "", "button"), asker_id)

    # --- "Fix this answer": the context menu, then its modal ---------------------------------

    async def fix_requested(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The context menu on a message: an admin gets the correction form for the bot's
        answer; anyone else, or any other message, a private notice. (The command tree asked
        `_first_here` already.)"""
        with self.in_flight.track():
            incoming = _incoming(interaction, "", "menu")
            ours = self.user is not None and message.author.id == self.user.id
            form = await self.bot_app.correcting(incoming, ballot_in(message) if ours else "")
            if isinstance(form, Reply):
                await _respond(self.bot_app, interaction, incoming, form)
                return
            try:
                await interaction.response.send_modal(FixModal(form))
            except DELIVERY_ERRORS as exc:
                if apology := _failed(self.bot_app, interaction, incoming, exc):
                    await _apologise(interaction, apology)

    async def fix_submitted(
        self, interaction: discord.Interaction, answer: str, target: str, phrasing: str
    ) -> None:
        """The correction form submitted: recorded by the core, the admin told privately."""
        if not await self._first_here(interaction):
            return
        with self.in_flight.track():
            incoming = _incoming(interaction, "", "menu")
            reply = await self.bot_app.correct(incoming, answer, target, phrasing)
            await _respond(self.bot_app, interaction, incoming, reply)

    async def _first_here(self, interaction: discord.Interaction) -> bool:
        """Whether this session takes the interaction: the gateway sends it to every session
        on the shard, and Discord accepts one response, so the first to record its id answers
        and the others do nothing (the command run twice would record a question, a vote or a
        correction twice). discord.py asks this of the command tree for slash commands and
        context menus; the buttons and the form ask it themselves.

        Autocomplete records nothing: it changes nothing, a keystroke each, and a second
        session's answer is refused by Discord and logged as one INFO line (`service.py`).
        Shutting down, this session refuses what no session that stays took (`_taken_elsewhere`),
        privately and at once after the hand-over: Discord does not redeliver it."""
        if interaction.type is discord.InteractionType.autocomplete:
            return True
        with self.in_flight.track():
            if await self._taken_elsewhere(str(interaction.id)):
                taken = "discord interaction already taken (another session) id=%s"
                log.info(taken, interaction.id)
                return False
            if not self.accepting:
                await _refuse(interaction)
                return False
        return True

    async def _remove(
        self, interaction: discord.Interaction, incoming: Incoming, asker_id: str
    ) -> None:
        admin = bool(interaction.permissions.manage_messages)
        if not self.bot_app.may_delete(asker_id, incoming.user_id, is_admin=admin):
            denied = "Only the person who asked can remove this answer."
            try:
                await interaction.response.send_message(denied, ephemeral=True)
            except DELIVERY_ERRORS as exc:
                _failed(self.bot_app, interaction, incoming, exc)
            return
        try:
            await interaction.response.defer()
            if interaction.message is not None:
                await interaction.message.delete()
        except DELIVERY_ERRORS as exc:
            if apology := _failed(self.bot_app, interaction, incoming, exc):
                await _apologise(interaction, apology)

    async def _on_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """What the core's guard cannot catch (a fault in this adapter): the same error path,
        instead of discord.py's traceback and Discord's "The application did not respond"."""
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        incoming = _incoming(interaction, "")
        apology = self.bot_app.failed(incoming, INTERNAL, detail=f"{type(cause).__name__}: {cause}")
        await _apologise(interaction, apology)


class ShardedKubeconClient(KubeconClient, discord.AutoShardedClient):
    """The same client over several gateway shards (SHARD_COUNT, SHARD_IDS), for a bot in more
    guilds than one connection may serve: discord.py's AutoShardedClient runs the shards,
    everything the bot does is KubeconClient's."""


def _commands(client: KubeconClient) -> app_commands.Group:
    """/kubecon ask|list|takeaways|help|subscribe|unsubscribe|subscription. Discord does not
    allow options beside subcommands, so the question is `/kubecon ask question:…`."""
    group = app_commands.Group(
        name=GROUP.removeprefix("/"), description="Answers from the KubeCon '25 webinar"
    )

    async def run(
        interaction: discord.Interaction, text: str, invocation: str = INVOCATION
    ) -> None:
        if not client.accepting:
            await _refuse(interaction)
            return
        with client.in_flight.track():
            incoming = _incoming(interaction, text, invocation=invocation)
            reply = await client.bot_app.handle(incoming)
            await _respond(client.bot_app, interaction, incoming, reply)

    @group.command(name="ask", description="Ask a question about the webinar")
    @app_commands.describe(question="Your question, in your own words")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await run(interaction, question)

    @ask.autocomplete("question")
    async def ask_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        options = client.bot_app.responder.autocomplete(current, limit=10)
        return [
            app_commands.Choice(name=f"{o.number}. {o.question}"[:100], value=f"#{o.number}")
            for o in options
        ]

    @group.command(name="list", description="The questions I can answer")
    async def list_(interaction: discord.Interaction) -> None:
        await run(interaction, "list")

    @group.command(name="takeaways", description="The key takeaways of the webinar")
    async def takeaways(interaction: discord.Interaction) -> None:
        await run(interaction, "takeaways")

    @group.command(name="help", description="How to ask")
    async def help_(interaction: discord.Interaction) -> None:
        await run(interaction, "help")

    @group.command(name="subscribe", description="A takeaway here every day (Manage Channels)")
    @app_commands.describe(time="HH:MM, default 09:00", timezone="IANA name, default UTC")
    async def subscribe(
        interaction: discord.Interaction, time: str | None = None, timezone: str | None = None
    ) -> None:
        await run(interaction, " ".join(p for p in ("subscribe", time, timezone) if p), GROUP)

    # the subscription's notices name its commands as subcommands of the group, as they are
    # given here ("`/kubecon unsubscribe` stops it"), not through `ask`, which also takes them
    @group.command(name="unsubscribe", description="Stop the daily takeaway here")
    async def unsubscribe(interaction: discord.Interaction) -> None:
        await run(interaction, "unsubscribe", GROUP)

    @group.command(name="subscription", description="This channel's daily takeaway schedule")
    async def subscription(interaction: discord.Interaction) -> None:
        await run(interaction, "subscription", GROUP)

    return group
