"""The "Fix this answer" message context menu on Discord, through the real discord.py client and
the documented INTERACTION_CREATE payloads: a MESSAGE command (type 2, `data.type` 3, the message
in `data.resolved.messages`) answered with a modal, then its MODAL_SUBMIT (type 5); the
correction in a real SQLite database, as a suggestion editors review."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.discord.corrections import MENU
from bot.core.app import BotApp
from bot.core.content import load_content
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.usage.corrections import Desk
from bot.usage.journal import Journal
from bot.usage.log import UsageLog
from bot.usage.suggestions import PHRASING, since
from tests.discord.fakediscord import (
    BOT_ID,
    CHANNEL_ID,
    EVERYONE_PERMS,
    MANAGE_MESSAGES,
    OTHER_ID,
    FakeDiscord,
)

MENTION = f"<@{BOT_ID}>"
QUESTION = "what about SBOMs?"  # answered with Q5
ADMIN = int(EVERYONE_PERMS) | MANAGE_MESSAGES
ANYONE = int(EVERYONE_PERMS)


@pytest.fixture
async def usage(store: Store) -> AsyncIterator[tuple[UsageLog, Journal]]:
    log = UsageLog(store.engine)
    journal = Journal(log)
    await journal.start()
    yield log, journal
    await journal.stop()


@pytest.fixture
async def started(connect, usage):
    """The Discord service over the front door as `kubecon-bot run` composes it."""
    log, journal = usage
    bot_app = BotApp(
        Responder(load_content()),
        usage=log,
        corrections=Desk(log, journal.followups),
        observers=[journal.observe],
    )
    return await connect(bot_app)


async def answered(fake: FakeDiscord) -> dict[str, Any]:
    """The bot's answer to a mention, as Discord delivers that message in an interaction."""
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} {QUESTION}"))
    await fake.wait_for(fake.messages)
    (sent,) = fake.messages()
    assert sent.json["embeds"][0]["title"].startswith("Q5.")
    return fake.message(sent.json, CHANNEL_ID)


async def fix_this_answer(fake: FakeDiscord, message: dict[str, Any], **who: Any) -> list[Any]:
    """Someone (`who`: permissions, user_id) picks "Fix this answer" on `message`; what the bot
    answered that interaction with."""
    data = fake.message_command(MENU, message)
    await fake.dispatch("INTERACTION_CREATE", fake.interaction(data, **who))
    await fake.wait_for(fake.callbacks)
    return fake.callbacks()


def inputs(modal: dict[str, Any]) -> list[dict[str, Any]]:
    """The modal's text inputs, in order (in action rows, or in labels)."""
    found = []
    for row in modal["components"]:
        for c in row.get("components") or [row.get("component")]:
            if c and c.get("type") == 4:
                found.append({**c, "label": c.get("label") or row.get("label")})
    return found


def said(callback: dict[str, Any]) -> str:
    data = callback["data"]
    return " ".join(
        [data.get("content") or ""] + [e.get("description", "") for e in data.get("embeds") or []]
    )


async def test_the_menu_is_registered_for_members_who_manage_messages(fake, started):
    sync = next(s for s in fake.sent if s.method == "PUT")
    (menu,) = [c for c in sync.json["commands"] if c["name"] == MENU]
    assert menu["type"] == 3  # a MESSAGE context menu
    assert int(menu["default_member_permissions"]) == MANAGE_MESSAGES


async def test_an_admin_corrects_an_answer_through_the_modal(fake, started, usage):
    message = await answered(fake)
    (opened,) = await fix_this_answer(fake, message, permissions=ADMIN, user_id=OTHER_ID)
    assert opened.json["type"] == 9  # MODAL
    modal = opened.json["data"]
    assert modal["title"] == "Fix this answer (was Q5)"
    number, phrasing = inputs(modal)
    assert "0: not to be answered" in number["label"]
    assert phrasing["value"] == QUESTION  # the asker's words, held for 10 minutes
    assert phrasing["max_length"] == 300

    values = {number["custom_id"]: "7", phrasing["custom_id"]: QUESTION}
    submit = fake.modal_submit(modal["custom_id"], values)
    await fake.dispatch(
        "INTERACTION_CREATE", fake.interaction(submit, kind=5, permissions=ADMIN, user_id=OTHER_ID)
    )
    await fake.wait_for(lambda: len(fake.callbacks()) == 2)
    told = fake.callbacks()[1].json
    assert told["type"] == 4 and told["data"]["flags"] & 64  # only the admin sees it
    assert f"“{QUESTION}” should get Q7 (I answered Q5)" in said(told)
    assert "kubecon-bot suggestions list" in said(told)

    log, _ = usage
    (suggestion,) = since(
        log, Responder(load_content()), dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    )
    assert (suggestion.kind, suggestion.entry_id, suggestion.text) == (
        PHRASING,
        "cloud-native-for-good",
        QUESTION,
    )
    assert suggestion.corrections == 1


async def test_zero_means_should_not_be_answered(fake, started, usage):
    message = await answered(fake)
    callbacks = await fix_this_answer(fake, message, permissions=ADMIN, user_id=OTHER_ID)
    modal = callbacks[0].json["data"]
    number, phrasing = inputs(modal)
    submit = fake.modal_submit(
        modal["custom_id"], {number["custom_id"]: "0", phrasing["custom_id"]: "sboms for my car"}
    )
    await fake.dispatch(
        "INTERACTION_CREATE", fake.interaction(submit, kind=5, permissions=ADMIN, user_id=OTHER_ID)
    )
    await fake.wait_for(lambda: len(fake.callbacks()) == 2)
    assert "“sboms for my car” should not be answered (I answered Q5)" in said(
        fake.callbacks()[1].json
    )
    log, _ = usage
    (correction,) = log.corrections_since(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    assert (correction.entry_id, correction.text, correction.platform) == (
        None,
        "sboms for my car",
        "discord",
    )


async def test_anyone_without_manage_messages_is_refused_privately(fake, started, usage):
    message = await answered(fake)
    (refused,) = await fix_this_answer(fake, message, permissions=ANYONE)
    assert refused.json["type"] == 4 and refused.json["data"]["flags"] & 64
    assert said(refused.json).startswith("Only the bot's admins can correct answers")
    log, _ = usage
    assert log.corrections_since(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)) == []


async def test_only_the_bots_own_answers_can_be_corrected(fake, started):
    message = fake.message_create(f"{MENTION} {QUESTION}")  # the asker's message, not the bot's
    (notice,) = await fix_this_answer(fake, message, permissions=ADMIN, user_id=OTHER_ID)
    assert notice.json["type"] == 4 and "I can only correct my own answers" in said(notice.json)
