"""Two `kubecon-bot run` processes in Slack Socket Mode on one PostgreSQL (docs/operations.md:
Slack hands each event to one of an app's connections, so a Slack-only deployment may run
several replicas). An event and Slack's retry of it on the other connection are answered once;
a command on either connection is answered; both stop with exit 0 on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.running import replicas
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN
from tests.slack.fakeslack import BOT_USER_ID, FakeSlack, app_mention, slash_command


def event(payload: dict[str, Any], envelope_id: str, retry: int) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
        "payload": payload,
    }


@pytest.mark.timeout(120)
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_socket_mode_replicas_answer_each_event_once(db_url: str, tmp_path: Path) -> None:
    slack = await FakeSlack().start()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": db_url,
    }
    try:
        async with contextlib.AsyncExitStack() as stack:
            bots = await replicas(stack, settings, tmp_path)
            await slack.wait_for(lambda: len(slack.sockets) >= 2)

            mention = app_mention(f"<@{BOT_USER_ID}> what about SBOMs?", event_id="EvSR1")
            await slack.send_envelope(event(mention, "env-1", retry=0), socket=0)
            await slack.send_envelope(event(mention, "env-2", retry=1), socket=1)
            command = slash_command("devtron 2.0?", slack.response_url("q"))
            await slack.send_envelope(
                {
                    "envelope_id": "env-3",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": command,
                },
                socket=1,
            )
            await slack.wait_for(
                lambda: len(slack.acks) == 3 and bool(slack.responses("q")), timeout=30
            )
            await slack.wait_for(lambda: bool(slack.sent("chat.postMessage")), timeout=30)
            ignored = "slack duplicate delivery ignored id=EvSR1"
            for _ in range(300):  # the log is read as the process writes it
                if any(ignored in bot.log for bot in bots):
                    break
                await asyncio.sleep(0.1)
            assert any(ignored in bot.log for bot in bots), bots[1].log[-2000:]
            threads = [p.get("thread_ts") for p in slack.sent("chat.postMessage")]
            assert threads == ["1700000001.000100"], bots[0].log[-2000:] + bots[1].log[-2000:]
            assert "Antithesis" in json.dumps(slack.sent("chat.postMessage")[0])
            assert "Q10." in json.dumps(slack.responses("q")[0])
            logs = [await bot.stop() for bot in bots]  # each must exit 0 in time
        for log in logs:
            assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
    finally:
        await slack.stop()
