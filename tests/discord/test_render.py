"""Rendering stays inside Discord's limits whatever the content says."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.adapters.discord.buttons import PickButton
from bot.adapters.discord.render import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    LABEL_MAX,
    TITLE_MAX,
    render,
)
from bot.core.replies import Kind, Link, Option, Reply, Visibility


def sent(view: discord.ui.View) -> list[dict[str, Any]]:
    """The view's buttons as Discord receives them."""
    return [c for row in view.to_components() for c in row["components"]]


def test_huge_answer_is_cut_with_a_link_to_the_recording():
    reply = Reply(
        kind=Kind.ANSWER,
        visibility=Visibility.CHANNEL,
        text="x" * 9000,
        title="Q" * 400,
        body="word " * 3000,
        links=(Link("Watch the recording", "https://example.org/r"),),
        footer="F" * 3000,
        number=1,
        entry_id="e",
    )
    message = render(reply, "42")
    embed = message.embeds[0]
    assert len(embed.title) <= TITLE_MAX
    assert len(embed.description) <= DESCRIPTION_MAX
    assert len(embed) <= EMBED_TOTAL_MAX
    assert embed.description.endswith("… https://example.org/r")


def test_long_notice_and_labels_are_cut():
    notice = Reply(kind=Kind.NOTICE, visibility=Visibility.PRIVATE, text="n" * 5000)
    assert len(render(notice).content) <= CONTENT_MAX
    options = tuple(Option(f"e{i}", i, "a very long question " * 10) for i in range(5))
    suggestions = Reply(
        kind=Kind.SUGGESTIONS, visibility=Visibility.PRIVATE, text="?", options=options
    )
    buttons = sent(render(suggestions).view)
    assert len(buttons) == 5 and all(len(b["label"]) <= LABEL_MAX for b in buttons)


def test_an_answer_with_votes_fits_one_row_and_every_custom_id_fits():
    reply = Reply(
        kind=Kind.ANSWER,
        visibility=Visibility.CHANNEL,
        text="a",
        title="q",
        body="a",
        links=(
            Link("Watch the recording", "https://example.org/r"),
            Link("Read the article", "https://example.org/a"),
        ),
        entry_id="e" * 64,  # the longest id the content schema allows
        number=1,
        reply_key="0123456789abcdef",
    )
    buttons = sent(render(reply, "1" * 20).view)
    assert [b.get("emoji", {}).get("name") for b in buttons][2:4] == ["👍", "👎"]
    assert len(buttons) <= 5  # one row
    assert all(len(b["custom_id"]) <= 100 for b in buttons if "custom_id" in b)


async def parse_pick(custom_id: str) -> tuple[str, str | None]:
    """What discord.py makes of a click on a pick button with this custom_id."""
    match = re.fullmatch(PickButton.__discord_ui_compiled_template__, custom_id)
    assert match is not None, custom_id
    button = await PickButton.from_custom_id(None, None, match)  # type: ignore[arg-type]
    return button.entry_id, button.key


async def test_pick_buttons_carry_the_suggestions_key_and_older_buttons_still_parse():
    custom_id = PickButton("e" * 64, "0123456789abcdef").custom_id
    assert await parse_pick(custom_id) == ("e" * 64, "0123456789abcdef")
    assert len(custom_id) <= 100
    assert await parse_pick("kubecon:pick:openai-logging-fix") == ("openai-logging-fix", None)


def test_a_greeting_is_a_line_of_text_not_a_card(responder):
    for text in ("hi", "thanks!"):
        message = render(responder.respond(text))
        assert message.embeds == [] and message.view is None
        assert message.content.startswith(("Hi! ", "You're welcome! "))
