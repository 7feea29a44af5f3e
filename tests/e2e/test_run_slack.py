"""`kubecon-bot run` end to end: a real process serving Slack HTTP mode against a fake Slack on
127.0.0.1, with its embedded SQLite database: answers, votes, subscriptions, health, clean
shutdown, and `kubecon-bot report` reading what the run recorded."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
from pathlib import Path

import aiohttp
import pytest

from bot.daily.store import Store
from bot.daily.timing import When
from tests.conftest import clean_env, run_bot
from tests.e2e.running import running_bot, stop
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.slack.fakeslack import (
    FakeSlack,
    block_action,
    form,
    message_action,
    post_signed,
    posted_by_bot,
    slash_command,
    view_submission,
)


async def post_command(session, port: int, fields: dict[str, str]) -> int:
    """Signed, as Slack sends it; a reply in the acknowledgement is shown as Slack shows it."""
    url = f"http://127.0.0.1:{port}/slack/events"
    status, _ = await post_signed(session, url, form(fields), SIGNING_SECRET)
    return status


def http_mode(fake: FakeSlack, **more: str) -> dict[str, str]:
    """The settings of a bot in Slack HTTP mode against `fake`, and `more`."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_MODE": "http",
        "SLACK_API_URL": fake.api_url,
        **more,
    }


def button(payload: dict, action_prefix: str) -> dict:
    return next(
        el
        for block in payload["blocks"]
        if block["type"] == "actions"
        for el in block["elements"]
        if el["action_id"].startswith(action_prefix)
    )


@pytest.mark.timeout(90)
async def test_run_answers_subscribes_and_stops_cleanly(tmp_path: Path):
    fake = await FakeSlack().start()
    settings = http_mode(fake, LOG_FORMAT="json")
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:
            port = proc.port  # PORT picked by running_bot, retried if another process took it
            assert port is not None

            async def ask(text: str, rid: str, n: int) -> dict:
                command = slash_command(text, fake.response_url(rid), n=n)
                assert await post_command(session, port, command) == 200
                await fake.wait_for(lambda: bool(fake.responses(rid)))
                return fake.responses(rid)[0]

            async def click(element: dict, rid: str, n: int, replies: int = 1) -> list[dict]:
                action = block_action(
                    element["action_id"], element["value"], fake.response_url(rid), n=n
                )
                assert await post_command(session, port, {"payload": json.dumps(action)}) == 200
                await fake.wait_for(lambda: len(fake.responses(rid)) == replies)
                return fake.responses(rid)

            answer = await ask("what about SBOMs?", "a", 1)
            assert answer["response_type"] == "in_channel"
            assert "Antithesis" in str(answer["blocks"])
            (thanks,) = await click(button(answer, "kubecon_vote_up"), "v", 3)
            assert "Thanks" in thanks["text"]
            await ask("where's the printer?", "d", 4)
            offer = await ask("platform", "p", 5)
            await click(button(offer, "kubecon_choose"), "k", 6, replies=2)  # answer, delete

            confirmation = await ask("subscribe 08:30 Europe/Berlin", "s", 2)
            assert confirmation["response_type"] == "ephemeral"
            assert "08:30" in str(confirmation)

            async with session.get(f"http://127.0.0.1:{port}/metrics") as resp:
                metrics = await resp.text()
            assert 'kubecon_bot_messages_total{outcome="answered",platform="slack"} 1.0' in metrics
            log = await stop(proc)
        assert BOT_TOKEN not in log and SIGNING_SECRET not in log
    finally:
        await fake.stop()

    store = Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    try:
        subs = store.subscriptions()
    finally:
        store.close()
    assert [(s.platform, s.channel_id, s.when) for s in subs] == [
        ("slack", "C0000GEN", When(dt.time(8, 30), "Europe/Berlin"))
    ]

    check_report(tmp_path)


def check_report(tmp_path: Path) -> None:
    """`kubecon-bot report` on what the run recorded: the vote, the decline, the pick."""
    db = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    done = run_bot("report", "--database", db, "--json", cwd=tmp_path, env=clean_env())
    assert done.returncode == 0, done.stderr
    usage = json.loads(done.stdout)
    assert (usage["questions"], round(usage["match_rate"], 3)) == (3, 0.333)
    sbom = next(e for e in usage["entries"] if e["entry_id"] == "supply-chain-security-gaps")
    assert (sbom["asked"], sbom["up"]) == (1, 1)
    groups = {g["text"]: g for g in usage["unanswered"]}
    assert groups["where's the printer?"]["outcomes"] == {"declined": 1}
    assert sum(groups["platform"]["picked"].values()) == 1  # the pick is tied to the question
    text = run_bot("report", "--database", db, cwd=tmp_path, env=clean_env()).stdout
    assert "33.3% answered" in text and "“where's the printer?”" in text
    assert "people picked Q" in text


@pytest.mark.timeout(90)
async def test_run_lets_an_admin_correct_an_answer_into_a_suggestion(tmp_path: Path):
    """The composition root wires corrections: the real process prefills the modal from its
    journal's memory, records the submission, and `suggestions list` shows it."""
    fake = await FakeSlack().start()
    settings = http_mode(fake, SLACK_ADMIN_USER_IDS="U0ADMIN01")
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:
            port = proc.port
            assert port is not None
            asked = slash_command("what about SBOMs?", fake.response_url("a"))
            assert await post_command(session, port, asked) == 200
            await fake.wait_for(lambda: bool(fake.responses("a")))
            message = posted_by_bot(fake.responses("a")[0])
            shortcut = message_action(message, fake.response_url("fix"), user="U0ADMIN01")
            assert await post_command(session, port, {"payload": json.dumps(shortcut)}) == 200
            await fake.wait_for(fake.views)
            (view,) = fake.views()
            assert view["blocks"][2]["element"]["initial_value"] == "what about SBOMs?"
            options = view["blocks"][1]["element"]["options"]
            (q7,) = [o for o in options if o["text"]["text"].startswith("Q7. ")]
            values = {
                "entry": {"entry": {"type": "static_select", "selected_option": q7}},
                "phrasing": {"phrasing": {"type": "plain_text_input", "value": "SBOMs?"}},
            }
            submitted = view_submission(view, values, user="U0ADMIN01")
            url = f"http://127.0.0.1:{port}/slack/events"
            body = form({"payload": json.dumps(submitted)})
            status, ack = await post_signed(session, url, body, SIGNING_SECRET)
            assert status == 200
            updated = json.loads(ack)  # the modal now says what was recorded
            assert updated["response_action"] == "update"
            assert "“SBOMs?” should get Q7" in updated["view"]["blocks"][0]["text"]["text"]
            await stop(proc)
    finally:
        await fake.stop()
    db = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    listed = run_bot("suggestions", "list", "--database", db, cwd=tmp_path, env=clean_env())
    assert listed.returncode == 0, listed.stderr
    assert "Q7         1× admin correction of Q5  “SBOMs?”" in listed.stdout


@pytest.mark.timeout(90)
async def test_sighup_reloads_an_edited_content_file_in_the_running_process(tmp_path: Path):
    """An editor changes qa.yaml and sends SIGHUP (`kill -HUP`, `docker kill -s HUP`): the
    running process, on the event loop it is deployed with, serves the new answer without a
    restart, and still stops cleanly. The edit keeps the file's size and modification time, so
    the process's own polling of the file cannot be what finds it: only the signal."""
    content = tmp_path / "qa.yaml"
    original = (Path(__file__).resolve().parents[2] / "content" / "qa.yaml").read_text()
    content.write_text(original)
    fake = await FakeSlack().start()
    settings = http_mode(fake, CONTENT_PATH=str(content))
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:
            port = proc.port
            assert port is not None

            async def ask(n: int) -> str:
                rid = f"r{n}"
                command = slash_command("what about SBOMs?", fake.response_url(rid), n=n)
                command["channel_id"] = f"C{n:08d}"  # a new channel each time: no repeat pointer
                assert await post_command(session, port, command) == 200
                await fake.wait_for(lambda: bool(fake.responses(rid)))
                return str(fake.responses(rid)[0]["blocks"])

            assert "MOST SIGNIFICANT GAPS" not in await ask(1)
            before = content.stat()
            edited = original.replace("most significant gaps", "MOST SIGNIFICANT GAPS", 1)
            assert len(edited) == len(original) and edited != original
            content.write_text(edited)
            os.utime(content, ns=(before.st_atime_ns, before.st_mtime_ns))
            proc.send_signal(signal.SIGHUP)
            for n in range(2, 100):
                if "MOST SIGNIFICANT GAPS" in await ask(n):
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the edited answer was never served after SIGHUP")
            log = await stop(proc)
        assert "content reloaded: version" in log
        # the file and version served from the start are said too, as the reload says them
        started = next(line for line in log.splitlines() if "serving content version" in line)
        assert str(content) in started and "(10 entries)" in started, started
    finally:
        await fake.stop()


async def _raw_http(port: int, request: bytes) -> bytes:
    """What the server answers to these bytes, sent as they are (a client library would refuse
    to send an oversized header or a malformed request line)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


@pytest.mark.timeout(90)
async def test_run_answers_malformed_http_with_400_and_no_error_line(tmp_path: Path):
    """A header over 8 KB (or any malformed HTTP) from anyone on the internet made aiohttp log
    "ERROR aiohttp.server: Error handling request" with a traceback, one per request: it is
    the client's error, answered 400 and logged below WARNING, one line without a traceback."""
    fake = await FakeSlack().start()
    try:
        async with running_bot(http_mode(fake, LOG_LEVEL="DEBUG"), tmp_path) as proc:
            assert proc.port is not None
            huge = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n"
            bad_line = b"GET /slack/events HTTP/1.1 extra\r\nHost: x\r\n\r\n"
            for request in (huge, bad_line):
                answer = await _raw_http(proc.port, request)
                assert answer.split(b" ", 2)[1] == b"400", answer[:200]
            async with aiohttp.ClientSession() as session:  # and it still serves Slack
                command = slash_command("help", fake.response_url("after"), n=1)
                assert await post_command(session, proc.port, command) == 200
            await fake.wait_for(lambda: bool(fake.responses("after")))
            log = await stop(proc)
    finally:
        await fake.stop()
    assert "Traceback" not in log and " ERROR " not in log and " WARNING " not in log, log
    assert log.count("aiohttp.server: bad HTTP request from 127.0.0.1") == 2, log
