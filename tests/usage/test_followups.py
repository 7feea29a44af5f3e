"""👎 then another entry, through the front door and the journal into a real database: the asker
who disowns an answer and goes on to another entry leaves a suggestion ("this phrasing → that
entry"); nothing else about an answered question is ever written, and with recording off
nothing is held at all."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.app import BotApp, Incoming
from bot.core.feedback import Vote, ballot_token
from bot.core.replies import Kind, Reply
from bot.usage.journal import Journal
from bot.usage.log import UsageLog
from bot.usage.suggestions import PHRASING, pending, suggestion_id

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
SINCE = NOW - dt.timedelta(days=1)
QUESTION = "what about SBOMs?"  # answered with Q5 (supply chain); the asker meant another
WANTED = "cloud-native-for-good"  # Q7, asked for by number after the 👎
ASKER = {"workspace_id": "T1", "channel_id": "C1", "user_id": "U1"}


class Clock:
    """The journal's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def usage(store) -> UsageLog:
    return UsageLog(store.engine)


async def started(responder, usage: UsageLog, **options) -> tuple[BotApp, Journal]:
    journal = Journal(usage, **{"clock": lambda: NOW, **options})
    app = BotApp(responder, usage=usage)
    app.observers.append(journal.observe)
    await journal.start()
    return app, journal


def said(text: str, **who: str) -> Incoming:
    return Incoming("slack", text, **{**ASKER, **who})


async def vote_down(app: BotApp, answer: Reply, **who: str) -> None:
    token = ballot_token(answer.reply_key or "", answer.entry_id or "", Vote.DOWN)
    thanks = await app.feedback(Incoming("slack", "", source="button", **{**ASKER, **who}), token)
    assert "👎" in thanks.text


async def test_a_downvote_then_another_entry_suggests_the_phrasing(responder, usage):
    app, journal = await started(responder, usage)
    answer = await app.handle(said(QUESTION))
    assert answer.kind is Kind.ANSWER and answer.entry_id != WANTED
    await vote_down(app, answer)
    then = await app.handle(said("7"))  # the asker looked at the list and asked for Q7
    assert then.entry_id == WANTED
    await journal.stop()

    rows = usage.asked_since(SINCE)
    assert [(a.outcome, a.text) for a in rows if a.outcome == "answered"] == [
        ("answered", None),  # answered questions still keep no text
        ("answered", None),
    ]
    (redirected,) = [a for a in rows if a.outcome == "redirected"]
    assert (redirected.text, redirected.entry_id) == (QUESTION, WANTED)
    assert redirected.reply_key == answer.reply_key  # filed under the answer disowned
    (suggestion,) = pending(rows, responder)
    assert suggestion.kind == PHRASING and suggestion.id == suggestion_id(WANTED, QUESTION)
    assert (suggestion.text, suggestion.redirects, suggestion.picks) == (QUESTION, 1, 0)


async def test_only_the_asker_disowning_an_answer_in_time_leaves_anything(responder, usage):
    clock = Clock()
    app, journal = await started(responder, usage, clock=clock)
    # no 👎: the asker just asks something else
    await app.handle(said(QUESTION, user_id="U1"))
    await app.handle(said("7", user_id="U1"))
    # a bystander's 👎, then the bystander gets another entry
    answer = await app.handle(said(QUESTION, user_id="U2", channel_id="C2"))
    await vote_down(app, answer, user_id="U3", channel_id="C2")
    await app.handle(said("7", user_id="U3", channel_id="C2"))
    # the asker's 👎, then another entry in another channel
    answer = await app.handle(said(QUESTION, user_id="U4", channel_id="C3"))
    await vote_down(app, answer, user_id="U4", channel_id="C3")
    await app.handle(said("7", user_id="U4", channel_id="C4"))
    # the asker's 👎, then the same entry again: not a redirect
    answer = await app.handle(said(QUESTION, user_id="U5", channel_id="C5"))
    await vote_down(app, answer, user_id="U5", channel_id="C5")
    again = await app.handle(said("tell me about sboms", user_id="U5", channel_id="C5"))
    assert again.entry_id == answer.entry_id
    # the asker's 👎, then another entry, but after the window: the text was forgotten
    answer = await app.handle(said(QUESTION, user_id="U6", channel_id="C6"))
    clock.now += dt.timedelta(minutes=11)
    await vote_down(app, answer, user_id="U6", channel_id="C6")
    await app.handle(said("7", user_id="U6", channel_id="C6"))
    await journal.stop()

    rows = usage.asked_since(SINCE)
    assert [a for a in rows if a.outcome == "redirected"] == []
    assert {a.text for a in rows} == {None}  # no answered question kept its words
    assert pending(rows, responder) == []


async def test_with_recording_off_a_downvote_keeps_no_text(responder, usage):
    app, journal = await started(responder, usage, keep_text=False)
    answer = await app.handle(said(QUESTION))
    await vote_down(app, answer)
    await app.handle(said("7"))
    await journal.stop()
    assert journal.followups is None
    assert [a.outcome for a in usage.asked_since(SINCE)] == ["answered", "answered"]


async def test_a_disowned_pick_is_not_suggested_the_next_pick_is(responder, usage):
    """Offered "did you mean", the asker picks one, votes 👎 on it, and picks another: the
    question is a phrasing of the second, not of the first."""
    app, journal = await started(responder, usage)
    offer = await app.handle(said("platform"))
    assert offer.kind is Kind.SUGGESTIONS
    first, second = offer.options[0].entry_id, offer.options[1].entry_id
    clicked = Incoming("slack", "", source="button", **ASKER)
    wrong = await app.choose(clicked, first, offer.reply_key)
    await vote_down(app, wrong)
    await app.choose(clicked, second, offer.reply_key)
    await journal.stop()

    (suggestion,) = pending(usage.asked_since(SINCE), responder)
    assert (suggestion.entry_id, suggestion.text) == (second, "platform")
    assert (suggestion.picks, suggestion.redirects) == (1, 1)
