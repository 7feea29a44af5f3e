"""SIGTERM under load, with the real `kubecon-bot run` (Slack HTTP mode) against a fake Slack
whose chat.postMessage is slow: every mention and command the bot acknowledged gets its reply
(a mention's is still on its way when the signal comes; a command's rides in its ack), new ones
are refused at once, the usage journal is flushed after the platforms drained, exit 0 within
10 s."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import time
from pathlib import Path

import aiohttp
import pytest

from bot.daily.store import Store
from bot.usage.log import UsageLog
from tests.e2e.running import running_bot
from tests.faults.conftest import slack_http
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fakeslack import (
    BOT_USER_ID,
    FakeSlack,
    app_mention,
    form,
    post_signed,
    slash_command,
)

QUESTIONS = ("what about SBOMs?", "takeaways", "how does devtron help?", "list")


def message(fake: FakeSlack, n: int) -> tuple[str, str]:
    """(body, content type) of message n: a mention for odd n (answered by chat.postMessage),
    a slash command for even n. Distinct users and channels: neither the rate limit nor the
    cooldown applies."""
    question = QUESTIONS[n % len(QUESTIONS)]
    user, channel = f"U{n:07d}", f"C{n:07d}"
    if n % 2:
        event = app_mention(
            f"<@{BOT_USER_ID}> {question}",
            event_id=f"Ev{n:07d}",
            user=user,
            channel=channel,
            ts=f"1700000001.{n:06d}",
        )
        return json.dumps(event), "application/json"
    command = slash_command(question, fake.response_url(f"r{n}"), user=user, channel=channel, n=n)
    return form(command), "application/x-www-form-urlencoded"


async def refusing(session: aiohttp.ClientSession, port: int, timeout: float = 10.0) -> None:
    """Until the Slack service has begun its stop, from which instant it refuses every event:
    /readyz (served on the Slack port) reports the service not ready once its stop began, or
    the port is closed already. A fixed pause after the signal assumed the process handles it
    within that pause, which a busy machine does not promise."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            async with session.get(f"http://127.0.0.1:{port}/readyz") as resp:
                if (await resp.json())["services"]["slack"] is False:
                    return
        except aiohttp.ClientError:  # the server closed: it refuses everything
            return
        assert time.monotonic() < deadline, (
            f"the bot still accepted events {timeout:g} s after SIGTERM"
        )
        await asyncio.sleep(0.01)


@pytest.mark.timeout(120)
async def test_sigterm_delivers_every_acknowledged_reply_and_refuses_the_rest(tmp_path: Path):
    fake = await FakeSlack().start()
    for method in ("chat.postMessage", "chat.postEphemeral"):  # on their way at SIGTERM
        fake.delays[method] = 2.0
    settings = slack_http(fake)
    port = int(settings["PORT"])
    acked: list[int] = []
    refused: list[int] = []
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:

            async def ask(n: int) -> None:
                body, kind = message(fake, n)
                url = f"http://127.0.0.1:{port}/slack/events"
                try:
                    status, _ = await post_signed(
                        session, url, body, SIGNING_SECRET, content_type=kind
                    )
                except aiohttp.ClientError:  # the server already closed: refused as well
                    refused.append(n)
                    return
                (acked if status == 200 else refused).append(n)
                assert status in {200, 503}

            def answered(n: int) -> bool:
                if n % 2 == 0:
                    return bool(fake.responses(f"r{n}"))
                sent = fake.sent("chat.postMessage") + fake.sent("chat.postEphemeral")
                return any(p.get("channel") == f"C{n:07d}" for p in sent)

            await asyncio.gather(*(ask(n) for n in range(40)))
            assert len(acked) == 40
            proc.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            await refusing(session, port)  # the signal is handled: what comes now must be refused
            await asyncio.gather(*(ask(n) for n in range(40, 100)))
            log = await proc.exited(20)
            took = time.monotonic() - signalled
        assert proc.returncode == 0, log[-3000:]
        assert took < 10, f"shutdown took {took:.1f} s"  # the README's promise
        assert sorted(refused) == list(range(40, 100))  # in whatever order they finished
        lost = [n for n in acked if not answered(n)]
        assert lost == [], f"{len(lost)} acknowledged commands never got their reply"
        assert "Traceback" not in log and " ERROR " not in log
        assert "will be unused" not in log  # slack-bolt's token warning: nothing to act on
        # the journal stopped after the platforms: every answered question is on record
        store = Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
        try:
            since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
            assert len(UsageLog(store.engine).asked_since(since)) == len(acked)
        finally:
            store.close()
    finally:
        await fake.stop()


@pytest.mark.timeout(120)
async def test_a_reply_cut_by_the_drain_deadline_is_said_and_the_exit_status_is_1(
    tmp_path: Path,
):
    """A mention acknowledged to Slack whose reply is still on its way when the drain's
    deadline passes is lost (Slack will not send it again): the log said "stopped cleanly"
    after the line saying so, and the exit status was 0. It is said once, and the exit
    status is 1, as for a service that does not stop in time."""
    fake = await FakeSlack().start()
    fake.delays["chat.postMessage"] = 30.0  # longer than the drain's 5 s
    settings = slack_http(fake)
    port = int(settings["PORT"])
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:
            body, kind = message(fake, 1)  # a mention: its reply is a chat.postMessage
            url = f"http://127.0.0.1:{port}/slack/events"
            status, _ = await post_signed(session, url, body, SIGNING_SECRET, content_type=kind)
            assert status == 200
            deadline = time.monotonic() + 10
            while "chat.postMessage" not in fake.requested and time.monotonic() < deadline:
                await asyncio.sleep(0.02)  # the reply is on its way
            proc.send_signal(signal.SIGTERM)
            log = await proc.exited(30)
        assert proc.returncode == 1, log[-3000:]
        assert "slack: 1 reply still in flight after 5 s were cut" in log
        assert "stopped cleanly" not in log and "Traceback" not in log
    finally:
        await fake.stop()
