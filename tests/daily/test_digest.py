"""The editors' digest on the daily posts' ledger, against real databases (SQLite and
PostgreSQL) with the clock in the test's hands: posted once at its weekly time with the figures
`report --json` gives for that week, never twice across restarts or replicas, caught up once
after a missed Monday, retried after a 429 or 5xx, and configured through DIGEST_* with one line
per mistake."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.core.clock import utcnow
from bot.core.replies import Kind, Reply
from bot.core.responder import Responder
from bot.core.services import DeliveryError
from bot.daily.digest_schedule import DigestTarget, digest_target, period_days
from bot.daily.scheduler import Scheduler
from bot.daily.store import DAILY, DIGEST, FAILED, SENT, Store
from bot.daily.subscriptions import ConfigSubscriptionError
from bot.daily.timing import When, due_day, period_end, reported_period
from bot.storage.database import _engine, migrate
from bot.storage.schema import questions, votes
from bot.usage import report
from bot.usage.digest import TOP_GROUPS, Digest, example
from bot.usage.log import UsageLog
from bot.usage.records import Asked
from tests.conftest import clean_env, run_bot
from tests.daily.conftest import RecordingPoster, channel_not_found, rate_limited, utc
from tests.daily.replica import run_two

MONDAY_9 = utc(2026, 11, 9, 9, 0)  # Monday 9 November 2026, 09:00 UTC: the default schedule
TARGET = ("slack", "CEDITORS", When(dt.time(9, 0), "UTC"), 0)
CONFIGURED = utc(2026, 11, 4, 12, 0)  # DIGEST_CHANNEL set the Wednesday before


def seed_week(usage: UsageLog, end: dt.datetime) -> None:
    """A week of use before `end`: answers with votes, two groups of unanswered questions (one
    with a user trying to ping everyone), a did-you-mean pick (a pending suggestion), and
    records outside the week that must not count."""
    at = end - dt.timedelta(days=3)
    rows = [
        Asked(
            at=at,
            platform="slack",
            outcome="answered",
            entry_id="supply-chain-security-gaps",
            reply_key="r1",
        ),
        Asked(
            at=at,
            platform="discord",
            outcome="answered",
            entry_id="supply-chain-security-gaps",
            reply_key="r2",
        ),
        Asked(at=at, platform="slack", outcome="repeat", entry_id="supply-chain-security-gaps"),
        *(
            Asked(at=at, platform="slack", outcome="declined", text=text)
            for text in (
                "how much does the webinar cost",
                "how much does the webinar cost?",
                "what does the webinar cost",
                "@everyone <!channel> install `kubectl` [free](http://evil.example)",
            )
        ),
        Asked(at=at, platform="slack", outcome="suggested", text="devtron news", reply_key="s1"),
        Asked(
            at=at,
            platform="slack",
            outcome="picked",
            entry_id="easier-or-harder-adoption",
            reply_key="s1",
        ),
        Asked(at=end - dt.timedelta(days=8), platform="slack", outcome="declined", text="old"),
        Asked(at=end, platform="slack", outcome="declined", text="next week's"),
    ]
    usage.record(rows)
    with usage.engine.begin() as conn:
        for key, voter, vote in (("r1", "U1", 1), ("r1", "U2", 1), ("r2", "U3", -1)):
            conn.execute(
                votes.insert().values(
                    reply_key=key,
                    entry_id="supply-chain-security-gaps",
                    platform="slack",
                    channel_id="C1",
                    voter=voter,
                    vote=vote,
                    at=at,
                )
            )
        conn.execute(
            votes.insert().values(
                reply_key="r9",
                entry_id="supply-chain-security-gaps",
                platform="slack",
                channel_id="C1",
                voter="U9",
                vote=-1,
                at=end + dt.timedelta(hours=1),  # after the week: not in it
            )
        )


def digest_scheduler(
    store: Store, responder: Responder, poster: RecordingPoster, *, name: str
) -> Scheduler:
    return Scheduler(
        store,
        {poster.platform: poster},
        responder.content,
        holder=name,
        digest=Digest(UsageLog(store.engine), lambda: responder),
    )


def digests(poster: RecordingPoster) -> list[Reply]:
    return [reply for _, reply in poster.posts if reply.kind is Kind.DIGEST]


@pytest.fixture
def configured(store: Store) -> Store:
    store.sync_digest(TARGET, CONFIGURED)
    seed_week(UsageLog(store.engine), MONDAY_9)
    return store


# --- when ------------------------------------------------------------------------------------


def test_a_weekly_period_runs_from_its_time_to_the_next_week_and_is_caught_up_within_it() -> None:
    nine = When(dt.time(9, 0), "Europe/Berlin")  # 08:00 UTC in November
    monday = dt.date(2026, 11, 9)
    since = utc(2026, 10, 1, 0, 0)
    assert due_day(utc(2026, 11, 9, 7, 59), nine, since, 0) == monday - dt.timedelta(7)
    assert due_day(utc(2026, 11, 9, 8, 0), nine, since, 0) == monday
    assert due_day(utc(2026, 11, 12, 20, 0), nine, since, 0) == monday  # Thursday: catch-up
    assert due_day(utc(2026, 11, 16, 7, 59), nine, since, 0) == monday
    assert due_day(utc(2026, 11, 16, 8, 0), nine, since, 0) == monday + dt.timedelta(7)
    # configured on Wednesday: the Monday before is not due, the next one is
    assert due_day(utc(2026, 11, 11, 12, 0), nine, utc(2026, 11, 11, 11, 0), 0) is None
    assert period_end(monday, nine, 0) == utc(2026, 11, 16, 8, 0)
    assert reported_period(monday, nine, 0) == (utc(2026, 11, 2, 8, 0), utc(2026, 11, 9, 8, 0))
    assert reported_period(monday, nine, None) == (utc(2026, 11, 8, 8, 0), utc(2026, 11, 9, 8, 0))


# --- what -------------------------------------------------------------------------------------


async def test_posted_once_at_its_time_with_the_figures_report_gives_for_that_week(
    configured: Store, responder: Responder
) -> None:
    poster = RecordingPoster("slack")
    s = digest_scheduler(configured, responder, poster, name="a")
    assert await s.tick(MONDAY_9 - dt.timedelta(minutes=1)) == 0
    assert await s.tick(MONDAY_9) == 1
    assert await s.tick(MONDAY_9 + dt.timedelta(minutes=1)) == 0
    assert await s.tick(MONDAY_9 + dt.timedelta(days=3)) == 0
    [(channel, reply)] = poster.posts
    assert channel == "CEDITORS" and reply.kind is Kind.DIGEST and reply.public

    usage = UsageLog(configured.engine)
    since = MONDAY_9 - dt.timedelta(days=7)
    expected = report.as_json(
        report.build(
            [a for a in usage.asked_since(since) if a.at < MONDAY_9],
            [v for v in usage.votes_since(since) if v.at < MONDAY_9],
            responder,
            since=since,
            until=MONDAY_9,
        )
    )
    # 2 answered + 1 repeat + 4 declined + 1 suggested (a pick answers a question: not one)
    assert expected["questions"] == 8
    body = reply.body or ""
    assert f"Questions: {expected['questions']} · match rate 37.5% · helpful 66.7%" in body
    assert "(👍 2, 👎 1)" in body
    # "devtron news", offered and picked then, is answered now: nothing for the editors to do
    top = [g for g in expected["unanswered"] if not g["answered_now"]][:TOP_GROUPS]
    shown = [line for line in body.splitlines() if line.startswith("• ")]
    assert shown == [f"• {g['count']}× {example(g['text'])}" for g in top]
    assert top[0]["count"] == 3  # the three ways of asking about the price, one example
    assert "devtron" not in body
    # the "devtron news" pick; the price questions (asked three times) ask about an aspect
    # not_covered lists: out of scope, as the report says, so no "new entry" is proposed
    assert "Suggestions pending: 1 · review them with `kubecon-bot suggestions list`" in body
    assert (reply.meta["since"], reply.meta["until"]) == (expected["since"], expected["until"])
    assert "old" not in body and "next week" not in body

    [row] = configured.deliveries()
    assert (row.local_date, row.status) == (dt.date(2026, 11, 9), SENT)


async def test_the_digest_equals_report_json_through_the_real_cli(
    db_url: str, responder: Responder, tmp_path: Path
) -> None:
    """`kubecon-bot report --json --days 7` run at the post time (the digest's time is the
    current minute, the records all before it) gives the figures the digest posted."""
    now = utcnow()
    store = Store.open(db_url)
    at = When(dt.time(now.hour, now.minute), "UTC")
    store.sync_digest(("slack", "CEDITORS", at, now.weekday()), now - dt.timedelta(days=30))
    usage = UsageLog(store.engine)
    post_time = now.replace(second=0, microsecond=0)
    seed_week(usage, post_time)
    with usage.engine.begin() as conn:  # nothing after the post time: the CLI would count it
        conn.execute(questions.delete().where(questions.c.at >= post_time))
        conn.execute(votes.delete().where(votes.c.at >= post_time))
    poster = RecordingPoster("slack")
    assert await digest_scheduler(store, responder, poster, name="a").tick(now) == 1
    store.close()

    proc = run_bot(
        "report", "--json", "--days", "7", "--database", db_url, cwd=tmp_path, env=clean_env()
    )
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(proc.stdout)
    [reply] = digests(poster)
    body = reply.body or ""
    share = cli["votes"]["up"] / (cli["votes"]["up"] + cli["votes"]["down"])
    assert (
        f"Questions: {cli['questions']} · match rate {100 * cli['match_rate']:.1f}% · "
        f"helpful {100 * share:.1f}% (👍 {cli['votes']['up']}, 👎 {cli['votes']['down']})"
    ) in body
    shown = [line for line in body.splitlines() if line.startswith("• ")]
    still = [g for g in cli["unanswered"] if not g["answered_now"]]  # as `report` advises
    assert shown == [f"• {g['count']}× {example(g['text'])}" for g in still[:3]]


def test_groups_the_content_answers_now_do_not_take_the_top_three(
    db_url: str, responder: Responder
) -> None:
    """The biggest group, declined then, is answered now (an editor taught it): the digest
    built only the top three groups and then left it out, so it showed two, or said "none
    left" while other questions waited. The three biggest of those still unanswered now."""
    store = Store.open(db_url)
    usage = UsageLog(store.engine)
    at = MONDAY_9 - dt.timedelta(days=3)
    asked = {"what about SBOMs": 4, "how do I exit vim": 3, "where is the printer": 2}
    asked["best pizza in town"] = 1
    usage.record(
        [
            Asked(at=at + dt.timedelta(seconds=i), platform="slack", outcome="declined", text=t)
            for t, n in asked.items()
            for i in range(n)
        ]
    )
    reply = Digest(usage, lambda: responder)(MONDAY_9 - dt.timedelta(days=7), MONDAY_9)
    store.close()
    shown = [line for line in (reply.body or "").splitlines() if line.startswith("• ")]
    assert shown == [
        "• 3× `how do I exit vim`",
        "• 2× `where is the printer`",
        "• 1× `best pizza in town`",
    ]


async def test_a_restart_mid_week_does_not_post_again(db_url: str, responder: Responder) -> None:
    first = Store.open(db_url)
    first.sync_digest(TARGET, CONFIGURED)
    poster = RecordingPoster("slack")
    assert await digest_scheduler(first, responder, poster, name="before").tick(MONDAY_9) == 1
    first.close()

    second = Store.open(db_url)  # Wednesday: the process restarts, DIGEST_* unchanged
    second.sync_digest(TARGET, utc(2026, 11, 11, 10, 0))
    after = digest_scheduler(second, responder, poster, name="after")
    assert await after.tick(utc(2026, 11, 11, 10, 0)) == 0
    assert await after.tick(utc(2026, 11, 16, 9, 0)) == 1  # the next Monday
    assert [r.meta["until"] for r in digests(poster)] == [
        MONDAY_9.isoformat(),
        utc(2026, 11, 16, 9, 0).isoformat(),
    ]
    second.close()


async def test_a_missed_monday_is_posted_once_at_start_up_within_the_week(
    db_url: str, responder: Responder
) -> None:
    store = Store.open(db_url)
    store.sync_digest(TARGET, CONFIGURED)
    seed_week(UsageLog(store.engine), MONDAY_9)
    poster = RecordingPoster("slack")
    # down all Monday: up on Wednesday, restarted on Thursday
    wednesday = utc(2026, 11, 11, 14, 0)
    store.sync_digest(TARGET, wednesday)
    assert await digest_scheduler(store, responder, poster, name="a").tick(wednesday) == 1
    thursday = utc(2026, 11, 12, 8, 0)
    store.sync_digest(TARGET, thursday)
    assert await digest_scheduler(store, responder, poster, name="b").tick(thursday) == 0
    [reply] = digests(poster)
    # the week it stands for is the one before Monday 09:00, not the week before Wednesday
    assert reply.meta["until"] == MONDAY_9.isoformat()
    assert "Questions: 8 " in (reply.body or "")
    store.close()


async def test_a_week_nobody_ran_the_bot_is_not_posted_late(
    configured: Store, responder: Responder
) -> None:
    poster = RecordingPoster("slack")
    s = digest_scheduler(configured, responder, poster, name="a")
    assert await s.tick(utc(2026, 11, 17, 9, 0)) == 1  # Tuesday after: the week of the 16th
    assert [r.meta["until"] for r in digests(poster)] == [utc(2026, 11, 16, 9, 0).isoformat()]


async def test_two_replicas_ticking_together_post_it_once(
    db_url: str, responder: Responder
) -> None:
    seed = Store.open(db_url)
    seed.sync_digest(TARGET, CONFIGURED)
    seed.close()
    stores = [Store.open(db_url) for _ in range(2)]  # two engines, two connection pools
    poster = RecordingPoster("slack")
    replicas = [
        digest_scheduler(store, responder, poster, name=f"replica-{n}")
        for n, store in enumerate(stores)
    ]
    for minute in range(3):
        now = MONDAY_9 + dt.timedelta(minutes=minute)
        await asyncio.gather(*(r.tick(now) for r in replicas))
    assert len(digests(poster)) == 1
    [row] = stores[0].deliveries()
    assert row.status == SENT
    for store in stores:
        store.close()


def test_two_replica_processes_post_one_digest_a_week(db_url: str, tmp_path: Path) -> None:
    """Two scheduler processes on one database, three simulated weeks in 30-minute ticks: one
    digest each Monday at 09:00, whichever replica posts it."""
    start = utc(2026, 11, 1, 0, 0)  # a Sunday
    seed = Store.open(db_url)
    seed.sync_digest(TARGET, start - dt.timedelta(days=1))
    seed.close()
    posts = run_two("tests.daily.digest_replica", db_url, tmp_path, start=start, days=21, step=30)
    mondays = [utc(2026, 11, d, 9, 0) for d in (2, 9, 16)]
    assert sorted(dt.datetime.fromisoformat(p["at"]) for p in posts) == mondays
    assert sorted(p["until"] for p in posts) == [m.isoformat() for m in mondays]
    store = Store.open(db_url)
    assert [(d.local_date, d.status) for d in store.deliveries()] == [
        (m.date(), SENT) for m in mondays
    ]
    store.close()


@pytest.mark.parametrize(
    "failure",
    [rate_limited(), DeliveryError("500 internal_error", retryable=True)],
    ids=["429", "5xx"],
)
async def test_a_429_or_5xx_is_retried_and_posted_once(
    configured: Store, responder: Responder, failure: DeliveryError
) -> None:
    poster = RecordingPoster("slack", failures=[failure])
    s = digest_scheduler(configured, responder, poster, name="a")
    assert await s.tick(MONDAY_9) == 0
    [row] = configured.deliveries()
    assert (row.status, row.next_attempt_at) == (FAILED, MONDAY_9 + dt.timedelta(minutes=1))
    assert await s.tick(MONDAY_9 + dt.timedelta(seconds=30)) == 0  # not before its retry
    assert await s.tick(MONDAY_9 + dt.timedelta(minutes=1)) == 1
    assert await s.tick(MONDAY_9 + dt.timedelta(minutes=5)) == 0
    assert (poster.calls, len(digests(poster))) == (2, 1)
    [row] = configured.deliveries()
    assert (row.status, row.attempts) == (SENT, 2)


async def test_a_gone_channel_pauses_the_digest_until_a_restart(
    configured: Store, responder: Responder
) -> None:
    poster = RecordingPoster("slack", failures=[channel_not_found()])
    s = digest_scheduler(configured, responder, poster, name="a")
    assert await s.tick(MONDAY_9) == 0
    [sub] = configured.subscriptions(kind=DIGEST)
    assert sub.paused and sub.paused_reason == "channel_not_found"
    assert await s.tick(utc(2026, 11, 16, 9, 0)) == 0  # paused: nothing
    configured.sync_digest(TARGET, utc(2026, 11, 16, 10, 0))  # the next start resumes it
    assert await s.tick(utc(2026, 11, 16, 10, 0)) == 1


async def test_a_digest_that_cannot_be_built_is_retried_with_backoff(
    configured: Store, responder: Responder
) -> None:
    built: list[tuple[dt.datetime, dt.datetime]] = []
    real = Digest(UsageLog(configured.engine), lambda: responder)

    def flaky(since: dt.datetime, until: dt.datetime) -> Reply:
        built.append((since, until))
        if len(built) == 1:
            raise RuntimeError("a bug in the report")
        return real(since, until)

    poster = RecordingPoster("slack")
    s = Scheduler(configured, {"slack": poster}, responder.content, holder="a", digest=flaky)
    assert await s.tick(MONDAY_9) == 0
    [row] = configured.deliveries()
    assert (row.status, row.last_error) == (FAILED, "RuntimeError: a bug in the report")
    assert await s.tick(MONDAY_9 + dt.timedelta(minutes=1)) == 1
    assert built[0] == built[1] == (MONDAY_9 - dt.timedelta(days=7), MONDAY_9)


async def test_a_channel_can_get_the_takeaway_and_the_digest(
    configured: Store, responder: Responder
) -> None:
    configured.subscribe("slack", "CEDITORS", When(dt.time(9, 0), "UTC"), now=CONFIGURED)
    poster = RecordingPoster("slack")
    s = digest_scheduler(configured, responder, poster, name="a")
    assert await s.tick(MONDAY_9) == 2
    assert sorted(r.kind.value for _, r in poster.posts) == ["daily", "digest"]
    # the chat commands and the daily configuration see the daily one only
    daily = configured.get("slack", "CEDITORS")
    assert daily is not None and daily.kind == DAILY
    configured.sync_config([], MONDAY_9)  # no configured daily channels: the digest stays
    assert [s.kind for s in configured.subscriptions()] == [DAILY, DIGEST]


async def test_without_a_digest_builder_the_digest_waits_for_a_process_that_has_one(
    configured: Store, responder: Responder
) -> None:
    poster = RecordingPoster("slack")
    plain = Scheduler(configured, {"slack": poster}, responder.content, holder="a")
    assert await plain.tick(MONDAY_9) == 0
    assert configured.deliveries() == []


# --- configuration ----------------------------------------------------------------------------


def test_sync_digest_follows_the_configuration(store: Store) -> None:
    store.sync_digest(TARGET, CONFIGURED)
    moved = ("discord", "1180000000000000000", When(dt.time(17, 30), "Europe/Berlin"), 4)
    store.sync_digest(moved, MONDAY_9)
    [sub] = store.subscriptions(kind=DIGEST)
    assert (sub.platform, sub.channel_id, sub.when, sub.weekday) == moved
    assert sub.since == MONDAY_9  # a new schedule: never an instant post for a past time
    store.sync_digest(None, MONDAY_9)  # DIGEST_CHANNEL unset
    assert store.subscriptions(kind=DIGEST) == []


def test_the_defaults_are_weekly_on_monday_at_nine_utc() -> None:
    assert digest_target("slack:C0123ABCD", "monday", "09:00", "UTC") == DigestTarget(
        "slack", "C0123ABCD", When(dt.time(9, 0), "UTC"), 0
    )
    assert digest_target("", "monday", "09:00", "UTC") is None  # unset: no digest
    assert digest_target(" Discord:42 ", "Fri", "5pm", "europe/berlin") == DigestTarget(
        "discord", "42", When(dt.time(17, 0), "Europe/Berlin"), 4
    )
    assert digest_target("slack:C1", "daily", "08:00", "UTC").weekday is None  # type: ignore[union-attr]
    assert (period_days("monday"), period_days("daily")) == (7, 1)


@pytest.mark.parametrize(
    ("day", "time", "tz", "named"),
    [
        ("funday", "09:00", "UTC", "DIGEST_DAY"),
        ("monday", "25:00", "UTC", "DIGEST_TIME"),
        ("monday", "09:00", "Mars/Olympus", "DIGEST_TZ"),
    ],
)
def test_a_bad_schedule_is_refused_though_no_channel_is_set(day, time, tz, named) -> None:
    """A schedule set wrong without DIGEST_CHANNEL passed in silence: the operator who set
    DIGEST_TZ meant a digest, and learned of the typo only once the channel was set too."""
    with pytest.raises(ConfigSubscriptionError, match=f"^{named}: "):
        digest_target("", day, time, tz)


@pytest.mark.parametrize(
    ("channel", "day", "time", "tz", "starts"),
    [
        ("teams:C1", "monday", "09:00", "UTC", "DIGEST_CHANNEL: 'teams:C1' does not name"),
        ("C0123ABCD", "monday", "09:00", "UTC", "DIGEST_CHANNEL: 'C0123ABCD' does not name"),
        ("slack:", "monday", "09:00", "UTC", "DIGEST_CHANNEL: the channel is missing"),
        ("slack:general", "monday", "09:00", "UTC", "DIGEST_CHANNEL: 'general' is not a Slack"),
        ("discord:C1", "monday", "09:00", "UTC", "DIGEST_CHANNEL: 'C1' is not a Discord"),
        ("slack:C1", "funday", "09:00", "UTC", "DIGEST_DAY: 'funday' is not a day"),
        ("slack:C1", "mo", "09:00", "UTC", "DIGEST_DAY: 'mo' is not a day"),
        ("slack:C1", "monday", "25:00", "UTC", "DIGEST_TIME: “25:00” is not a time"),
        ("slack:C1", "monday", "noon", "UTC", "DIGEST_TIME: “noon” is not a time"),
        ("slack:C1", "monday", "09:00", "Mars/Base", "DIGEST_TZ: “Mars/Base” is not a timezone"),
    ],
)
def test_a_bad_value_is_one_line_naming_its_variable(
    channel: str, day: str, time: str, tz: str, starts: str
) -> None:
    with pytest.raises(ConfigSubscriptionError) as raised:
        digest_target(channel, day, time, tz)
    message = str(raised.value)
    assert message.startswith(starts), message
    assert "\n" not in message


def test_run_stops_with_one_line_naming_the_variable(tmp_path: Path) -> None:
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_MODE="http",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        DIGEST_CHANNEL="slack:C0123ABCD",
        DIGEST_TZ="Mars/Base",
    )
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    [line] = [line for line in proc.stderr.splitlines() if "DIGEST_TZ" in line]
    assert "configuration error: DIGEST_TZ: “Mars/Base” is not a timezone" in line
    assert "Traceback" not in proc.stderr


def test_every_refused_setting_is_said_at_once(tmp_path: Path) -> None:
    """A typo in DIGEST_DAY, DIGEST_TIME and DIGEST_TZ, beside a bad SLACK_MODE: each start
    said one of them, so the operator started four times to learn of four typos. One start
    says them all, a line each; SLACK_MODE's line says what it was given."""
    with pytest.raises(ConfigSubscriptionError) as raised:
        digest_target("teams:C1", "funday", "25:00", "Mars/Base")
    assert [line.split(":")[0] for line in str(raised.value).splitlines()] == [
        "DIGEST_DAY",
        "DIGEST_TIME",
        "DIGEST_TZ",
        "DIGEST_CHANNEL",
    ]
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_APP_TOKEN="xapp-1",
        SLACK_MODE="bogus",
        DIGEST_DAY="funday",
        DIGEST_TIME="25:00",
        DIGEST_TZ="Mars/Base",
    )
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    said = [line.removeprefix("kubecon-bot run: configuration error: ") for line in
            proc.stderr.splitlines()]  # fmt: skip
    assert said[0] == "SLACK_MODE: must be one of 'socket' or 'http'; got bogus"
    assert [line.split(":")[0] for line in said[1:]] == ["DIGEST_DAY", "DIGEST_TIME", "DIGEST_TZ"]
    preview = run_bot("digest", cwd=tmp_path, env=env)
    assert preview.returncode == 1
    assert [line.split(": ")[1] for line in preview.stderr.splitlines()] == [
        "DIGEST_DAY",
        "DIGEST_TIME",
        "DIGEST_TZ",
    ]


# --- the schema -------------------------------------------------------------------------------


def test_upgrading_to_kinds_keeps_every_subscription_and_its_ledger(db_url: str) -> None:
    engine = _engine(db_url)
    migrate(engine, "0006")  # the release before the digest
    t = dt.datetime(2026, 11, 1, 8, 0)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO subscriptions (platform, channel_id, workspace_id, at, tz, source,"
                " paused, position, since, created_at, updated_at) VALUES ('slack', 'C1', 'T1',"
                " '08:30', 'UTC', 'chat', false, 'takeaway-2', :t, :t, :t)"
            ),
            {"t": t},
        )
        sub_id = conn.execute(sa.text("SELECT id FROM subscriptions")).scalar()
        conn.execute(
            sa.text(
                "INSERT INTO deliveries (subscription_id, local_date, item_key, status, holder,"
                " attempts, claimed_at, sent_at, updated_at) VALUES (:s, '2026-11-01',"
                " 'takeaway-2', 'sent', 'old', 1, :t, :t, :t)"
            ),
            {"s": sub_id, "t": t},
        )
    engine.dispose()
    store = Store.open(db_url)  # upgrades to head
    sub = store.get("slack", "C1")
    assert sub is not None and (sub.kind, sub.weekday, sub.position) == (DAILY, None, "takeaway-2")
    [row] = store.deliveries()
    assert (row.subscription_id, row.local_date, row.status) == (sub.id, dt.date(2026, 11, 1), SENT)
    # the ledger still refuses a second row for a day, and a row for no subscription
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO deliveries (subscription_id, local_date, item_key, status, holder,"
                " attempts, claimed_at, updated_at) VALUES (:s, '2026-11-01', 'x', 'sent', 'h',"
                " 1, :t, :t)"
            ),
            {"s": sub.id, "t": t},
        )
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO deliveries (subscription_id, local_date, item_key, status, holder,"
                " attempts, claimed_at, updated_at) VALUES (999, '2026-11-02', 'x', 'sent', 'h',"
                " 1, :t, :t)"
            ),
            {"t": t},
        )
    store.close()
