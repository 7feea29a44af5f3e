"""Built-in intents come before matching; a clear topic still wins over a generic trigger."""

from __future__ import annotations

import pytest

from bot.core.replies import Kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("help", Kind.HELP),
        ("what can you do?", Kind.HELP),
        ("list", Kind.LIST),
        ("which questions can you answer", Kind.LIST),
        ("key takeaways", Kind.TAKEAWAYS),
        ("tl;dr", Kind.TAKEAWAYS),
        ("TLDR please", Kind.TAKEAWAYS),
        ("can you summarize the webinar", Kind.TAKEAWAYS),
        ("where is the recording", Kind.RECORDING),
        ("is there a video of the webinar?", Kind.RECORDING),
        ("who presented the webinar?", Kind.RECORDING),
        ("what did I miss?", Kind.TAKEAWAYS),
    ],
)
def test_intents(responder, text, kind):
    assert responder.respond(text).kind is kind


def test_a_specific_topic_beats_a_generic_trigger(responder):
    reply = responder.respond("summary of what was said about Chronosphere")
    assert reply.kind is Kind.ANSWER and reply.number == 8


@pytest.mark.parametrize("text", ["5", "#5", "q5", "question 5", "Q 5"])
def test_a_number_picks_from_the_list(responder, text):
    reply = responder.respond(text)
    assert reply.kind is Kind.ANSWER and reply.number == 5


def test_an_unknown_number_declines(responder):
    assert responder.respond("42").kind is Kind.DECLINE


def test_list_and_help_are_private_and_takeaways_public(responder):
    assert not responder.respond("list").public
    assert not responder.respond("help").public
    reply = responder.respond("takeaways")
    assert reply.public and len(reply.items) == 3
    assert reply.links[0].url in reply.text


def test_help_uses_the_invocation_of_the_platform(responder):
    reply = responder.respond("help", invocation="@kubecon-bot")
    assert all(item.startswith("@kubecon-bot") for item in reply.items)


def test_about_the_webinar_names_presenter_date_and_links(responder, content):
    reply = responder.respond("who was the speaker?")
    assert "Tom Fenton" in reply.body and "December 4, 2025" in reply.body
    assert [link.url for link in reply.links] == [content.recording_url, content.source_url]
