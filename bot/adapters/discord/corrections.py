"""The "Fix this answer" message context menu on Discord, and its form: the clicked message in,
the core's form out as a modal, the modal's submission back in. Translation only: who is an
admin is Discord's Manage Messages in that channel (the client decides), everything else is
`BotApp.correcting` and `BotApp.correct`.

A Discord modal holds text inputs only (the entry is typed by its number, "0" for "should not
be answered"), and its submission is routed by discord.py to the `FixModal` object that opened
it, in this process: a form left open across a restart has to be opened again (Discord says
the interaction failed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.adapters.discord.buttons import VOTE
from bot.core.corrections import DECLINE, PHRASING_MAX, CorrectionForm

if TYPE_CHECKING:
    from bot.adapters.discord.client import KubeconClient

MENU = "Fix this answer"  # the context menu's name, as admins see it on a message
TITLE_MAX = 45  # a modal's title, and a text input's label
MODAL_TIMEOUT_S = 30 * 60.0  # an open form is forgotten after this (it holds no secret)


def ballot_in(message: discord.Message) -> str:
    """The payload of a 👍/👎 button on `message` (one of the bot's answers), or ""."""
    for row in message.components:
        for item in getattr(row, "children", ()):
            custom_id = getattr(item, "custom_id", None) or ""
            if custom_id.startswith(VOTE):
                return custom_id.removeprefix(VOTE)
    return ""


class FixModal(discord.ui.Modal):
    """The form: the right entry's number and the phrasing, prefilled when the bot holds it."""

    def __init__(self, form: CorrectionForm) -> None:
        answered = f" (was Q{form.answered.number})" if form.answered else ""
        super().__init__(title=f"Fix this answer{answered}"[:TITLE_MAX], timeout=MODAL_TIMEOUT_S)
        self.answer = form.answer
        self.entry: discord.ui.TextInput[FixModal] = discord.ui.TextInput(
            label=f"Right entry number ({DECLINE}: not to be answered)"[:TITLE_MAX],
            placeholder=f"e.g. 7, from /kubecon list; {DECLINE} if it should not be answered",
            max_length=12,
        )
        self.phrasing: discord.ui.TextInput[FixModal] = discord.ui.TextInput(
            label="The question, as people ask it",
            style=discord.TextStyle.paragraph,
            default=form.phrasing[:PHRASING_MAX] or None,
            placeholder="Kept as the suggestion's wording: leave out names and anything private",
            max_length=PHRASING_MAX,
        )
        self.add_item(self.entry)
        self.add_item(self.phrasing)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        client: KubeconClient = interaction.client
        await client.fix_submitted(interaction, self.answer, self.entry.value, self.phrasing.value)


def fix_menu(client: KubeconClient) -> app_commands.ContextMenu:
    """The context menu on a message's Apps menu. Shown by default to members with Manage
    Messages (a server can change that); the client checks the permission again."""

    async def fix(interaction: discord.Interaction, message: discord.Message) -> None:
        await client.fix_requested(interaction, message)

    menu = app_commands.ContextMenu(name=MENU, callback=fix)
    menu.default_permissions = discord.Permissions(manage_messages=True)
    return menu
