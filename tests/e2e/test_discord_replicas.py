"""Two `kubecon-bot run` processes on one Discord token and shard, one PostgreSQL: a second
replica by mistake, a rolling update, two containers started at the same instant. The fake
gateway sends every event to both sessions, as Discord does; each mention and each command is
answered once, by the replica that records its id first, and neither logs an error."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from tests.discord.fakediscord import BOT_ID, TOKEN, FakeDiscord
from tests.e2e.running import Bot, replicas


def said(bots: list[Bot], text: str) -> bool:
    return any(text in bot.log for bot in bots)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_runs_on_one_shard_answer_each_mention_and_command_once(
    db_url: str, tmp_path: Path
) -> None:
    fake = await FakeDiscord().start()
    settings = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GUILD_READY_TIMEOUT": "0.1",  # the fake sends no more guilds
        "DATABASE_URL": db_url,
        "LOG_FORMAT": "json",
    }
    try:
        async with contextlib.AsyncExitStack() as stack:
            bots = await replicas(stack, settings, tmp_path)
            mention = fake.message_create(f"<@{BOT_ID}> devtron 2.0?")
            await fake.broadcast("MESSAGE_CREATE", mention, sessions=2)
            lost = f"already answered (another session, or a replay) id={mention['id']}"
            await fake.wait_for(
                lambda: (
                    len(fake.messages()) == 2 or (len(fake.messages()) == 1 and said(bots, lost))
                ),
                timeout=30,
            )

            ask = fake.interaction(fake.slash("ask", question="what about SBOMs?"))
            await fake.broadcast("INTERACTION_CREATE", ask, sessions=2)
            taken = f"interaction already taken (another session) id={ask['id']}"
            await fake.wait_for(
                lambda: (
                    len(fake.callbacks()) == 2 or (len(fake.callbacks()) == 1 and said(bots, taken))
                ),
                timeout=30,
            )
            logs = [await bot.stop() for bot in bots]
    finally:
        await fake.stop()

    [reply] = fake.messages()
    assert reply.json["embeds"][0]["title"].startswith("Q10.")
    [answer] = fake.callbacks()
    assert "Antithesis" in answer.json["data"]["embeds"][0]["description"]
    for log in logs:
        records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
        assert [r for r in records if r["level"] in ("ERROR", "CRITICAL")] == [], log
        assert "Traceback" not in log
        assert TOKEN not in log

    # each question was recorded once, by the replica that answered it
    code, out = await bots[0].command("report", "--json", "--database", db_url, cwd=tmp_path)
    assert code == 0, out
    assert json.loads(out)["questions"] == 2
