"""The report an editor reads: match rate, most asked entries, helpfulness, and unanswered
questions grouped so that one line says which entry or keyword to add."""

from __future__ import annotations

import datetime as dt
import hashlib
import html

from bot.core.content import load_content, parse_content
from bot.core.content_edit import ContentFile
from bot.core.responder import Responder
from bot.usage import report, report_page
from bot.usage.records import PICKED, Asked, Voted
from tests.conftest import ROOT

T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(days=7)


def ask(outcome: str, entry: str | None = None, text: str | None = None, platform="slack"):
    return Asked(at=T0, platform=platform, outcome=outcome, entry_id=entry, text=text)


def vote(entry: str, value: int, key: str = "0" * 16) -> Voted:
    return Voted(at=T0, reply_key=key, entry_id=entry, vote=value)


def test_match_rate_counts_questions_not_help_requests(responder):
    asked = [
        ask("answered", "supply-chain-security-gaps"),
        ask("repeat", "supply-chain-security-gaps", platform="discord"),
        ask("answered", "openai-logging-fix"),
        ask("suggested", text="platform stuff"),
        ask("declined", text="what's for lunch"),
        ask("intent"),
        ask("intent"),
    ]
    built = report.build(asked, [], responder, since=T0, until=T1)
    assert built.questions == 5
    assert built.match_rate == 3 / 5
    assert built.platforms == {"slack": 4, "discord": 1}
    text = report.as_text(built, days=7)
    assert "Questions: 5 (discord 1, slack 4)" in text
    assert '60.0% answered · 20.0% "did you mean" · 20.0% declined' in text
    assert "greetings and thanks: 2" in text


def test_entries_are_ranked_by_use_with_their_helpfulness(responder):
    asked = [ask("answered", "openai-logging-fix")] * 3 + [
        ask("answered", "ai-conformance-program")
    ]
    votes = [
        vote("openai-logging-fix", 1),
        vote("openai-logging-fix", 1),
        vote("openai-logging-fix", -1),
        vote("private-governed-ai", -1),  # voted on, not asked in the period
    ]
    built = report.build(asked, votes, responder, since=T0, until=T1)
    first, second, third = built.entries
    assert (first.number, first.asked, first.up, first.down) == (6, 3, 2, 1)
    assert round(first.helpful, 2) == 0.67
    assert (second.number, second.asked, second.helpful) == (3, 1, None)
    assert (third.number, third.asked, third.helpful) == (9, 0, 0.0)
    assert built.votes == {"up": 2, "down": 2}
    lines = report.as_text(built, days=7).splitlines()
    row = next(line for line in lines if line.strip().startswith("Q6"))
    assert row.split()[:5] == ["Q6", "3", "2", "1", "66.7%"]  # as the page and digest say


def test_an_entry_removed_from_the_content_still_shows(responder):
    built = report.build([ask("answered", "gone-entry")], [], responder, since=T0, until=T1)
    assert built.entries[0].number is None
    assert "no longer in the content" in built.entries[0].question


def test_similar_unanswered_questions_form_one_group_with_the_most_frequent_wording_first():
    groups = report.group_similar(
        [
            "how do I upgrade my cluster",
            "upgrading clusters, how?",
            "cluster upgrade best practices",
            "upgarde my clsuter",  # typos
            "how do I upgrade my cluster",
            "where can I get the slides",
            "slides?",
            "what is kubernetes",
            "kubernetes security best practices",
        ]
    )
    upgrade = groups[0]
    assert upgrade[0] == "how do I upgrade my cluster" and len(upgrade) == 5
    assert sorted(map(len, groups[1:]), reverse=True) == [2, 1, 1]
    assert ["where can I get the slides", "slides?"] in groups
    # one shared word among several is not similarity
    assert ["what is kubernetes"] in groups and ["kubernetes security best practices"] in groups


def test_groups_name_the_closest_entry_or_say_none_is_close(responder):
    asked = [ask("suggested", text="standardization for ML workloads on k8s: why important??")] * 2
    asked += [ask("declined", text="the printer on floor 3 is jammed")]
    built = report.build(asked, [], responder, since=T0, until=T1)
    standards, printer = built.unanswered
    assert (standards.count, standards.outcomes, standards.closest) == (2, {"suggested": 2}, "Q1")
    assert (
        "closest: Q1" in standards.advice and "add the wording to Q1's examples" in standards.advice
    )
    assert printer.count == 1 and "no entry is close" in printer.advice
    text = report.as_text(built, days=7)
    assert "2×  “standardization for ML workloads on k8s: why important??”  (suggested 2)" in text


def test_a_question_the_closest_entry_cannot_answer_is_never_advised_a_keyword(responder):
    """A keyword for "how much does Nutanix charge" would make the bot post Q10, which gives no
    price, in the channel: the report says out of scope, or that Q10 does not say it."""
    asked = [ask("suggested", text="nutanix pricing?")] * 3
    asked += [ask("suggested", text="how much does nutanix charge for nkp")] * 2
    built = report.build(asked, [], responder, since=T0, until=T1)
    pricing, charge = built.unanswered
    assert pricing.closest == "Q10" and pricing.uncovered == ("pricing",)
    assert "asks about “pricing”, which the webinar never covers" in pricing.advice
    assert charge.closest == "Q10" and charge.beyond_closest and not charge.uncovered
    assert "its answer does not say what this asks" in charge.advice
    assert "keyword there" not in pricing.advice + charge.advice


def test_without_recorded_text_the_report_says_why_groups_are_missing(responder):
    built = report.build(
        [ask("declined"), ask("answered", "openai-logging-fix")], [], responder, since=T0, until=T1
    )
    assert built.unanswered == [] and built.texts_recorded == 0
    assert "not recorded (RECORD_QUESTIONS)" in report.as_text(built, days=7)


def test_an_empty_period_says_so_and_json_has_every_figure(responder):
    empty = report.build([], [], responder, since=T0, until=T1)
    assert "Nothing recorded in this period." in report.as_text(empty, days=7)
    full = report.build(
        [ask("answered", "openai-logging-fix"), ask("declined", text="lunch?")],
        [vote("openai-logging-fix", 1)],
        responder,
        since=T0,
        until=T1,
    )
    data = report.as_json(full)
    assert data["match_rate"] == 0.5
    assert data["entries"][0]["helpful"] == 1.0
    assert data["unanswered"][0]["text"] == "lunch?" and data["unanswered"][0]["advice"]


def test_only_the_biggest_groups_are_shown(responder):
    asked = [ask("declined", text="printer jammed")] * 3 + [ask("declined", text="lunch menu")]
    built = report.build(asked, [], responder, since=T0, until=T1, top_groups=1)
    assert [(g.text, g.count) for g in built.unanswered] == [("printer jammed", 3)]
    assert built.texts_recorded == 4


def test_questions_per_day_cover_every_day_of_the_period(responder):
    later = T0 + dt.timedelta(days=2, hours=20)  # 2026-11-23 05:00 UTC
    asked = [
        ask("answered", "openai-logging-fix"),
        ask("declined", text="lunch?"),
        Asked(at=later, platform="slack", outcome="suggested", text="platform"),
        Asked(at=later, platform="slack", outcome="intent"),  # help is not a question
    ]
    built = report.build(asked, [], responder, since=T0, until=T0 + dt.timedelta(days=3))
    days = report.as_json(built)["days"]
    assert [d["date"] for d in days] == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
    assert days[0] == {
        "date": "2026-11-20",
        "questions": 2,
        "outcomes": {"answered": 1, "declined": 1},
        "match_rate": 0.5,
    }
    assert (days[1]["questions"], days[1]["match_rate"]) == (0, None)
    assert days[3]["outcomes"] == {"suggested": 1}


def test_a_group_the_content_answers_now_needs_nothing_more(tmp_path):
    """After `suggestions accept` taught "platform stuff", the report still said "people
    picked Q1 from did you mean: add a keyword there?" for the questions asked before."""
    path = tmp_path / "qa.yaml"
    path.write_text((ROOT / "content" / "qa.yaml").read_text())
    edit = ContentFile(path)
    edit.add_example("kubernetes-platform-for-ai", "platform stuff")
    taught = Responder(parse_content(edit.text, str(path)))
    asked = [ask("suggested", text="platform stuff")] * 3
    before = report.build(asked, [], Responder(load_content()), since=T0, until=T1)
    after = report.build(asked, [], taught, since=T0, until=T1)
    assert before.unanswered[0].answered_now is None
    assert after.unanswered[0].advice == (
        "answered now with Q1 (the content changed since): nothing to do"
    )


def picked_for(text: str, entries: list[str]) -> list[Asked]:
    """`text` asked once per entry of `entries`, each time unsure, and that entry picked."""
    rows = []
    for n, entry in enumerate(entries):
        key = hashlib.sha256(f"{text}\n{n}".encode()).hexdigest()[:16]  # one per question
        rows.append(
            Asked(at=T0, platform="terminal", outcome="suggested", text=text, reply_key=key)
        )
        rows.append(
            Asked(at=T0, platform="terminal", outcome=PICKED, entry_id=entry, reply_key=key)
        )
    return rows


def test_picks_that_disagree_recommend_no_entry(responder):
    """The trial: "platform" then Q2, "platform" then Q1, "platforms?" then Q9, and the report
    said "people picked Q2 from "did you mean" (1×): add a keyword there?", as if they agreed.
    No entry has more than half the picks: it names them all and sends the editor to
    `kubecon-bot suggestions`, in the text, the JSON and the page alike."""
    asked = picked_for("platform", ["ai-assisted-cluster-operations", "kubernetes-platform-for-ai"])
    asked += picked_for("platforms?", ["private-governed-ai"])
    built = report.build(asked, [], responder, since=T0, until=T1)
    [group] = built.unanswered
    advice = (
        'people picked different entries from "did you mean" (Q2 1×, Q1 1×, Q9 1×), none by '
        "a majority: see `kubecon-bot suggestions`"
    )
    assert group.advice == advice
    assert group.picked == {"Q2": 1, "Q1": 1, "Q9": 1} and group.chosen is None
    assert "add a keyword there" not in report.as_text(built, days=7)
    assert f"         {advice}" in report.as_text(built, days=7).splitlines()
    data = report.as_json(built)
    assert data["unanswered"][0]["chosen"] is None and data["unanswered"][0]["advice"] == advice
    page = report_page.render(data, days=7)
    assert html.escape(advice) in page and "add a keyword there" not in page


def test_an_entry_most_people_picked_is_still_recommended(responder):
    """More than half of the picks for one entry is a choice: the report recommends it, and
    says how many of the picks it had."""
    ops, ai = "ai-assisted-cluster-operations", "kubernetes-platform-for-ai"
    built = report.build(picked_for("platform", [ops, ops, ai]), [], responder, since=T0, until=T1)
    [group] = built.unanswered
    assert group.advice == (
        'people picked Q2 from "did you mean" (2× of 3): accept the wording as its example '
        "(`kubecon-bot suggestions`)"
    )
    assert group.chosen == "Q2"
    even = report.build(
        picked_for("platform", [ops, ops, ai, ai]), [], responder, since=T0, until=T1
    )
    assert even.unanswered[0].chosen is None  # half is not more than half
    alone = report.build(picked_for("platform", [ops]), [], responder, since=T0, until=T1)
    assert alone.unanswered[0].advice == (
        'people picked Q2 from "did you mean" (1×): accept the wording as its example '
        "(`kubecon-bot suggestions`)"
    )


def test_a_pick_for_a_question_its_answer_does_not_answer_is_flagged(responder):
    """ "What is MCP", picked for the entry that names MCP: the report said "add a keyword
    there?", where `suggestions` flags the same phrasing ⚠ (a definition, which the answer does
    not give); taught, the bot would post that answer in the channel for it."""
    built = report.build(
        picked_for("what is MCP", ["private-governed-ai"]), [], responder, since=T0, until=T1
    )
    [group] = built.unanswered
    assert group.advice.startswith('people picked Q9 from "did you mean" (1×), but its answer')
    assert "see the ⚠ in `kubecon-bot suggestions` before accepting" in group.advice


def test_groups_left_out_are_counted_and_numbers_not_on_the_list_are_no_question(responder):
    """Only the `top` groups are shown: the report says how many more there are and how to
    see them, where it stopped without a word. A number not on the list ("#11") was answered
    with the numbers there are: no question an editor should write an entry for."""
    off_topic = ["the printer on floor 3 is jammed", "where is the cafeteria", "how to exit vim"]
    asked = [ask("declined", text=t) for t in [*off_topic, "#11", "12"]]
    built = report.build(asked, [], responder, since=T0, until=T1, top_groups=1)
    assert len(built.unanswered) == 1 and built.groups == 3, built.unanswered
    assert all("11" not in g.text and g.text != "12" for g in built.unanswered)
    text = report.as_text(built, days=7)
    assert "… and 2 more group(s): `kubecon-bot report --days 7 --top 3` shows them all" in text
    assert report.as_json(built)["groups"] == 3
    page = report_page.render(report.as_json(built), days=7)
    assert "data-more-groups=2>… and 2 more group(s)" in page
    everything = report.build(asked, [], responder, since=T0, until=T1, top_groups=None)
    assert everything.groups == 3 and "more group" not in report.as_text(everything, days=7)


def test_the_page_with_nothing_pending_asks_no_review(responder):
    """ "0 pending suggestions: review them with …" sent an editor to a command with nothing
    to show: with none pending, the page says so and gives no command."""
    built = report.build([], [], responder, since=T0, until=T1)
    none = {"count": 0, "review": "kubecon-bot suggestions --days 7", "pending": []}
    page = report_page.render(report.as_json(built), days=7, suggestions=none)
    assert "No pending suggestions: nothing to review." in page
    assert "review them with" not in page
