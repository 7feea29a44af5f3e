"""The usage tables on SQLite and PostgreSQL: what is kept, one vote per voter per answer even
under a double click, forgetting on time, and upgrading a database from the previous release."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from bot.core.feedback import Ballot, Recorded, Vote
from bot.daily.store import Store
from bot.storage.database import _engine, migrate
from bot.usage.log import UsageLog
from bot.usage.records import Asked

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
KEY = "0123456789abcdef"


def test_questions_are_recorded_in_batches_and_read_back(store: Store) -> None:
    usage = UsageLog(store.engine)
    rows = [
        Asked(
            at=NOW,
            platform="slack",
            outcome="answered",
            channel_id="C1",
            entry_id="openai-logging-fix",
            score=0.91,
            reply_key=KEY,
        ),
        Asked(
            at=NOW + dt.timedelta(seconds=1),
            platform="discord",
            outcome="declined",
            workspace_id="G1",
            channel_id="1",
            source="mention",
            text="lunch? 🍕",
        ),
    ]
    assert usage.record(rows) == 2
    assert usage.record([]) == 0
    assert usage.asked_since(NOW - dt.timedelta(days=1)) == rows
    assert usage.asked_since(NOW + dt.timedelta(seconds=1)) == rows[1:]


def test_a_voter_counts_once_per_answer_whatever_they_click(store: Store) -> None:
    usage = UsageLog(store.engine)

    def cast(vote: Vote, voter: str = "v1", key: str = KEY) -> Recorded:
        ballot = Ballot(key, "openai-logging-fix", vote)
        return usage.vote(ballot, voter, platform="slack", channel_id="C1", now=NOW)

    assert cast(Vote.UP) is Recorded.NEW
    assert cast(Vote.UP) is Recorded.SAME
    assert cast(Vote.DOWN) is Recorded.CHANGED
    assert cast(Vote.UP, voter="v2") is Recorded.NEW
    assert cast(Vote.UP, key="fedcba9876543210") is Recorded.NEW  # another answer
    votes = usage.votes_since(NOW)
    assert sorted((v.reply_key, v.vote) for v in votes) == [
        (KEY, -1),
        (KEY, 1),
        ("fedcba9876543210", 1),
    ]


def test_a_double_click_on_two_replicas_is_one_vote(store: Store) -> None:
    usage = UsageLog(store.engine)
    ballot = Ballot(KEY, "openai-logging-fix", Vote.UP)

    def click(_: int) -> Recorded:
        return usage.vote(ballot, "v1", platform="slack", channel_id="C1", now=NOW)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(click, range(16)))
    assert results.count(Recorded.NEW) == 1 and set(results) <= {Recorded.NEW, Recorded.SAME}
    assert len(usage.votes_since(NOW)) == 1


def test_prune_forgets_questions_and_votes_older_than_the_retention(store: Store) -> None:
    usage = UsageLog(store.engine)
    old, new = NOW - dt.timedelta(days=91), NOW - dt.timedelta(days=89)
    usage.record(
        [
            Asked(at=old, platform="slack", outcome="declined", text="old"),
            Asked(at=new, platform="slack", outcome="declined", text="new"),
        ]
    )
    for at, voter in ((old, "v1"), (new, "v2")):
        usage.vote(Ballot(KEY, "q", Vote.UP), voter, platform="slack", channel_id="", now=at)
    assert usage.prune(NOW - dt.timedelta(days=90)) == 2
    since = NOW - dt.timedelta(days=365)
    assert [a.text for a in usage.asked_since(since)] == ["new"]
    assert [v.at for v in usage.votes_since(since)] == [new]


def test_upgrading_from_the_previous_release_keeps_subscriptions_and_adds_usage(db_url) -> None:
    engine = _engine(db_url)
    migrate(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO subscriptions (platform, channel_id, workspace_id, at, tz, source,"
                " paused, since, created_at, updated_at) VALUES ('discord', '42', 'G1', '09:00',"
                " 'UTC', 'chat', false, :t, :t, :t)"
            ),
            {"t": dt.datetime(2026, 11, 1, 8, 0)},
        )
    engine.dispose()
    store = Store.open(db_url)
    try:
        assert store.get("discord", "42") is not None
        UsageLog(store.engine).record([Asked(at=NOW, platform="discord", outcome="intent")])
        assert len(UsageLog(store.engine).asked_since(NOW)) == 1
    finally:
        store.close()
