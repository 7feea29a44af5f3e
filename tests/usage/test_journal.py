"""The usage journal behind the front door: what a handled message leaves in the database, the
opt-out, retention, and a database that fails."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest

from bot.core.app import BotApp, Incoming
from bot.core.replies import Kind
from bot.usage import report
from bot.usage.journal import Journal
from bot.usage.log import UsageLog
from bot.usage.records import Asked

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
SINCE = NOW - dt.timedelta(days=1)


@pytest.fixture
def usage(store) -> UsageLog:
    return UsageLog(store.engine)


async def started(responder, usage: UsageLog, **options) -> tuple[BotApp, Journal]:
    journal = Journal(usage, clock=lambda: NOW, **options)
    app = BotApp(responder, usage=usage)
    app.observers.append(journal.observe)
    await journal.start()
    return app, journal


async def test_unanswered_questions_keep_their_text_answered_ones_only_counts(responder, usage):
    app, journal = await started(responder, usage)
    where = {"channel_id": "C1", "workspace_id": "T1", "user_id": "U1"}
    await app.handle(Incoming("slack", "what about SBOMs?", **where))
    await app.handle(Incoming("slack", "where is the printer on floor 3", **where))
    await app.handle(Incoming("discord", "platform", source="mention", channel_id="9"))
    await app.handle(Incoming("slack", "help", **where))
    await app.handle(Incoming("slack", "subscription", **where))  # a notice: not a question
    await journal.stop()

    answered, declined, suggested, intent = usage.asked_since(SINCE)
    assert (answered.outcome, answered.entry_id, answered.text) == (
        "answered",
        "supply-chain-security-gaps",
        None,
    )
    assert answered.reply_key and answered.score and answered.channel_id == "C1"
    assert (declined.outcome, declined.text) == ("declined", "where is the printer on floor 3")
    assert (suggested.outcome, suggested.text, suggested.source) == (
        "suggested",
        "platform",
        "mention",
    )
    assert (intent.outcome, intent.text) == ("intent", None)


async def test_a_pick_from_did_you_mean_is_tied_to_its_question_in_the_report(responder, usage):
    app, journal = await started(responder, usage)
    offer = await app.handle(Incoming("slack", "platform", channel_id="C1"))
    chosen = offer.options[1]
    picked = await app.choose(
        Incoming("slack", "", channel_id="C1"), chosen.entry_id, offer.reply_key
    )
    assert picked.kind is Kind.ANSWER and picked.outcome == "picked"
    gone = await app.choose(
        Incoming("slack", "", channel_id="C1"), "no-such-entry", offer.reply_key
    )
    assert gone.kind is Kind.NOTICE and not gone.public
    await journal.stop()

    suggested, pick = usage.asked_since(SINCE)
    assert suggested.outcome == "suggested"
    assert (pick.outcome, pick.entry_id, pick.reply_key) == (
        "picked",
        chosen.entry_id,
        offer.reply_key,
    )
    built = report.build(usage.asked_since(SINCE), [], responder, since=SINCE, until=NOW)
    (group,) = built.unanswered
    assert group.text == "platform" and group.picked == {f"Q{chosen.number}": 1}
    assert f"people picked Q{chosen.number}" in group.advice
    assert built.entries[0].entry_id == chosen.entry_id and built.entries[0].asked == 1
    assert built.questions == 1  # the pick answers a question, it is not a new one


async def test_with_recording_off_no_question_text_is_kept(responder, usage):
    app, journal = await started(responder, usage, keep_text=False)
    await app.handle(Incoming("slack", "where is the printer on floor 3"))
    await journal.stop()
    (declined,) = usage.asked_since(SINCE)
    assert declined.outcome == "declined" and declined.text is None


async def test_records_older_than_the_retention_are_forgotten_at_start(responder, usage):
    app, journal = await started(responder, usage, retention=dt.timedelta(days=30))
    await app.handle(Incoming("slack", "where is the printer"))
    await journal.stop()
    later = Journal(usage, clock=lambda: NOW + dt.timedelta(days=31), retention=dt.timedelta(30))
    await later.start()
    await later.stop()
    assert usage.asked_since(SINCE) == []


async def test_a_database_blip_loses_nothing(responder, usage, caplog):
    """The table is away (as good as the database) while two questions are asked; the journal
    waits, retrying, and writes both once it is back, saying so. Nothing is reported lost."""
    lost: list[int] = []
    app, journal = await started(responder, usage, on_lost=lost.append, retries=(0.01, 0.02))
    with usage.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE questions RENAME TO questions_away")
    with caplog.at_level(logging.WARNING, logger="bot.usage.journal"):
        await app.handle(Incoming("slack", "where is the printer"))
        await app.handle(Incoming("slack", "sbom"))
        for _ in range(500):  # until the journal has retried a few times
            if caplog.text.count("retrying") >= 3:
                break
            await asyncio.sleep(0.01)
    assert caplog.text.count("retrying") >= 3
    with usage.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE questions_away RENAME TO questions")
    with caplog.at_level(logging.INFO, logger="bot.usage.journal"):
        await journal.flush()
    assert len(usage.asked_since(SINCE)) == 2 and lost == []
    # the retries' WARNINGs are not the last word: the log says the outage is over
    assert "usage: records written again, after " in caplog.text
    await journal.stop()


async def test_a_database_still_down_at_shutdown_is_reported(responder, usage, caplog):
    lost: list[int] = []
    app, journal = await started(responder, usage, on_lost=lost.append, retries=(0.01,))
    with usage.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE questions")
    await app.handle(Incoming("slack", "where is the printer"))
    await app.handle(Incoming("slack", "sbom"))
    with caplog.at_level(logging.WARNING, logger="bot.usage.journal"):
        for _ in range(500):
            if "retrying" in caplog.text:
                break
            await asyncio.sleep(0.01)
        await journal.stop()
    assert sum(lost) == 2
    assert "retrying" in caplog.text and "2 question record(s) not saved" in caplog.text


async def test_a_reply_never_waits_for_the_database(responder, usage):
    journal = Journal(usage, clock=lambda: NOW)  # its writer is not running yet
    app = BotApp(responder, usage=usage)
    app.observers.append(journal.observe)
    replies = [await app.handle(Incoming("slack", "sbom", channel_id=f"C{n}")) for n in range(3)]
    assert all(r.reply_key for r in replies)
    assert journal.queue.qsize() == 3 and usage.asked_since(SINCE) == []
    await journal.start()
    await journal.stop()
    assert len(usage.asked_since(SINCE)) == 3


async def test_old_records_are_forgotten_on_schedule_even_when_nobody_asks(responder, usage):
    journal = Journal(usage, retention=dt.timedelta(days=90), prune_every=dt.timedelta(0.1 / 86400))
    await journal.start()
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=91)
    usage.record([Asked(at=old, platform="slack", outcome="declined", text="old")])
    for _ in range(100):  # the idle journal prunes every 0.1 s
        if not usage.asked_since(old - dt.timedelta(days=1)):
            break
        await asyncio.sleep(0.05)
    assert usage.asked_since(old - dt.timedelta(days=1)) == []
    await journal.stop()


async def test_records_wait_for_the_schema_while_the_database_is_migrated(
    responder, db_url, caplog
):
    """`kubecon-bot run` migrates in the background (the database may be away at start): the
    journal neither prunes nor writes into tables that do not exist yet, and loses nothing."""
    from bot.storage.database import Database

    database = Database.connect(db_url)  # not migrated: no tables yet
    usage = UsageLog(database.engine)
    app, journal = await started(responder, usage, schema_ready=database.migrated.is_set)
    try:
        await app.handle(Incoming("slack", "where is the printer on floor 3", channel_id="C1"))
        await asyncio.sleep(0.6)  # the journal has looked at least once, and waited
        await asyncio.to_thread(database.migrate)
        await asyncio.wait_for(journal.flush(), 10)
        [declined] = usage.asked_since(SINCE)
        assert declined.text == "where is the printer on floor 3"
    finally:
        await journal.stop()
        database.close()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_questions_arriving_close_together_are_written_in_one_transaction(responder, usage):
    """Each commit costs about a millisecond of CPU on SQLite however little it holds: a steady
    trickle of questions is gathered into a few transactions, not one each, and nothing is
    lost."""
    commits: list[int] = []
    record = usage.record

    def counting(rows):
        commits.append(len(rows))
        return record(rows)

    usage.record = counting  # type: ignore[method-assign]
    app, journal = await started(responder, usage)
    for i in range(10):
        await app.handle(Incoming("slack", "what about SBOMs?", channel_id=f"C{i}"))
        await asyncio.sleep(0.02)  # a question every 20 ms: the writer is idle in between
    await journal.stop()
    assert sum(commits) == 10
    assert len(commits) <= 3, commits


async def test_kept_text_is_the_question_without_mentions_or_characters_no_database_takes(
    responder, usage
):
    """Mentions and channel pings are platform markup, not a phrasing: kept, they reached the
    report, the digest and the content's examples (`suggestions accept`). A lone surrogate
    (valid JSON "\\ud800" from Slack or Discord) or a NUL (refused by PostgreSQL) made the
    whole batch unwritable. Each question is kept as its words, on SQLite and PostgreSQL."""
    app, journal = await started(responder, usage)
    for text in (
        "<!channel> where is the printer on floor 3",
        "<@U123> <@!42> where is the \ud800 cafeteria",
        "@everyone which parking\x00 lot <@&7> @here",
        "<#C1|general> <!here> <!everyone> how do I exit vim?",
        # an address that starts like a broadcast is no broadcast (and is kept as "[email]")
        "mail ops@heretic.io or support@channelpartners.com about the printer",
    ):
        await app.handle(Incoming("discord", text, channel_id="C1", user_id="U9"))
    # a credential pasted by mistake, and someone's address, are not shown to editors
    text = "is xoxb-1234-5678-AbCdEf my token? ask bob.smith@example.com"
    await app.handle(Incoming("discord", text, channel_id="C1", user_id="U7"))
    # text-direction controls, which reverse how what follows them is displayed wherever the
    # text is shown again (the report, its page, the digest, the content file)
    text = "which \u202eyrtnap\u202c is open \u2067today\u2069 \u200fat noon\u200e"
    await app.handle(Incoming("discord", text, channel_id="C1", user_id="U8"))
    await journal.stop()
    kept = [a.text for a in usage.asked_since(SINCE)]
    assert kept == [
        "where is the printer on floor 3",
        "where is the \ufffd cafeteria",
        "which parking lot",
        "how do I exit vim?",
        "mail [email] or [email] about the printer",
        "is [secret] my token? ask [email]",
        "which yrtnap is open today at noon",
    ]


async def test_a_record_that_can_never_be_written_is_lost_alone(responder, usage, caplog):
    """A row the database refuses for what it holds, not for being away, used to be retried
    forever: the journal was blocked for good and every later record was lost. Now the batch
    is written row by row: the others are kept, the bad one is logged and counted, and the
    journal goes on."""
    lost: list[int] = []
    app, journal = await started(responder, usage, on_lost=lost.append, retries=(0.01,))
    await app.handle(Incoming("slack", "where is the printer on floor 3", channel_id="C1"))
    bad = Asked(at=NOW, platform="slack", outcome="declined", channel_id="C2", text="\ud800")
    journal.queue.put_nowait(bad)  # as a record made before its text was made storable was
    await app.handle(Incoming("slack", "how do I exit vim", channel_id="C3"))
    with caplog.at_level(logging.WARNING, logger="bot.usage.journal"):
        await asyncio.wait_for(journal.flush(), 10)
        await app.handle(Incoming("slack", "which parking lot", channel_id="C4"))
        await asyncio.wait_for(journal.flush(), 10)
    await journal.stop()
    saved = [a.channel_id for a in usage.asked_since(SINCE)]
    assert saved == ["C1", "C3", "C4"] and lost == [1]
    assert "1 question record(s) not saved: UnicodeEncodeError" in caplog.text
    assert "can never be written (declined on slack C2 at 2026-11-28 09:00:00)" in caplog.text
    assert "retrying" not in caplog.text


async def test_a_fault_no_wait_mends_is_one_error_not_a_warning_per_attempt(
    responder, store, usage, caplog
):
    """A write the database refuses for good (here a column under the name an earlier release
    gave it) was one WARNING per attempt, "retrying", while every record waited: read as a
    blip. Now one ERROR says waiting will not fix it; once fixed, what waited is written."""
    with usage.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE questions RENAME COLUMN reply_key TO vote_key")
    retries = (0.01,)
    app, journal = await started(responder, usage, retries=retries, lasting=store.database.lasting)
    with caplog.at_level(logging.DEBUG, logger="bot.usage.journal"):
        await app.handle(Incoming("slack", "where is the printer"))
        for _ in range(500):  # until the journal has retried a few times
            if caplog.text.count("retried without a line") >= 4:
                break
            await asyncio.sleep(0.01)
        with usage.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE questions RENAME COLUMN vote_key TO reply_key")
        await journal.flush()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "waiting will not fix it" in errors[0].getMessage()
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(usage.asked_since(SINCE)) == 1
    await journal.stop()
