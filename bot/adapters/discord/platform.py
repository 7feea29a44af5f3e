"""Discord, as the platform registry sees it (bot.core.platforms): read by every process, so it
imports no discord.py; `create_service` imports the adapter when `kubecon-bot run` serves
Discord."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.platforms import ChannelShape, Platform, revealed

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.app import BotApp
    from bot.core.services import Service


def _enabled(settings: Settings) -> bool:
    return settings.discord_enabled


def _secrets(settings: Settings) -> list[str]:
    return revealed(settings.discord_token)


def _create_service(settings: Settings, bot_app: BotApp, /, **_: Any) -> Service:
    from bot.adapters.discord.service import create_service

    return create_service(settings, bot_app)


# The invocation is the default one (bot.core.platforms.DEFAULT_INVOCATION): the command group
# the client registers is named after it (bot.adapters.discord.client.INVOCATION).
DISCORD = Platform(
    name="discord",
    label="Discord",
    enabled=_enabled,
    create_service=_create_service,
    how_to_enable="set DISCORD_TOKEN",
    secrets=_secrets,
    channel_problem=ChannelShape(
        "Discord",
        r"[0-9]+",
        "a Discord channel id is digits only, e.g. 1234567890123456789 "
        "(Copy Channel ID, with Developer Mode on)",
    ),
)
