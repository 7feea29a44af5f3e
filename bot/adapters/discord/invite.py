"""The OAuth2 URL that installs the bot in a server, with the least it needs."""

from __future__ import annotations

import base64
import binascii

import discord

# What answering needs: see the channel, reply, embed, and read the message it replies to;
# and react to it (⏳ to a mention over the rate limit, where a post would flood the channel).
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    read_message_history=True,
    add_reactions=True,
)


def application_id_from_token(token: str) -> int | None:
    """A bot token's first segment is its user id in base64, and a bot's user id is its
    application's id: enough to build the URL without asking Discord."""
    head = token.split(".", 1)[0]
    try:
        return int(base64.b64decode(head + "=" * (-len(head) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(
        application_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands")
    )
