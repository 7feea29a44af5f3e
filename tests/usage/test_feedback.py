"""Votes from the front door's point of view: which replies ask for one, what the button
carries, and what the voter hears, with the votes in a real database."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.app import BotApp, Incoming
from bot.core.feedback import Vote, ballot_token, parse_ballot, voter_id
from bot.core.replies import Kind
from bot.usage.log import UsageLog


@pytest.fixture
def usage(store) -> UsageLog:
    return UsageLog(store.engine)


def test_a_ballot_survives_the_button_and_foreign_payloads_are_refused():
    token = ballot_token("0123456789abcdef", "a" * 64, Vote.DOWN)
    assert len("kubecon:vote:" + token) <= 100  # Discord's custom_id limit
    ballot = parse_ballot(token)
    assert (ballot.reply_key, ballot.entry_id, ballot.vote) == ("0123456789abcdef", "a" * 64, -1)
    for bad in (
        "",
        "up:xyz:entry",
        "sideways:0123456789abcdef:q1",
        "up:0123456789abcdef:<!channel>",
    ):
        with pytest.raises(ValueError):
            parse_ballot(bad)


def test_voters_are_kept_as_digests_distinct_per_platform_and_workspace():
    one = voter_id("slack", "T1", "U1")
    assert one == voter_id("slack", "T1", "U1") and "U1" not in one
    assert len({one, voter_id("slack", "T2", "U1"), voter_id("discord", "T1", "U1")}) == 3


async def test_answers_carry_a_fresh_reply_key_only_when_votes_are_recorded(responder, usage):
    plain = await BotApp(responder).handle(Incoming("slack", "sbom", channel_id="C1"))
    assert plain.kind is Kind.ANSWER and plain.reply_key is None
    app = BotApp(responder, usage=usage)
    first = await app.handle(Incoming("slack", "sbom", channel_id="C1"))
    second = await app.handle(Incoming("slack", "sbom", channel_id="C2"))
    assert first.reply_key and second.reply_key and first.reply_key != second.reply_key
    assert (await app.handle(Incoming("slack", "list", channel_id="C1"))).reply_key is None
    offer = await app.handle(Incoming("slack", "platform", channel_id="C1"))
    assert offer.kind is Kind.SUGGESTIONS and offer.reply_key  # a pick can refer to it
    picked = await app.choose(Incoming("slack", "", channel_id="C1"), "openai-logging-fix")
    assert picked.kind is Kind.ANSWER and picked.reply_key not in (None, offer.reply_key)


async def test_one_vote_per_user_per_answer_and_the_voter_is_told_privately(responder, usage):
    app = BotApp(responder, usage=usage)
    answer = await app.handle(Incoming("slack", "sbom", channel_id="C1", user_id="U1"))
    up = ballot_token(answer.reply_key, answer.entry_id, Vote.UP)
    down = ballot_token(answer.reply_key, answer.entry_id, Vote.DOWN)
    voter = Incoming("slack", "", channel_id="C1", user_id="U2", workspace_id="T1")

    thanks = await app.feedback(voter, up)
    assert not thanks.public and "Thanks" in thanks.text and thanks.outcome == "feedback"
    again = await app.feedback(voter, up)
    assert "already voted 👍" in again.text
    changed = await app.feedback(voter, down)
    assert "Changed your vote to 👎" in changed.text
    await app.feedback(Incoming("slack", "", user_id="U3", workspace_id="T1"), up)

    votes = usage.votes_since(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    assert sorted(v.vote for v in votes) == [-1, 1]
    assert {v.entry_id for v in votes} == {"supply-chain-security-gaps"}


async def test_a_foreign_button_or_no_database_gets_a_clear_private_answer(responder, usage):
    voter = Incoming("discord", "", user_id="U2")
    assert "not one of mine" in (await BotApp(responder, usage=usage).feedback(voter, "x")).text
    token = ballot_token("0123456789abcdef", "openai-logging-fix", Vote.UP)
    assert "not recorded" in (await BotApp(responder).feedback(voter, token)).text


async def test_a_vote_the_database_refuses_is_reported_not_lost_silently(responder, usage, caplog):
    app = BotApp(responder, usage=usage)
    usage.engine.dispose()
    with usage.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE votes")
    token = ballot_token("0123456789abcdef", "openai-logging-fix", Vote.UP)
    reply = await app.feedback(Incoming("slack", "", channel_id="C9", user_id="U2"), token)
    assert "could not record your vote" in reply.text and not reply.public
    assert "vote not recorded platform=slack channel=C9" in caplog.text
