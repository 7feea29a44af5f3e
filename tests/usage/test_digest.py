"""The editors' digest as a post: its wording for the figures `report --json` gives, and what
Slack and Discord make of the user texts in it (nothing that pings, links or formats)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.adapters.discord.render import render as discord_render
from bot.adapters.slack.render import render as slack_render
from bot.adapters.terminal.render import render as terminal_render
from bot.core.replies import Kind
from bot.usage.digest import EXAMPLE_MAX, REVIEW, digest_reply, example

SINCE = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
UNTIL = SINCE + dt.timedelta(days=7)
HOSTILE = "@everyone <!channel> <@U0123> ask `rm -rf` [free](http://evil.example) *now*"


def figures(**overrides: Any) -> dict[str, Any]:
    """What `report.as_json` gives, for a week with a few questions."""
    base: dict[str, Any] = {
        "since": SINCE.isoformat(),
        "until": UNTIL.isoformat(),
        "questions": 12,
        "match_rate": 0.75,
        "outcomes": {"answered": 8, "repeat": 1, "declined": 2, "suggested": 1},
        "votes": {"up": 3, "down": 1},
        "unanswered": [
            {"count": 2, "text": "how much does it cost"},
            {"count": 1, "text": HOSTILE},
            {"count": 1, "text": "third"},
            {"count": 1, "text": "fourth, not shown"},
        ],
        "texts_recorded": 3,
    }
    return {**base, **overrides}


def test_the_post_has_the_weeks_figures_groups_and_pending_suggestions() -> None:
    reply = digest_reply(figures(), pending=4)
    assert reply.kind is Kind.DIGEST and reply.public
    assert reply.title == "Editors' digest: the last 7 days"
    body = (reply.body or "").splitlines()
    assert body[0] == "2026-11-02 09:00 to 2026-11-09 09:00 UTC"
    assert body[1] == "Questions: 12 · match rate 75.0% · helpful 75.0% (👍 3, 👎 1)"
    assert [line for line in body if line.startswith("• ")] == [
        "• 2× `how much does it cost`",
        f"• 1× {example(HOSTILE)}",
        "• 1× `third`",
    ]
    assert body[-1] == f"Suggestions pending: 4 · review them with `{REVIEW}`"
    assert reply.text.startswith(reply.title + "\n")  # the fallback says it all


def test_an_empty_week_and_unrecorded_texts_say_so() -> None:
    empty = digest_reply(
        figures(questions=0, match_rate=None, outcomes={}, votes={}, unanswered=[]), pending=0
    )
    assert "Questions: 0 · match rate n/a · helpful n/a (👍 0, 👎 0)" in (empty.body or "")
    assert "Unanswered: none." in (empty.body or "")
    assert "Suggestions pending: 0" in (empty.body or "")
    private = digest_reply(figures(unanswered=[], texts_recorded=0), pending=0)
    assert "Unanswered: 3; their text is not recorded (RECORD_QUESTIONS)." in (private.body or "")
    daily = digest_reply(figures(since=(UNTIL - dt.timedelta(days=1)).isoformat()), pending=0)
    assert daily.title == "Editors' digest: the last day"


def test_a_group_the_content_answers_now_is_left_out() -> None:
    """An editor accepted a phrasing after the questions were asked: the report says "answered
    now with Q3: nothing to do", and the digest listed it among the most asked without an
    answer all the same. It is left out now, and the next group takes its place."""
    groups = [
        {"count": 3, "text": "rubber stamp thing", "answered_now": "Q3"},
        {"count": 2, "text": "how much does it cost", "answered_now": None},
        {"count": 1, "text": "third"},
    ]
    body = (digest_reply(figures(unanswered=groups), pending=0, top=2).body or "").splitlines()
    shown = [line for line in body if line.startswith("• ")]
    assert shown == ["• 2× `how much does it cost`", "• 1× `third`"]
    settled = digest_reply(figures(unanswered=groups[:1]), pending=0).body or ""
    assert "Unanswered: none left; the content answers them now" in settled


def test_a_group_whose_askers_all_picked_an_entry_is_left_out() -> None:
    """Both askers of "what does tom think about GPUs" picked Q1 from "did you mean": the
    digest listed it as most asked without an answer. They had their answer (the phrasing is
    a pending suggestion); a group where someone was left without one is still shown."""
    groups = [
        {"count": 2, "text": "what does tom think about GPUs", "picked": {"Q1": 2}},
        {"count": 3, "text": "platform stuff", "picked": {"Q2": 1}},
    ]
    body = (digest_reply(figures(unanswered=groups), pending=1).body or "").splitlines()
    assert [line for line in body if line.startswith("• ")] == ["• 3× `platform stuff`"]
    settled = digest_reply(figures(unanswered=groups[:1]), pending=1).body or ""
    assert 'their askers picked an answer from "did you mean"' in settled


def test_an_example_is_one_code_span_of_bounded_length() -> None:
    assert example("two\nlines  here") == "`two lines here`"
    assert example("a `b` c") == "`a 'b' c`"  # no backtick can close the span early
    long = example("x" * 500)
    assert len(long) == EXAMPLE_MAX + 2 and long.endswith("…`")


def test_slack_shows_user_text_without_pinging_or_linking() -> None:
    payload = slack_render(digest_reply(figures(), pending=0))
    sent = json.dumps(payload, ensure_ascii=False)
    for markup in ("<!channel>", "<@U0123>", "<http", "@everyone"):
        assert markup not in sent, markup
    assert "@\u200beveryone" in sent and "&lt;!channel&gt;" in sent
    sections = [b["text"] for b in payload["blocks"] if b["type"] == "section"]
    assert all(s["verbatim"] is True for s in sections)
    assert any(s["text"] == "*Editors' digest: the last 7 days*" for s in sections)


def test_discord_shows_it_as_an_embed_with_user_text_in_a_code_span() -> None:
    message = discord_render(digest_reply(figures(), pending=0))
    assert message.content is None and message.view is None
    [embed] = message.embeds
    assert embed.title == "Editors' digest: the last 7 days"
    assert embed.description is not None
    assert f"• 1× {example(HOSTILE)}" in embed.description  # links and mentions inert in code
    assert embed.footer.text is not None and "kubecon-bot report --days 7" in embed.footer.text


def test_the_terminal_shows_title_body_and_footer() -> None:
    text = terminal_render(digest_reply(figures(), pending=2))
    assert text.startswith("Editors' digest: the last 7 days\n\n2026-11-02 09:00")
    assert "Suggestions pending: 2" in text
    assert text.rstrip().endswith("(or --html FILE for charts)")
