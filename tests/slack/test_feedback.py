"""👍/👎 under Slack answers, driven through the real slack-bolt app by signed block_actions
payloads, with the votes in a real SQLite database."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.core.app import BotApp
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.usage.log import UsageLog
from tests.slack.conftest import command
from tests.slack.fakeslack import FakeSlack, block_action, slash_command


@pytest.fixture
def usage(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    yield UsageLog(store.engine)
    store.close()


def vote_buttons(payload: dict) -> dict[str, dict]:
    return {
        el["action_id"]: el
        for block in payload["blocks"]
        if block["type"] == "actions"
        for el in block["elements"]
        if el["action_id"].startswith("kubecon_vote")
    }


async def test_answers_carry_vote_buttons_and_each_person_counts_once(
    fake: FakeSlack, start_slack, http, content, usage
):
    service = await start_slack(bot_app=BotApp(Responder(content), usage=usage))
    await command(http, service, slash_command("what about SBOMs?", fake.response_url("q")))
    await fake.wait_for(lambda: fake.responses("q"))
    buttons = vote_buttons(fake.responses("q")[0])
    assert set(buttons) == {"kubecon_vote_up", "kubecon_vote_down"}
    assert buttons["kubecon_vote_up"]["text"]["text"].startswith("👍")

    def click(action: str, rid: str, user: str, n: int) -> dict:
        value = buttons[action]["value"]
        return block_action(action, value, fake.response_url(rid), user=user, ephemeral=False, n=n)

    clicks = [
        click("kubecon_vote_up", "a", "U0READER1", 1),
        click("kubecon_vote_up", "b", "U0READER1", 2),  # the same person again
        click("kubecon_vote_down", "c", "U0READER1", 3),  # changes their mind
        click("kubecon_vote_up", "d", "U0READER2", 4),
    ]
    for n, payload in enumerate(clicks):
        await command(http, service, {"payload": json.dumps(payload)})
        rid = "abcd"[n]
        await fake.wait_for(lambda rid=rid: fake.responses(rid))
    replies = {rid: fake.responses(rid)[0] for rid in "abcd"}
    assert all(r["response_type"] == "ephemeral" for r in replies.values())
    assert all(r["replace_original"] is False for r in replies.values())  # the answer stays
    assert "Thanks" in replies["a"]["text"]
    assert "already voted" in replies["b"]["text"]
    assert "Changed your vote to 👎" in replies["c"]["text"]

    votes = usage.votes_since(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    assert sorted(v.vote for v in votes) == [-1, 1]
    assert {v.entry_id for v in votes} == {"supply-chain-security-gaps"}


async def test_without_a_database_answers_have_no_vote_buttons(fake: FakeSlack, start_slack, http):
    service = await start_slack()
    await command(http, service, slash_command("what about SBOMs?", fake.response_url("q")))
    await fake.wait_for(lambda: fake.responses("q"))
    assert vote_buttons(fake.responses("q")[0]) == {}


async def test_a_forged_vote_value_is_refused_privately(
    fake: FakeSlack, start_slack, http, content, usage
):
    service = await start_slack(bot_app=BotApp(Responder(content), usage=usage))
    forged = block_action("kubecon_vote_up", "up:<!channel>", fake.response_url("f"))
    await command(http, service, {"payload": json.dumps(forged)})
    await fake.wait_for(lambda: fake.responses("f"))
    assert "not one of mine" in fake.responses("f")[0]["text"]
    assert usage.votes_since(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)) == []
