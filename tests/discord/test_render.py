"""Rendering stays inside Discord's limits whatever the content says."""

from __future__ import annotations

from bot.adapters.discord.render import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    LABEL_MAX,
    TITLE_MAX,
    render,
)
from bot.core.replies import Kind, Link, Option, Reply, Visibility


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
    buttons = render(suggestions).view.children
    assert len(buttons) == 5 and all(len(b.label) <= LABEL_MAX for b in buttons)
