"""The "Fix this answer" shortcut on Slack, through the real slack-bolt app: signed
`message_action` and `view_submission` payloads as Slack documents them, the modal opened with
`views.open`, the admin told through the shortcut's response_url, and the correction in a real
SQLite database where `kubecon-bot suggestions list` finds it."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.slack import handlers
from bot.adapters.slack.corrections import ENTRY, FIX_CALLBACK, PHRASING, modal
from bot.core.app import BotApp
from bot.core.corrections import CorrectionForm
from bot.core.replies import Option
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.usage.corrections import Desk
from bot.usage.journal import Journal
from bot.usage.log import UsageLog
from tests.conftest import clean_env, run_bot
from tests.slack.conftest import command
from tests.slack.fakeslack import (
    FakeSlack,
    message_action,
    posted_by_bot,
    slash_command,
    view_submission,
)

ADMIN = "U0ADMIN01"
QUESTION = "what about SBOMs?"  # answered with Q5


def an_hour_ago() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[tuple[str, UsageLog, Journal]]:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    store = Store.open(url)
    usage = UsageLog(store.engine)
    journal = Journal(usage)
    await journal.start()
    yield url, usage, journal
    await journal.stop()
    store.close()


def front_door(content, database, desk: type[Desk] = Desk) -> BotApp:
    """The front door as `kubecon-bot run` composes it, its corrections going to `desk`."""
    _, usage, journal = database
    corrections = desk(usage, journal.followups)
    return BotApp(
        Responder(content), usage=usage, corrections=corrections, observers=[journal.observe]
    )


@pytest.fixture
async def service(start_slack, content, database):
    """The Slack adapter over the front door, with one admin."""
    bot_app = front_door(content, database)
    return await start_slack(bot_app=bot_app, SLACK_ADMIN_USER_IDS=f"U0OTHER01, {ADMIN}")


async def send(http, service, payload: dict) -> dict | None:
    """Post `payload` as Slack does; the acknowledgement's body (JSON), if it has one."""
    answered = await command(http, service, {"payload": json.dumps(payload)})
    assert answered.status == 200
    return json.loads(answered.body) if answered.body.strip() else None


def shown(acknowledged: dict | None) -> str:
    """The text of the modal the acknowledgement turns the submitted one into."""
    assert acknowledged is not None and acknowledged["response_action"] == "update"
    view = acknowledged["view"]
    assert view["type"] == "modal" and view["close"]["text"] == "Done" and "submit" not in view
    return " ".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


async def answered(fake: FakeSlack, http, service, question: str = QUESTION) -> dict:
    """The bot's answer to `question`, as the message a user sees in the channel."""
    await command(http, service, slash_command(question, fake.response_url("q")))
    await fake.wait_for(lambda: fake.responses("q"))
    (answer,) = fake.responses("q")
    assert answer["response_type"] == "in_channel"
    return posted_by_bot(answer)


def picked(view: dict, entry_value: str, phrasing: str | None) -> dict:
    """The modal's state after the admin picked `entry_value` and typed `phrasing`."""
    select = view["blocks"][1]["element"]
    (option,) = [o for o in select["options"] if o["value"] == entry_value]
    return {
        ENTRY: {ENTRY: {"type": "static_select", "selected_option": option}},
        PHRASING: {PHRASING: {"type": "plain_text_input", "value": phrasing}},
    }


async def test_an_admin_corrects_an_answer_and_the_suggestion_is_listed(
    fake: FakeSlack, service, http, content, database
):
    message = await answered(fake, http, service)
    await send(http, service, message_action(message, fake.response_url("fix"), user=ADMIN))
    await fake.wait_for(fake.views)
    (view,) = fake.views()
    assert view["callback_id"] == FIX_CALLBACK and view["title"]["text"] == "Fix this answer"
    (opened,) = fake.sent("views.open")
    assert opened["trigger_id"] == "24680.13579.00000001"  # the shortcut's own trigger
    assert view["blocks"][0]["text"]["text"].startswith("I answered: Q5. ")
    options = [o["text"]["text"] for o in view["blocks"][1]["element"]["options"]]
    assert options[0] == "0. Should not be answered"
    assert len(options) == 1 + len(content.entries)
    assert options[7].startswith("Q7. ")
    phrasing = view["blocks"][2]["element"]
    assert phrasing["initial_value"] == QUESTION  # the asker's words, held for 10 minutes
    assert fake.responses("fix") == []  # nothing said in the channel

    values = picked(view, "cloud-native-for-good", QUESTION)
    told = shown(await send(http, service, view_submission(view, values, user=ADMIN)))
    assert f"“{QUESTION}” should get Q7 (I answered Q5)" in told  # in the modal, to the admin
    assert "kubecon-bot suggestions list" in told
    assert fake.responses("fix") == []  # no response_url needed, nothing in the channel

    url, _, _ = database
    listed = run_bot(
        "suggestions", "list", "--database", url, cwd=Path(url[10:]).parent, env=clean_env()
    )
    assert listed.returncode == 0, listed.stderr
    assert f"Q7         1× admin correction of Q5  “{QUESTION}”" in listed.stdout


async def test_should_not_be_answered_becomes_a_decline_suggestion(
    fake: FakeSlack, service, http, database
):
    message = await answered(fake, http, service)
    await send(http, service, message_action(message, fake.response_url("fix"), user=ADMIN))
    await fake.wait_for(fake.views)
    (view,) = fake.views()
    values = picked(view, "0", "sboms for my car")
    told = shown(await send(http, service, view_submission(view, values, user=ADMIN)))
    assert "“sboms for my car” should not be answered (I answered Q5)" in told
    _, usage, _ = database
    (correction,) = usage.corrections_since(an_hour_ago())
    assert (correction.entry_id, correction.text) == (None, "sboms for my car")


async def test_an_emptied_phrasing_is_said_beside_it_and_the_modal_stays_open(
    fake: FakeSlack, service, http, database
):
    """The admin cleared the phrasing field: refused, as before, but in the modal beside the
    field (Slack's "errors" response), so the entry picked stays picked and nothing is lost;
    the modal closed before, and the admin started again from the shortcut."""
    message = await answered(fake, http, service)
    await send(http, service, message_action(message, fake.response_url("fix"), user=ADMIN))
    await fake.wait_for(fake.views)
    (view,) = fake.views()
    values = picked(view, "cloud-native-for-good", "   ")
    acknowledged = await send(http, service, view_submission(view, values, user=ADMIN))
    assert acknowledged is not None and acknowledged["response_action"] == "errors"
    assert list(acknowledged["errors"]) == [PHRASING]
    assert acknowledged["errors"][PHRASING].startswith("The phrasing is empty")
    assert fake.responses("fix") == []
    _, usage, _ = database
    assert usage.corrections_since(an_hour_ago()) == []


class SlowDesk(Desk):
    """A database that takes its time to record a correction."""

    def record(self, correction) -> None:
        time.sleep(0.6)
        super().record(correction)


@pytest.fixture
def slow_submit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The modal waits 0.2 s for a correction to be recorded, not 2 s: the test stays short."""
    monkeypatch.setattr(handlers, "SUBMIT_WAIT", 0.2)


@pytest.mark.usefixtures("slow_submit")
async def test_a_correction_recorded_slowly_is_told_through_the_response_url(
    fake: FakeSlack, start_slack, content, database, http
):
    """Slack wants the submission acknowledged within 3 s: when the database takes longer than
    the modal waits (SUBMIT_WAIT), the modal closes and the admin is told once it is recorded,
    privately, through the shortcut's response_url."""
    _, usage, _ = database
    service = await start_slack(
        bot_app=front_door(content, database, SlowDesk), SLACK_ADMIN_USER_IDS=ADMIN
    )
    message = await answered(fake, http, service)
    await send(http, service, message_action(message, fake.response_url("fix"), user=ADMIN))
    await fake.wait_for(fake.views)
    (view,) = fake.views()
    values = picked(view, "cloud-native-for-good", QUESTION)
    assert await send(http, service, view_submission(view, values, user=ADMIN)) is None  # closes
    await fake.wait_for(lambda: fake.responses("fix"))
    (told,) = fake.responses("fix")
    assert told["response_type"] == "ephemeral" and told["replace_original"] is False
    assert f"“{QUESTION}” should get Q7 (I answered Q5)" in told["text"]
    (correction,) = usage.corrections_since(an_hour_ago())
    assert correction.entry_id == "cloud-native-for-good"


async def test_anyone_else_is_refused_privately_and_no_modal_opens(
    fake: FakeSlack, service, http, database
):
    message = await answered(fake, http, service)
    await send(http, service, message_action(message, fake.response_url("no"), user="U0000ASK"))
    await fake.wait_for(lambda: fake.responses("no"))
    (refused,) = fake.responses("no")
    assert refused["response_type"] == "ephemeral"
    assert refused["text"].startswith("Only the bot's admins can correct answers")
    assert fake.views() == []
    # a submission from someone else (forged, or no longer an admin) records nothing either
    view = modal(
        CorrectionForm("0123456789abcdef:supply-chain-security-gaps", None, (), ""),
        json.dumps({"answer": "0123456789abcdef:supply-chain-security-gaps", "channel": "C1"}),
    )
    values = {
        ENTRY: {ENTRY: {"selected_option": {"value": "cloud-native-for-good"}}},
        PHRASING: {PHRASING: {"value": "sboms"}},
    }
    told = shown(await send(http, service, view_submission(view, values, user="U0000ASK", n=2)))
    assert told.startswith("Only the bot's admins can correct answers")
    _, usage, _ = database
    assert usage.corrections_since(an_hour_ago()) == []


@pytest.mark.parametrize(
    "who",
    [
        {"user": "U0000ASK", "bot_id": None, "app_id": None},  # a person's message
        {"user": "U0BOT0002", "bot_id": "B0OTHER01", "app_id": "A0OTHER01"},  # another app's
    ],
)
async def test_only_the_bots_own_answers_can_be_corrected(
    fake: FakeSlack, service, http, who: dict
):
    message = {**await answered(fake, http, service), **who}  # even with our buttons copied
    message = {k: v for k, v in message.items() if v is not None}
    await send(http, service, message_action(message, fake.response_url("x"), user=ADMIN))
    await fake.wait_for(lambda: fake.responses("x"))
    assert "I can only correct my own answers" in fake.responses("x")[0]["text"]
    assert fake.views() == []


def test_a_content_too_large_for_one_list_is_offered_in_groups():
    choices = tuple(Option(f"e{n}", n, f"Question {n}") for n in range(1, 251))
    view = modal(CorrectionForm("0123456789abcdef:e1", choices[0], choices, "q" * 400), "{}")
    select = view["blocks"][1]["element"]
    assert "options" not in select
    groups = select["option_groups"]
    assert [g["label"]["text"] for g in groups] == ["No entry", "Q1–Q100", "Q101–Q200", "Q201–Q250"]
    assert all(len(g["options"]) <= 100 for g in groups)
    assert groups[0]["options"][0]["value"] == "0"
    assert len(view["blocks"][2]["element"]["initial_value"]) == 300  # within max_length
    assert len(view["title"]["text"]) <= 24
