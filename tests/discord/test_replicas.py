"""Two sessions of the bot on one token and shard (two replicas by mistake, a rolling update):
Discord's gateway sends every event to both. The real discord.py clients against the fake,
which broadcasts each event to every session and refuses a second response to an interaction
as Discord does (40060). On one database the first session to record an id answers; with the
database away each process answers on its own, as before, and nothing is logged as an error.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.adapters.discord.buttons import VOTE
from bot.adapters.discord.service import DiscordService
from bot.core.app import BotApp
from bot.core.content import load_content
from bot.core.dedup import SharedSeenIds
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.serve.metrics import Metrics
from bot.storage.database import Database
from bot.storage.schema import seen_events
from bot.storage.seen import shared_seen_ids
from bot.usage.log import UsageLog
from tests.discord.conftest import Connect
from tests.discord.fakediscord import BOT_ID, CHANNEL_ID, OTHER_ID, FakeDiscord, Sent

MENTION = f"<@{BOT_ID}>"


async def two_sessions(
    connect: Connect, stores: list[Store], metrics: Metrics
) -> list[DiscordService]:
    """Two services as `kubecon-bot run` builds them, each with its own store on the
    database and its ids shared through it."""
    services = []
    for store in stores:
        bot_app = BotApp(
            Responder(load_content()),
            usage=UsageLog(store.engine),
            count_failure=metrics.reply_failed,
        )
        seen = shared_seen_ids(store.database, "discord")
        services.append(await connect(bot_app, seen=seen))
    return services


def replies_to(fake: FakeDiscord, message_id: str) -> list[Sent]:
    return [
        s
        for s in fake.messages()
        if str((s.json.get("message_reference") or {}).get("message_id")) == message_id
    ]


def failures(metrics: Metrics) -> float:
    return sum(
        metrics.registry.get_sample_value(
            "kubecon_bot_replies_failed_total", {"platform": "discord", "reason": reason}
        )
        or 0.0
        for reason in ("http_400", "internal", "network")
    )


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
async def stores(db_url: str) -> AsyncIterator[list[Store]]:
    """Two replicas' stores on one database (each its own connection pool)."""
    opened = [Store.open(db_url) for _ in range(2)]
    yield opened
    for store in opened:
        store.close()


async def test_a_mention_both_sessions_receive_is_answered_once(
    fake: FakeDiscord, connect: Connect, stores: list[Store], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await two_sessions(connect, stores, Metrics(process=False))
    mention = fake.message_create(f"{MENTION} devtron 2.0?")
    await fake.broadcast("MESSAGE_CREATE", mention, sessions=2)

    def decided() -> bool:  # one answered, the other said it would not (or it answered too)
        lost = f"already answered (another session, or a replay) id={mention['id']}"
        return len(replies_to(fake, mention["id"])) == 2 or (
            len(replies_to(fake, mention["id"])) == 1 and lost in caplog.text
        )

    await fake.wait_for(decided)
    [reply] = replies_to(fake, mention["id"])
    assert reply.json["embeds"][0]["title"].startswith("Q10.")
    assert errors(caplog) == [] and "Traceback" not in caplog.text


async def test_a_command_and_a_vote_both_sessions_receive_are_taken_once(
    fake: FakeDiscord, connect: Connect, stores: list[Store], caplog: pytest.LogCaptureFixture
) -> None:
    """Discord accepts one response to an interaction: the session that records its id first
    answers, the other does nothing (it would record the question or the vote twice, and
    fail on Discord's 40060)."""
    caplog.set_level(logging.INFO)
    metrics = Metrics(process=False)
    await two_sessions(connect, stores, metrics)
    taken = "discord interaction already taken (another session)"

    ask = fake.interaction(fake.slash("ask", question="what about SBOMs?"))
    await fake.broadcast("INTERACTION_CREATE", ask, sessions=2)
    # the loser says so once the winner has recorded the id, which may be before the
    # winner's answer reaches Discord: wait for that answer too
    await fake.wait_for(
        lambda: len(fake.callbacks()) == 2 or (len(fake.callbacks()) == 1 and taken in caplog.text)
    )
    [answer] = fake.callbacks()
    assert "Antithesis" in answer.json["data"]["embeds"][0]["description"]

    data = answer.json["data"]
    up = next(
        c["custom_id"]
        for row in data["components"]
        for c in row["components"]
        if c.get("custom_id", "").startswith(VOTE + "up:")
    )
    posted = fake.message({"content": "", "components": data["components"]}, CHANNEL_ID)
    click = fake.interaction(
        {"custom_id": up, "component_type": 2}, kind=3, user_id=OTHER_ID, message=posted
    )
    await fake.broadcast("INTERACTION_CREATE", click, sessions=2)
    await fake.wait_for(
        lambda: (
            len(fake.callbacks()) == 3
            or (len(fake.callbacks()) == 2 and caplog.text.count(taken) == 2)
        )
    )
    assert len(fake.callbacks()) == 2
    assert "Thanks" in fake.callbacks()[1].json["data"]["content"]
    assert errors(caplog) == [] and failures(metrics) == 0


async def test_with_the_database_away_each_session_answers_on_its_own(
    fake: FakeDiscord,
    connect: Connect,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing at the database's path (every query fails): each process de-duplicates on its
    own, as before: both answer a mention, each ignores a replay of what it answered, and the
    interaction both take is answered once by Discord's rule, the other's 40060 no error."""
    caplog.set_level(logging.INFO)
    path = tmp_path / "gone" / "bot.sqlite3"
    gone = [Store(Database.connect(f"sqlite:///{path}")) for _ in range(2)]
    path.parent.rmdir()  # every query now fails: "unable to open database file"
    metrics = Metrics(process=False)
    try:
        await two_sessions(connect, gone, metrics)
        mention = fake.message_create(f"{MENTION} devtron 2.0?")
        await fake.broadcast("MESSAGE_CREATE", mention, sessions=2)
        await fake.wait_for(lambda: len(replies_to(fake, mention["id"])) == 2)
        await fake.broadcast("MESSAGE_CREATE", mention, sessions=2)  # a RESUME's replay
        later = fake.message_create(f"{MENTION} takeaways")
        await fake.broadcast("MESSAGE_CREATE", later, sessions=2)
        await fake.wait_for(lambda: len(replies_to(fake, later["id"])) == 2)
        assert len(replies_to(fake, mention["id"])) == 2  # the replay was not answered again

        ask = fake.interaction(fake.slash("ask", question="what about SBOMs?"))
        await fake.broadcast("INTERACTION_CREATE", ask, sessions=2)
        elsewhere = "discord interaction answered by another session"
        await fake.wait_for(lambda: len(fake.callbacks()) == 2 and elsewhere in caplog.text)
        hint = fake.slash("ask", question="pokem")
        hint["options"][0]["options"][0]["focused"] = True
        await fake.broadcast("INTERACTION_CREATE", fake.interaction(hint, kind=4), sessions=2)
        autocompleted = "discord autocomplete answered by another session"
        await fake.wait_for(lambda: len(fake.callbacks()) == 4 and autocompleted in caplog.text)
        assert errors(caplog) == [] and "Traceback" not in caplog.text
        assert failures(metrics) == 0
        away = "discord event de-duplication is per process for now"
        assert caplog.text.count(away) == 2  # once per process, not once per event
    finally:
        for store in gone:
            store.close()


async def test_in_a_rolling_update_the_session_that_stays_answers(
    fake: FakeDiscord, connect: Connect, stores: list[Store], caplog: pytest.LogCaptureFixture
) -> None:
    """The old replica is shutting down, the new one is up: both receive each event. The old
    one's "I'm restarting" won Discord's one response to a command, so the user was told to
    ask again though a replica could answer. Now the session that stays answers the command
    and the mention, and the old one, after a moment, finds them taken."""
    caplog.set_level(logging.INFO)
    metrics = Metrics(process=False)
    old, _ = await two_sessions(connect, stores, metrics)
    await fake.broadcast("MESSAGE_CREATE", fake.message_create(f"{MENTION} hi"), sessions=2)
    old.client.accepting = False  # what stop() does first

    ask = fake.interaction(fake.slash("ask", question="what about SBOMs?"))
    await fake.broadcast("INTERACTION_CREATE", ask, sessions=2)
    mention = fake.message_create(f"{MENTION} devtron 2.0?")
    await fake.broadcast("MESSAGE_CREATE", mention, sessions=2)
    taken = f"interaction already taken (another session) id={ask['id']}"
    answered = f"already answered (another session, or a replay) id={mention['id']}"
    await fake.wait_for(
        lambda: (
            taken in caplog.text
            and answered in caplog.text
            and bool(fake.callbacks())
            and bool(replies_to(fake, mention["id"]))
        )
    )
    [callback] = fake.callbacks()
    assert "Antithesis" in callback.json["data"]["embeds"][0]["description"]
    [reply] = replies_to(fake, mention["id"])
    assert reply.json["embeds"][0]["title"].startswith("Q10.")
    assert errors(caplog) == [] and failures(metrics) == 0


async def test_a_mention_while_the_only_session_shuts_down_is_still_answered(
    fake: FakeDiscord, connect: Connect, stores: list[Store]
) -> None:
    """One replica, restarting: a mention in its drain was dropped without a word (Discord
    does not redeliver it). No other session takes it, so this one answers before it closes."""
    [only] = [await connect(BotApp(Responder(load_content())), seen=shared(stores[0]))]
    await fake.broadcast("MESSAGE_CREATE", fake.message_create(f"{MENTION} hi"), sessions=1)
    only.client.accepting = False  # what stop() does first
    mention = fake.message_create(f"{MENTION} devtron 2.0?")
    await fake.dispatch("MESSAGE_CREATE", mention)
    await fake.wait_for(lambda: replies_to(fake, mention["id"]))
    [reply] = replies_to(fake, mention["id"])
    assert reply.json["embeds"][0]["title"].startswith("Q10.")


async def test_autocomplete_keystrokes_record_nothing(
    fake: FakeDiscord, connect: Connect, stores: list[Store]
) -> None:
    """Autocomplete changes nothing, and comes a keystroke at a time: no database write each
    (docs/discord.md says only a mention of the bot and an interaction that acts cost one)."""
    await connect(BotApp(Responder(load_content())), seen=shared(stores[0]))
    hint = fake.slash("ask", question="pokem")
    hint["options"][0]["options"][0]["focused"] = True
    keystroke = fake.interaction(hint, kind=4)
    await fake.dispatch("INTERACTION_CREATE", keystroke)
    await fake.wait_for(fake.callbacks)
    assert fake.callbacks()[0].json["type"] == 8  # the choices
    with stores[0].engine.connect() as conn:
        keys = conn.execute(sa.select(seen_events.c.key)).scalars().all()
    assert f"discord:{keystroke['id']}" not in keys and keys == []


def shared(store: Store) -> SharedSeenIds:
    return shared_seen_ids(store.database, "discord")
