"""The buttons that act: a "did you mean" pick, 👍/👎 under an answer, and Remove.

Each is a discord.py `DynamicItem`: the class writes its `custom_id` (the constructor) and parses
it back (`template`, `from_custom_id`), and discord.py routes a click to the class whose
template matches (`KubeconClient` registers them with `add_dynamic_items`). Their meaning lives
in the custom_id, not in memory, so a button keeps working after a restart and on messages
posted long ago: the formats below are what those messages carry, and must not change. The
click itself is handled by the client (`picked`, `voted`, `remove_requested`), where the rest
of the Discord translation lives.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.adapters.discord.client import KubeconClient

    Click = discord.Interaction[KubeconClient]  # a click: interaction.client is ours

PICK = "kubecon:pick:"  # + entry id [+ ":" + the suggestions' reply key]
REMOVE = "kubecon:remove:"  # + the asker's user id
VOTE = "kubecon:vote:"  # + the ballot token (≤ 86 characters)
CUSTOM_ID_MAX = 100


class PickButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.escape(PICK) + r"(?P<entry_id>[^:]*)(?::(?P<key>.*))?",
):
    """A "did you mean" option: ≤ 94 characters (entry ids are ≤ 64, keys 16). Buttons posted
    before suggestions had a reply key end at the entry id."""

    def __init__(self, entry_id: str, key: str | None = None, *, label: str | None = None) -> None:
        custom_id = PICK + entry_id + (f":{key}" if key else "")
        super().__init__(discord.ui.Button(label=label, custom_id=custom_id))
        self.entry_id = entry_id
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: Click, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PickButton:
        return cls(match["entry_id"], match["key"] or None)

    async def callback(self, interaction: Click) -> None:
        await interaction.client.picked(interaction, self.entry_id, self.key)


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.escape(VOTE) + r"(?P<token>.*)",
):
    """👍 or 👎 under an answer; the ballot token (bot.core.feedback) says which, for which
    answer, and is checked by the core."""

    def __init__(self, token: str, *, emoji: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=VOTE + token
            )
        )
        self.token = token

    @classmethod
    async def from_custom_id(
        cls, interaction: Click, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(match["token"])

    async def callback(self, interaction: Click) -> None:
        await interaction.client.voted(interaction, self.token)


class RemoveButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.escape(REMOVE) + r"(?P<asker_id>.*)",
):
    """Remove under an answer in a channel: the asker (whose id it carries) may delete it."""

    def __init__(self, asker_id: str) -> None:
        custom_id = (REMOVE + asker_id)[:CUSTOM_ID_MAX]
        super().__init__(
            discord.ui.Button(
                label="Remove", style=discord.ButtonStyle.secondary, custom_id=custom_id
            )
        )
        self.asker_id = custom_id.removeprefix(REMOVE)

    @classmethod
    async def from_custom_id(
        cls, interaction: Click, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RemoveButton:
        return cls(match["asker_id"])

    async def callback(self, interaction: Click) -> None:
        await interaction.client.remove_requested(interaction, self.asker_id)


BUTTONS = (PickButton, VoteButton, RemoveButton)
