"""Socket Mode against a local websocket standing in for Slack: apps.connections.open hands out
ws://127.0.0.1, envelopes come in, the bot acks each one and replies through the Web API."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging

import pytest

from bot.config import ConfigError
from bot.core.app import BotApp
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.usage.corrections import Desk
from bot.usage.log import UsageLog
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN
from tests.slack.fakeslack import (
    BOT_USER_ID,
    Failure,
    FakeSlack,
    app_mention,
    message_action,
    posted_by_bot,
    slash_command,
    view_submission,
)
from tests.slack.test_corrections import picked


async def test_slash_command_envelope_is_acked_and_answered(fake: FakeSlack, start_slack, content):
    service = await start_slack("socket")
    assert service.ready
    [opened] = fake.sent("apps.connections.open")
    assert opened["_auth"] == f"Bearer {APP_TOKEN}"
    envelope = {
        "envelope_id": "57d6a792-4d35-4d0b-b6aa-3361493e1caf",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": slash_command("what about SBOMs?", fake.response_url("sock")),
    }
    await fake.send_envelope(envelope)
    await fake.wait_for(lambda: fake.acks and fake.responses("sock"))
    assert fake.acks[0]["envelope_id"] == envelope["envelope_id"]
    assert fake.acks[0]["payload"]["response_type"] == "in_channel"  # the reply rides in the ack
    [payload] = fake.responses("sock")
    assert payload["response_type"] == "in_channel"
    assert content.entry("supply-chain-security-gaps").question.replace("&", "&amp;") in json.dumps(
        payload, ensure_ascii=False
    )


async def test_mention_retry_envelopes_are_acked_but_answered_once(fake: FakeSlack, start_slack):
    service = await start_slack("socket")
    event = app_mention(f"<@{BOT_USER_ID}> what about SBOMs?", event_id="EvSock")
    for attempt in range(3):
        await fake.send_envelope(
            {
                "envelope_id": f"env-{attempt}",
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": attempt,
                "retry_reason": "timeout" if attempt else "",
                "payload": event,
            }
        )
    await fake.wait_for(lambda: len(fake.acks) == 3 and fake.sent("chat.getPermalink"))
    await service.handlers.drain(5)
    assert {a["envelope_id"] for a in fake.acks} == {"env-0", "env-1", "env-2"}
    [posted] = fake.sent("chat.postMessage")
    assert posted["thread_ts"] == "1700000001.000100"


async def test_a_refused_app_token_stops_start_up_with_one_line(
    fake: FakeSlack, start_slack, caplog
):
    caplog.set_level(logging.DEBUG)
    fake.fail("apps.connections.open", Failure(200, {"ok": False, "error": "invalid_auth"}))
    with pytest.raises(ConfigError) as err:
        await start_slack("socket")
    assert str(err.value).startswith("SLACK_APP_TOKEN")
    assert "\n" not in str(err.value)
    assert APP_TOKEN not in caplog.text and BOT_TOKEN not in caplog.text


async def test_a_refused_bot_token_stops_start_up_with_one_line(fake: FakeSlack, start_slack):
    fake.fail("auth.test", Failure(200, {"ok": False, "error": "invalid_auth"}))
    with pytest.raises(ConfigError) as err:
        await start_slack("http")
    assert str(err.value) == "SLACK_BOT_TOKEN: Slack refused it (invalid_auth)"


async def test_readiness_drops_while_the_socket_is_gone_and_returns_after_it(
    fake: FakeSlack, start_slack, caplog
):
    caplog.set_level(logging.INFO)
    service = await start_slack("socket")
    assert service.ready
    await fake.drop()
    await fake.wait_for(lambda: not service.ready, timeout=20)
    await fake.wait_for(lambda: "Failed to connect" in caplog.text, timeout=30)
    assert not service.ready
    fake.restore()
    await fake.wait_for(lambda: service.ready, timeout=30)
    assert "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records if r.name == "bot.slack.socket")


async def test_stop_closes_the_socket_first_then_delivers_what_was_acknowledged(
    fake: FakeSlack, start_slack
):
    """Shutdown in Socket Mode: no envelope can be acknowledged once stopping (Slack redelivers
    it to another connection), yet the reply to the one already acknowledged is delivered (a
    subscription command's: acknowledged first, answered through the response_url)."""
    service = await start_slack("socket")
    fake.gates["response_url"] = gate = asyncio.Event()  # the reply is on its way until set
    await fake.send_envelope(
        {
            "envelope_id": "env-in-flight",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": slash_command("subscription", fake.response_url("inflight")),
        }
    )
    await fake.wait_for(lambda: fake.acks)
    assert "payload" not in fake.acks[0]  # the reply is not in the acknowledgement
    stopping = asyncio.create_task(service.stop())
    await fake.wait_for(lambda: fake.sockets and all(ws.closed for ws in fake.sockets))
    assert not service.ready and not stopping.done()  # still delivering
    gate.set()
    await asyncio.wait_for(stopping, 10)
    [reply] = fake.responses("inflight")
    assert reply["response_type"] == "ephemeral" and reply["text"]


async def test_a_correction_submitted_over_the_socket_updates_the_modal(
    fake: FakeSlack, start_slack, content, tmp_path
):
    """Socket Mode is the default deployment: the admin's correction modal, submitted in an
    envelope, is answered in the envelope's acknowledgement with the modal that says what was
    recorded, as over HTTP."""
    store = Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    usage = UsageLog(store.engine)
    bot_app = BotApp(Responder(content), usage=usage, corrections=Desk(usage, None))
    await start_slack("socket", bot_app=bot_app, SLACK_ADMIN_USER_IDS="U0ADMIN01")

    async def send(n: int, kind: str, payload: dict) -> dict:
        envelope = {"envelope_id": f"env-{n}", "type": kind, "payload": payload}
        await fake.send_envelope({**envelope, "accepts_response_payload": True})
        await fake.wait_for(lambda: any(a["envelope_id"] == f"env-{n}" for a in fake.acks))
        return next(a for a in fake.acks if a["envelope_id"] == f"env-{n}")

    await send(1, "slash_commands", slash_command("what about SBOMs?", fake.response_url("q")))
    await fake.wait_for(lambda: fake.responses("q"))
    message = posted_by_bot(fake.responses("q")[0])
    shortcut = message_action(message, fake.response_url("fix"), user="U0ADMIN01")
    await send(2, "interactive", shortcut)
    await fake.wait_for(fake.views)
    (view,) = fake.views()
    values = picked(view, "cloud-native-for-good", "sboms?")
    acked = await send(3, "interactive", view_submission(view, values, user="U0ADMIN01"))
    assert acked["payload"]["response_action"] == "update"
    said = acked["payload"]["view"]["blocks"][0]["text"]["text"]
    assert "“sboms?” should get Q7 (I answered Q5)" in said
    (correction,) = usage.corrections_since(dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    assert correction.entry_id == "cloud-native-for-good"
    store.close()
