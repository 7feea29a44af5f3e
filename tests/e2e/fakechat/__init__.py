"""FakeChat: a chat platform that exists only in tests, installed the way a third party would
ship one (its own package declaring the `kubecon_bot.platforms` entry point), to show that a
new platform needs no edit to the bot.

tests/e2e/test_platform_plugin.py copies this package into a temporary directory, next to a
`fakechat-0.1.dist-info` naming `FAKECHAT` in its entry_points.txt, and puts that directory on
PYTHONPATH. Like the built-in declarations, this module imports nothing heavy: the service
(aiohttp) is imported only when `kubecon-bot run` serves FakeChat.

Settings, read from the environment (a plugin has its own; the bot ignores variables it does
not know): FAKECHAT_OUTBOX, the URL daily posts are POSTed to (setting it enables FakeChat),
and FAKECHAT_TOKEN, a secret sent with each post.
"""

from __future__ import annotations

import os
from typing import Any

from bot.core.platforms import ChannelShape, Platform

INVOCATION = "!ask"  # how FakeChat users address the bot: daily posts must say so


def _enabled(settings: Any) -> bool:
    return bool(os.environ.get("FAKECHAT_OUTBOX"))


def _secrets(settings: Any) -> list[str]:
    token = os.environ.get("FAKECHAT_TOKEN")
    return [token] if token else []


def _invocation(settings: Any) -> str:
    return INVOCATION


def _create_service(settings: Any, bot_app: Any, /, **_: Any) -> Any:
    from fakechat.service import FakeChatService

    return FakeChatService(
        bot_app,
        host=settings.host,
        outbox=os.environ["FAKECHAT_OUTBOX"],
        token=os.environ.get("FAKECHAT_TOKEN", ""),
    )


FAKECHAT = Platform(
    name="fakechat",
    label="FakeChat",
    enabled=_enabled,
    create_service=_create_service,
    how_to_enable="set FAKECHAT_OUTBOX",
    secrets=_secrets,
    channel_problem=ChannelShape("FakeChat", r"room-[0-9]+", "it is room- and digits, e.g. room-7"),
    invocation=_invocation,
)
