from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot.daily.store import CLAIMED, CONFIG, FAILED, SENT, Store
from bot.daily.timing import When
from bot.storage.database import _engine, migrate
from bot.storage.seen import SeenEvents
from tests.daily.conftest import utc

NOW = utc(2026, 11, 28, 9, 0)
DAY = dt.date(2026, 11, 28)
LEASE = dt.timedelta(minutes=5)


def test_upgrade_from_empty_creates_the_schema(db_url: str) -> None:
    store = Store.open(db_url)
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"subscriptions", "deliveries", "questions", "votes", "alembic_version"} <= names
    assert {"seen_events", "suggestion_decisions", "corrections"} <= names
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0009"
    store.close()


def test_upgrading_keeps_subscriptions(db_url: str) -> None:
    engine = _engine(db_url)
    migrate(engine, "0001")  # a database written by the first release
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO subscriptions (platform, channel_id, workspace_id, at, tz, source,"
                " paused, position, since, created_at, updated_at) VALUES ('slack', 'C1', 'T1',"
                " '08:30', 'Europe/Berlin', 'chat', false, 'takeaway-2', :t, :t, :t)"
            ),
            {"t": dt.datetime(2026, 11, 1, 8, 0)},
        )
    engine.dispose()
    store = Store.open(db_url)  # upgrades to head
    sub = store.get("slack", "C1")
    assert sub is not None
    assert (sub.when, sub.position, sub.workspace_id) == (
        When(dt.time(8, 30), "Europe/Berlin"),
        "takeaway-2",
        "T1",
    )
    assert (
        store.claim(
            sub, DAY, now=NOW, holder="a", lease=LEASE, choose_item=lambda last: f"after-{last}"
        ).item_key
        == "after-takeaway-2"
    )
    store.close()
    assert Store.open(db_url).get("slack", "C1") is not None  # opening again is a no-op


def test_one_claim_per_day_and_the_item_is_fixed_by_it(store: Store) -> None:
    sub, _ = store.subscribe("slack", "C1", When(), now=NOW)
    first = store.claim(sub, DAY, now=NOW, holder="a", lease=LEASE, choose_item=lambda _: "x")
    assert first is not None and (first.status, first.holder, first.item_key) == (CLAIMED, "a", "x")
    later = NOW + dt.timedelta(minutes=1)
    assert (
        store.claim(sub, DAY, now=later, holder="b", lease=LEASE, choose_item=lambda _: "y") is None
    )
    assert store.sent(first, later)
    assert (
        store.claim(sub, DAY, now=later, holder="b", lease=LEASE, choose_item=lambda _: "y") is None
    )
    [row] = store.deliveries(sub.id)
    assert (row.status, row.item_key, row.attempts) == (SENT, "x", 1)
    assert store.get("slack", "C1").position == "x"


def test_an_expired_lease_is_taken_over_with_the_same_item(store: Store) -> None:
    sub, _ = store.subscribe("slack", "C1", When(), now=NOW)
    dead = store.claim(sub, DAY, now=NOW, holder="dead", lease=LEASE, choose_item=lambda _: "x")
    assert dead is not None
    within = NOW + LEASE
    assert store.claim(sub, DAY, now=within, holder="b", lease=LEASE, choose_item=str) is None
    after = NOW + LEASE + dt.timedelta(seconds=1)
    taken = store.claim(sub, DAY, now=after, holder="b", lease=LEASE, choose_item=str)
    assert taken is not None and (taken.holder, taken.item_key, taken.attempts) == ("b", "x", 2)
    # the dead holder comes back late: its record still lands, flagged as not ours
    assert store.sent(dead, after) is False
    assert store.deliveries(sub.id)[0].status == SENT


def test_a_failed_day_is_retried_only_when_its_time_comes(store: Store) -> None:
    sub, _ = store.subscribe("slack", "C1", When(), now=NOW)
    claim = store.claim(sub, DAY, now=NOW, holder="a", lease=LEASE, choose_item=lambda _: "x")
    store.failed(claim, "429", NOW, NOW + dt.timedelta(minutes=2))
    soon = NOW + dt.timedelta(minutes=1)
    assert store.claim(sub, DAY, now=soon, holder="a", lease=LEASE, choose_item=str) is None
    due = NOW + dt.timedelta(minutes=2)
    again = store.claim(sub, DAY, now=due, holder="a", lease=LEASE, choose_item=str)
    assert again is not None and again.attempts == 2
    store.failed(again, "gone", due, None)
    late = NOW + dt.timedelta(hours=3)
    assert store.claim(sub, DAY, now=late, holder="a", lease=LEASE, choose_item=str) is None
    assert store.deliveries(sub.id)[0].status == FAILED


def test_next_item_follows_the_last_posted_not_a_failed_day(store: Store) -> None:
    sub, _ = store.subscribe("slack", "C1", When(), now=NOW)
    seen: list[str | None] = []

    def choose(last: str | None) -> str:
        seen.append(last)
        return f"item-{len(seen)}"

    day1 = store.claim(sub, DAY, now=NOW, holder="a", lease=LEASE, choose_item=choose)
    store.sent(day1, NOW)
    day2 = store.claim(
        sub, DAY + dt.timedelta(1), now=NOW, holder="a", lease=LEASE, choose_item=choose
    )
    store.failed(day2, "500", NOW, None)
    store.claim(sub, DAY + dt.timedelta(2), now=NOW, holder="a", lease=LEASE, choose_item=choose)
    assert seen == [None, "item-1", "item-1"]


def test_resubscribing_keeps_the_position_and_unpauses(store: Store) -> None:
    sub, new = store.subscribe("discord", "42", When(), now=NOW)
    assert new
    claim = store.claim(sub, DAY, now=NOW, holder="a", lease=LEASE, choose_item=lambda _: "x")
    store.sent(claim, NOW)
    store.pause(sub.id, "channel_not_found", NOW)
    later = NOW + dt.timedelta(hours=1)
    again, new = store.subscribe("discord", "42", When(dt.time(10, 0), "Asia/Tokyo"), now=later)
    assert not new and not again.paused and again.position == "x" and again.since == later
    assert store.unsubscribe("discord", "42", now=later) and store.get("discord", "42") is None
    assert not store.unsubscribe("discord", "42", now=later)
    assert store.subscriptions() == []


def test_subscribing_again_after_unsubscribing_resumes_the_rotation(store: Store) -> None:
    sub, _ = store.subscribe("discord", "42", When(), now=NOW)
    store.sent(
        store.claim(sub, DAY, now=NOW, holder="a", lease=LEASE, choose_item=lambda _: "x"), NOW
    )
    later = NOW + dt.timedelta(days=3)
    store.unsubscribe("discord", "42", now=later)
    back, new = store.subscribe("discord", "42", When(dt.time(18, 0)), now=later)
    assert new and back.position == "x" and back.since == later and back.id == sub.id
    assert [d.item_key for d in store.deliveries(back.id)] == ["x"]


def test_config_sync_adds_updates_and_removes_only_config_rows(store: Store) -> None:
    store.subscribe("slack", "CHAT", When(), now=NOW)
    store.sync_config([("slack", "A", When()), ("discord", "B", When())], NOW)
    store.sync_config([("slack", "A", When(dt.time(7, 0), "UTC")), ("slack", "CHAT", When())], NOW)
    subs = {(s.platform, s.channel_id): s for s in store.subscriptions()}
    assert set(subs) == {("slack", "A"), ("slack", "CHAT")}
    assert subs[("slack", "A")].when.at == dt.time(7, 0)
    assert subs[("slack", "CHAT")].source == CONFIG


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(sa.exc.StatementError):
        store.subscribe("slack", "C1", When(), now=dt.datetime(2026, 1, 1))


def _together(calls: int, work) -> list:
    """Run `work(i)` in `calls` threads released by one barrier: as close to "the same instant"
    as two replicas get. Returns each result, or the exception it raised."""
    import threading

    barrier = threading.Barrier(calls)
    results: list = [None] * calls

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as err:  # collected: the test asserts there is none
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_claims_of_one_day_have_one_winner_and_no_error(db_url: str) -> None:
    """Two replicas (two stores, two connection pools) claim the same days at the same instant:
    exactly one claim per day wins, the other gets None, nobody gets an exception."""
    stores = [Store.open(db_url), Store.open(db_url)]
    subs = [
        stores[0].subscribe("slack", f"C{i}", When(dt.time(9), "UTC"), now=NOW)[0]
        for i in range(15)
    ]
    try:
        for sub in subs:
            results = _together(
                2,
                lambda i, sub=sub: stores[i].claim(
                    sub, DAY, now=NOW, holder=f"replica-{i}", lease=LEASE, choose_item=lambda _: "x"
                ),
            )
            assert not [r for r in results if isinstance(r, Exception)], results
            winners = [r for r in results if r is not None]
            assert len(winners) == 1
            assert stores[0].delivery(sub.id, DAY).holder == winners[0].holder
    finally:
        for s in stores:
            s.close()


def test_replicas_subscribing_one_channel_at_once_both_succeed(db_url: str) -> None:
    """Replicas starting together write the same configured subscriptions: on PostgreSQL the
    loser of the insert race must not end up in an aborted transaction (InFailedSqlTransaction)."""
    stores = [Store.open(db_url), Store.open(db_url)]
    try:
        for i in range(15):
            results = _together(
                2,
                lambda n, i=i: stores[n].subscribe(
                    "slack", f"C{i}", When(dt.time(9), "UTC"), now=NOW, source=CONFIG
                ),
            )
            assert not [r for r in results if isinstance(r, Exception)], results
            assert sorted(new for _, new in results) == [False, True]
        assert len(stores[0].subscriptions()) == 15
    finally:
        for s in stores:
            s.close()


def test_event_ids_are_seen_once_until_forgotten(store: Store) -> None:
    """Seen event ids: the first insert of an id wins, later ones lose; old ids are pruned."""
    seen = SeenEvents(store.engine)
    assert seen.first_time("Ev1", NOW) is True
    assert seen.first_time("Ev1", NOW + dt.timedelta(seconds=5)) is False
    assert seen.first_time("Ev2", NOW + dt.timedelta(hours=2)) is True
    assert seen.forget_seen(NOW + dt.timedelta(hours=1)) == 1  # Ev1 only
    assert seen.first_time("Ev1", NOW + dt.timedelta(hours=2)) is True
    assert seen.first_time("Ev2", NOW + dt.timedelta(hours=2)) is False
