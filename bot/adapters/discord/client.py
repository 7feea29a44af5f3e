"""Discord events in, `BotApp` calls out: mentions, the /kubecon command group, and buttons.

Only translation lives here. Who may manage subscriptions (Manage Channels) and who may remove
an answer (the asker, or Manage Messages) are Discord facts handed to the core as booleans.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands

from bot.adapters.discord.render import PICK, REMOVE, VOTE, Message, parse_pick, render
from bot.app import BotApp, Incoming
from bot.core.dedup import SeenIds
from bot.core.replies import Reply

log = logging.getLogger(__name__)

INVOCATION = "/kubecon"


def report_failure(where: str, guild: object, channel: object, exc: Exception) -> None:
    """A reply Discord refused: logged with guild, channel and reason, counted, never silent."""
    from bot.metrics import METRICS

    reason = type(exc).__name__
    if isinstance(exc, discord.HTTPException):
        reason = f"{exc.status} {exc.text or reason}".strip()
    log.error("discord %s failed guild=%s channel=%s reason=%s", where, guild, channel, reason)
    METRICS.reply_failed("discord", type(exc).__name__)


def _incoming(interaction: discord.Interaction, text: str, source: str = "command") -> Incoming:
    perms = interaction.permissions
    return Incoming(
        platform="discord",
        text=text,
        channel_id=str(interaction.channel_id or ""),
        user_id=str(interaction.user.id),
        workspace_id=str(interaction.guild_id or ""),
        invocation=INVOCATION,
        can_manage=bool(perms.manage_channels),
        source=source,
        message_id=str(interaction.id),
    )


async def _respond(interaction: discord.Interaction, reply: Reply, asker: str | None) -> None:
    message = render(reply, asker if reply.public else None)
    try:
        await interaction.response.send_message(**message.kwargs(), ephemeral=not reply.public)
    except discord.HTTPException as exc:
        report_failure("interaction response", interaction.guild_id, interaction.channel_id, exc)


class KubeconClient(discord.Client):
    """A discord.py client with no privileged intent: mentions carry their content anyway."""

    def __init__(self, bot_app: BotApp, guild_id: int | None = None, **options: object) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,  # type: ignore[arg-type]
        )
        self.bot_app = bot_app
        self.guild_id = guild_id
        self.seen = SeenIds()
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(_commands(self))

    async def setup_hook(self) -> None:
        if self.guild_id:  # a guild's commands update at once; global ones can take an hour
            guild = discord.Object(id=self.guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        me = self.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if me not in message.mentions:  # @everyone / @here do not put the bot in mentions
            return
        if not self.seen.first_time(str(message.id)):  # a RESUME replays events
            return
        text = re.sub(rf"<@!?{me.id}>", " ", message.content)
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
            message_id=str(message.id),
        )
        reply = await self.bot_app.handle(incoming)
        out: Message = render(reply, str(message.author.id))
        try:
            sent = await message.reply(**out.kwargs(), mention_author=False)
        except discord.HTTPException as exc:
            report_failure("reply", message.guild and message.guild.id, message.channel.id, exc)
            return
        self.bot_app.posted(incoming, reply, sent.jump_url)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Buttons: "did you mean" picks, 👍/👎 and "Remove"; identified by their custom_id."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if custom_id.startswith(PICK):
            entry_id, key = parse_pick(custom_id)
            incoming = _incoming(interaction, "", "button")
            reply = await self.bot_app.choose(incoming, entry_id, key)
            await _respond(interaction, reply, str(interaction.user.id))
        elif custom_id.startswith(VOTE):
            token = custom_id.removeprefix(VOTE)
            reply = await self.bot_app.feedback(_incoming(interaction, "", "button"), token)
            await _respond(interaction, reply, None)
        elif custom_id.startswith(REMOVE):
            await self._remove(interaction, custom_id.removeprefix(REMOVE))

    async def _remove(self, interaction: discord.Interaction, asker_id: str) -> None:
        admin = bool(interaction.permissions.manage_messages)
        if not self.bot_app.may_delete(asker_id, str(interaction.user.id), is_admin=admin):
            await interaction.response.send_message(
                "Only the person who asked can remove this answer.", ephemeral=True
            )
            return
        try:
            await interaction.response.defer()
            if interaction.message is not None:
                await interaction.message.delete()
        except discord.HTTPException as exc:
            report_failure("remove", interaction.guild_id, interaction.channel_id, exc)


def _commands(client: KubeconClient) -> app_commands.Group:
    """/kubecon ask|list|takeaways|help|subscribe|unsubscribe|subscription. Discord does not
    allow options beside subcommands, so the question is `/kubecon ask question:…`."""
    group = app_commands.Group(name="kubecon", description="Answers from the KubeCon '25 webinar")

    async def run(interaction: discord.Interaction, text: str) -> None:
        reply = await client.bot_app.handle(_incoming(interaction, text))
        await _respond(interaction, reply, str(interaction.user.id))

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
        await run(interaction, " ".join(p for p in ("subscribe", time, timezone) if p))

    @group.command(name="unsubscribe", description="Stop the daily takeaway here")
    async def unsubscribe(interaction: discord.Interaction) -> None:
        await run(interaction, "unsubscribe")

    @group.command(name="subscription", description="This channel's daily takeaway schedule")
    async def subscription(interaction: discord.Interaction) -> None:
        await run(interaction, "subscription")

    return group
