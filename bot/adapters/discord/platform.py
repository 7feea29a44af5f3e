"""Discord, as the platform registry sees it (bot.core.platforms): read by every process, so it
imports no discord.py; `create_service` imports the adapter when `kubecon-bot run` serves
Discord."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.platforms import (
    DEFAULT_INVOCATION,
    ChannelShape,
    Platform,
    revealed,
    snowflake_problem,
)

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.app import BotApp
    from bot.core.services import Service


def _enabled(settings: Settings) -> bool:
    return settings.discord_enabled


def _secrets(settings: Settings) -> list[str]:
    return revealed(settings.discord_token)


def _create_service(
    settings: Settings, bot_app: BotApp, /, *, database: Any = None, **_: Any
) -> Service:
    """The gateway sends every event to every session on a shard: a second replica (by
    mistake, or during a rolling update) must not answer what the first did, so the ids of
    what the bot answers are shared through the bot's `database`."""
    from bot.adapters.discord.service import create_service
    from bot.storage.seen import shared_seen_ids

    return create_service(settings, bot_app, seen=shared_seen_ids(database, "discord"))


# The slash command group the client registers, named after the product's command: /kubecon.
GROUP = DEFAULT_INVOCATION
# What a user types before their words, as hints and daily posts spell it ("Ask `/kubecon ask
# 10`", "`/kubecon ask list`"). Discord allows no text right after a command group, only a
# subcommand with its options, so "/kubecon 10", Slack's form, is no command there; `ask` takes
# anything the bot understands (a question, a number, list, takeaways, subscribe…).
INVOCATION = f"{GROUP} ask"


def _invocation(_settings: Settings) -> str:
    return INVOCATION


DISCORD = Platform(
    name="discord",
    label="Discord",
    enabled=_enabled,
    create_service=_create_service,
    how_to_enable="set DISCORD_TOKEN",
    invocation=_invocation,
    secrets=_secrets,
    channel_problem=ChannelShape(
        "Discord",
        r"[0-9]+",
        "a Discord channel id is digits only, e.g. 1234567890123456789 "
        "(Copy Channel ID, with Developer Mode on)",
        beyond=snowflake_problem,
    ),
)
