"""`kubecon-bot run` end to end: a real process serving Slack HTTP mode against a fake Slack on
127.0.0.1, with its embedded SQLite database: answers, votes, subscriptions, health, clean
shutdown, and `kubecon-bot report` reading what the run recorded."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from bot.store import Store
from tests.conftest import clean_env, run_bot
from tests.e2e.running import running_bot, stop
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, free_port
from tests.slack.fakeslack import FakeSlack, block_action, form, sign, slash_command


async def post_command(session, port: int, fields: dict[str, str]) -> int:
    body = form(fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SIGNING_SECRET)}
    async with session.post(
        f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=headers
    ) as resp:
        return resp.status


@pytest.mark.timeout(90)
async def test_run_answers_subscribes_and_stops_cleanly(tmp_path: Path):
    fake = await FakeSlack().start()
    port = free_port()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_MODE": "http",
        "SLACK_API_URL": fake.api_url,
        "PORT": str(port),
        "LOG_FORMAT": "json",
    }
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:
            status = await post_command(
                session, port, slash_command("what about SBOMs?", fake.response_url("a"), n=1)
            )
            assert status == 200
            await fake.wait_for(lambda: bool(fake.responses("a")))
            answer = fake.responses("a")[0]
            assert answer["response_type"] == "in_channel"
            assert "Antithesis" in str(answer["blocks"])
            up = next(
                el
                for block in answer["blocks"]
                if block["type"] == "actions"
                for el in block["elements"]
                if el["action_id"] == "kubecon_vote_up"
            )
            click = block_action(up["action_id"], up["value"], fake.response_url("v"), n=3)
            assert await post_command(session, port, {"payload": json.dumps(click)}) == 200
            await fake.wait_for(lambda: bool(fake.responses("v")))
            assert "Thanks" in fake.responses("v")[0]["text"]
            await post_command(
                session, port, slash_command("where's the printer?", fake.response_url("d"), n=4)
            )
            await fake.wait_for(lambda: bool(fake.responses("d")))

            status = await post_command(
                session,
                port,
                slash_command("subscribe 08:30 Europe/Berlin", fake.response_url("s"), n=2),
            )
            assert status == 200
            await fake.wait_for(lambda: bool(fake.responses("s")))
            confirmation = fake.responses("s")[0]
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
    assert [(s.platform, s.channel_id, str(s.when)) for s in subs] == [
        ("slack", "C0000GEN", str(subs[0].when))
    ]
    assert subs[0].when.tz == "Europe/Berlin"

    db = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    done = run_bot("report", "--database", db, "--json", cwd=tmp_path, env=clean_env())
    assert done.returncode == 0, done.stderr
    usage = json.loads(done.stdout)
    assert (usage["questions"], usage["match_rate"]) == (2, 0.5)
    assert usage["entries"][0]["entry_id"] == "supply-chain-security-gaps"
    assert (usage["entries"][0]["asked"], usage["entries"][0]["up"]) == (1, 1)
    assert usage["unanswered"][0]["text"] == "where's the printer?"
    text = run_bot("report", "--database", db, cwd=tmp_path, env=clean_env()).stdout
    assert "50.0% answered" in text and "“where's the printer?”" in text
