"""Rendering core replies as Slack messages: every kind, escaping, and Slack's size limits."""

from __future__ import annotations

import json

import pytest

from bot.adapters.slack.handlers import strip_mention
from bot.adapters.slack.render import parse_choice, render
from bot.core.app import repeat
from bot.core.content import load_content
from bot.core.intents import HELP, INTENTS, TAKEAWAYS
from bot.core.replies import (
    Kind,
    Link,
    Option,
    Reply,
    Visibility,
    notice,
    webinar_credit,
    webinar_links,
)
from bot.core.responder import Responder


@pytest.fixture(scope="module")
def responder() -> Responder:
    return Responder(load_content())


def _strings(obj: object) -> list[str]:
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return [obj] if isinstance(obj, str) else []


def _check_limits(payload: dict) -> None:
    assert len(payload["blocks"]) <= 50
    for block in payload["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "actions":
            for el in block["elements"]:
                assert len(el["text"]["text"]) <= 75
                assert len(el.get("value", "")) <= 2000
    assert payload["text"]


def test_every_kind_renders_within_slack_limits(responder: Responder):
    content = responder.content
    answer = responder.answer(content.entries[0])
    daily = Reply(
        kind=Kind.DAILY,
        visibility=Visibility.CHANNEL,
        text="Today's takeaway",
        title="Takeaway of the day",
        body=content.takeaways[1],
        links=webinar_links(content),
        footer=webinar_credit(content),
    )
    replies = [
        answer,
        *(responder.for_intent(intent) for intent in INTENTS),
        responder.respond("ai operators"),
        responder.respond("best pizza in town"),
        repeat(answer, "https://example.slack.com/archives/C1/p1"),
        repeat(answer, None),
        notice("Subscribed: 09:00 Europe/Berlin"),
        daily,
        _a_full_digest(),
    ]
    assert {r.kind for r in replies} == {*Kind, *INTENTS}
    for reply in replies:
        payload = render(reply, asker_id="U0000ASK")
        _check_limits(payload)
        visible = "\n".join(_strings(payload["blocks"]))
        assert (reply.title or reply.body or reply.text).split("\n")[0][:40].replace(
            "&", "&amp;"
        ) in visible, reply.kind


def _a_full_digest() -> Reply:
    """The editors' digest at its longest: every example question cut at its limit."""
    from bot.usage.digest import digest_reply

    group = {"count": 99, "text": "&<>@everyone " * 40}
    figures = {
        "since": "2026-11-02T09:00:00+00:00",
        "until": "2026-11-09T09:00:00+00:00",
        "questions": 99999,
        "match_rate": 0.5,
        "outcomes": {"declined": 99999},
        "votes": {"up": 1, "down": 1},
        "unanswered": [group] * 10,
        "texts_recorded": 99999,
    }
    return digest_reply(figures, pending=999)


def test_daily_post_shows_title_body_recording_and_footer(responder: Responder):
    content = responder.content
    daily = Reply(
        kind=Kind.DAILY,
        visibility=Visibility.CHANNEL,
        text="t",
        title="Takeaway of the day",
        body="Body & more",
        links=(Link("Watch the recording", content.recording_url),),
        footer="KubeCon '25 Takeaways: Top Trends, Tools & Technologies",
    )
    blocks = json.dumps(render(daily)["blocks"])
    assert "Takeaway of the day" in blocks and "Body &amp; more" in blocks
    assert content.recording_url in blocks and "Tools &amp; Technologies" in blocks
    assert "kubecon_remove" not in blocks  # nobody asked: nothing to remove


def test_user_text_echoed_in_a_reply_cannot_ping_or_link():
    hostile = (
        "unknown timezone <!channel> <!here|here> <@U0EVIL> <https://evil.test|docs> @everyone"
    )
    payload = render(notice(hostile))
    for text in _strings(payload):
        for markup in ("<!channel>", "<!here", "<@U0EVIL>", "<https://evil", "@everyone"):
            assert markup not in text
    assert "&lt;!channel&gt;" in payload["text"]


def test_asker_mention_only_for_a_well_formed_user_id(responder: Responder):
    answer = responder.answer(responder.content.entries[0])
    assert "<@U0000ASK>" in json.dumps(render(answer, asker_id="U0000ASK"))
    forged = json.dumps(render(answer, asker_id="U1> <!channel"))
    assert "<!channel" not in forged and "kubecon_remove" not in forged


def test_private_and_non_answer_replies_have_no_remove_button(responder: Responder):
    for reply in (
        responder.for_intent(HELP),
        responder.for_intent(TAKEAWAYS),
        responder.respond("ai operators"),
    ):
        assert "kubecon_remove" not in json.dumps(render(reply, asker_id="U0000ASK"))


def test_suggestions_offer_at_most_three_buttons_carrying_the_thread():
    options = tuple(Option(f"e{i}", i, "Q" * 200) for i in range(1, 6))
    reply = Reply(
        kind=Kind.SUGGESTIONS,
        visibility=Visibility.PRIVATE,
        text="Did you mean",
        title="Did you mean…?",
        options=options,
        hint="Pick one",
        reply_key="0123456789abcdef",
    )
    payload = render(reply, thread_ts="1700000001.000100")
    buttons = [el for b in payload["blocks"] if b["type"] == "actions" for el in b["elements"]]
    assert len(buttons) == 3  # and no vote buttons on suggestions
    assert [parse_choice(b["value"]) for b in buttons] == [
        ("e1", "1700000001.000100", "0123456789abcdef"),
        ("e2", "1700000001.000100", "0123456789abcdef"),
        ("e3", "1700000001.000100", "0123456789abcdef"),
    ]
    _check_limits(payload)


def test_huge_text_is_split_into_sections_and_capped_at_fifty_blocks():
    long_body = ("word & <tag> " * 400 + "\n") * 40  # about 200k characters once escaped
    reply = Reply(kind=Kind.NOTICE, visibility=Visibility.CHANNEL, text=long_body, body=long_body)
    payload = render(reply)
    _check_limits(payload)
    sections = [b for b in payload["blocks"] if b["type"] == "section"]
    assert len(sections) == 50
    assert "shortened" in sections[-1]["text"]["text"]
    for block in sections[:-1]:
        text = block["text"]["text"]
        assert text.count("&") == text.count("&amp;") + text.count("&lt;") + text.count("&gt;")


def test_one_enormous_word_is_cut_without_breaking_an_entity():
    word = "&" * 5000
    payload = render(Reply(kind=Kind.NOTICE, visibility=Visibility.PRIVATE, text=word, body=word))
    _check_limits(payload)
    joined = "".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    assert joined == "&amp;" * 5000


def test_mentions_of_the_bot_are_stripped_from_the_question():
    assert strip_mention("<@UBOT1> what about SBOMs?", "UBOT1") == "what about SBOMs?"
    assert strip_mention("hey <@UBOT1|kubecon-bot> SBOMs", "UBOT1") == "hey  SBOMs"
    assert strip_mention("<@UBOT1> ask <@U0OTHER>", "UBOT1") == "ask <@U0OTHER>"
    assert strip_mention("<@UBOT1> SBOMs", None) == "SBOMs"


def test_each_reply_gets_its_own_blocks_though_the_escaped_text_is_kept(responder):
    """The escaped pieces of an answer are kept between replies; the blocks holding them are
    not, so what one reply's delivery adds to its payload never shows in the next one."""
    first = render(responder.respond("what about SBOMs?"), asker_id="U0000ASK")
    first["blocks"][0]["text"]["text"] = "changed"
    first["blocks"].append({"type": "divider"})
    second = render(responder.respond("sboms"), asker_id="U0000TWO")
    assert second["blocks"][0]["text"]["text"] != "changed"
    assert {"type": "divider"} not in second["blocks"]
    assert "&lt;" not in second["text"] and "SBOM" in second["text"]
