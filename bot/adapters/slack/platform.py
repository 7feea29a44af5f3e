"""Slack, as the platform registry sees it (bot.core.platforms): read by every process, so it
imports no Slack SDK; `create_service` imports the adapter when `kubecon-bot run` serves Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.platforms import ChannelShape, Platform, revealed

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.app import BotApp
    from bot.core.services import Service


def _enabled(settings: Settings) -> bool:
    return settings.slack_enabled


def _secrets(settings: Settings) -> list[str]:
    return revealed(
        settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret
    )


def _invocation(settings: Settings) -> str:
    return settings.slack_command


def _web_port(settings: Settings) -> int | None:
    """HTTP mode serves /slack/events on PORT, and the health endpoints with it."""
    return settings.port if settings.effective_slack_mode == "http" else None


def _create_service(
    settings: Settings, bot_app: BotApp, /, *, database: Any = None, **_: Any
) -> Service:
    """Slack retries an event it thinks was missed, and the retry may land on another replica:
    the event ids already handled are shared through the bot's `database`."""
    from bot.adapters.slack.service import create_service
    from bot.storage.seen import shared_seen_ids

    return create_service(settings, bot_app, seen=shared_seen_ids(database, "slack"))


SLACK = Platform(
    name="slack",
    label="Slack",
    enabled=_enabled,
    create_service=_create_service,
    how_to_enable="set SLACK_BOT_TOKEN, plus SLACK_APP_TOKEN (Socket Mode)\n"
    "or SLACK_SIGNING_SECRET (HTTP mode)",
    secrets=_secrets,
    channel_problem=ChannelShape(
        "Slack",
        r"[CGD][A-Z0-9]+",
        "a Slack channel id is C, G or D followed by capital letters and digits, e.g. C0123ABCD",
    ),
    invocation=_invocation,
    web_port=_web_port,
)
