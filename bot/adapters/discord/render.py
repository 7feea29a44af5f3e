"""Core replies as Discord messages (content, embed, buttons), within every Discord limit.

Discord rejects a message that breaks a limit outright, so each field is cut here, with an
ellipsis and, where a text was cut, the link to read it whole. Buttons that act (pick a
suggestion, vote, remove an answer) are the `DynamicItem`s of bot.adapters.discord.buttons: they
carry their meaning in `custom_id`, so they keep working after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from bot.adapters.discord.buttons import PickButton, RemoveButton, VoteButton
from bot.core import intents
from bot.core.feedback import Vote, ballot_token
from bot.core.replies import Kind, Reply

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
LABEL_MAX = 80
BUTTONS_PER_ROW = 5
COLOUR = discord.Colour(0x326CE5)  # Kubernetes blue


@dataclass
class Message:
    """What `send`/`reply`/`send_message` take, as keyword arguments."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict[str, object]:
        out: dict[str, object] = {"content": self.content, "embeds": self.embeds}
        if self.view is not None:
            out["view"] = self.view
        return out


def cut(text: str, limit: int, more: str = "") -> str:
    """`text` within `limit` characters; when cut, it ends with "…" and `more` (a link)."""
    if len(text) <= limit:
        return text
    tail = f"… {more}".rstrip() if more else "…"
    return text[: max(0, limit - len(tail))].rstrip() + tail


def _body(reply: Reply) -> str:
    if reply.kind is Kind.SUGGESTIONS:
        return "\n".join(f"**{o.number}.** {o.question}" for o in reply.options) + (
            f"\n\n{reply.hint}" if reply.hint else ""
        )
    if reply.items and reply.kind is not intents.HELP:
        bullet = "" if reply.kind is intents.LIST else "• "
        text = "\n".join(f"{bullet}{item}" for item in reply.items)
        return text + (f"\n\n{reply.hint}" if reply.hint else "")
    if reply.kind is intents.HELP:
        return (reply.body or "") + "\n\n" + "\n".join(f"• {i}" for i in reply.items)
    return reply.body or reply.text


def _embed(reply: Reply) -> discord.Embed:
    more = reply.links[0].url if reply.links else ""
    title = reply.title
    if reply.kind is Kind.ANSWER and reply.number is not None:
        title = f"Q{reply.number}. {reply.title}"
    embed = discord.Embed(
        title=cut(title, TITLE_MAX) if title else None,
        url=reply.links[0].url if reply.links and reply.kind is Kind.ANSWER else None,
        colour=COLOUR,
    )
    footer = cut(reply.footer, FOOTER_MAX) if reply.footer else None
    if footer:
        embed.set_footer(text=footer)
    room = EMBED_TOTAL_MAX - len(embed.title or "") - len(footer or "")
    embed.description = cut(_body(reply), min(DESCRIPTION_MAX, room), more)
    return embed


def _view(reply: Reply, asker_id: str | None) -> discord.ui.View | None:
    view = discord.ui.View(timeout=None)
    if reply.kind is Kind.SUGGESTIONS:
        for option in reply.options[:BUTTONS_PER_ROW]:
            label = cut(f"{option.number}. {option.question}", LABEL_MAX)
            view.add_item(PickButton(option.entry_id, reply.reply_key, label=label))
    if reply.kind in (Kind.ANSWER, intents.TAKEAWAYS, intents.RECORDING, Kind.DAILY, Kind.REPEAT):
        for link in reply.links[:2]:
            label = "Source" if "article" in link.label.lower() else link.label
            view.add_item(discord.ui.Button(label=cut(label, LABEL_MAX), url=link.url))
    if reply.kind is Kind.ANSWER and reply.reply_key and reply.entry_id:
        for vote in (Vote.UP, Vote.DOWN):
            token = ballot_token(reply.reply_key, reply.entry_id, vote)
            view.add_item(VoteButton(token, emoji=vote.emoji))
    if reply.kind is Kind.ANSWER and asker_id:
        view.add_item(RemoveButton(asker_id))
    if not view.children:
        return None
    # not kept in discord.py's view store: a click reaches the button's class through the
    # client's dynamic items, from the custom_id alone, whenever it comes
    view.stop()
    return view


def render(reply: Reply, asker_id: str | None = None) -> Message:
    """The message for `reply`; `asker_id` (for answers in a channel) enables "Remove"."""
    if reply.kind is Kind.REPEAT:
        return Message(content=cut(reply.text, CONTENT_MAX), view=_view(reply, None))
    if reply.kind in (Kind.NOTICE, Kind.DECLINE) or not (
        reply.title or reply.items or reply.options or reply.links
    ):  # a line of text ("Hi! …", "You're welcome! …") reads as one, not as a card
        return Message(content=cut(reply.text, CONTENT_MAX))
    return Message(embeds=[_embed(reply)], view=_view(reply, asker_id))
