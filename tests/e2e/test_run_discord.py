"""`kubecon-bot run` end to end with Discord: a real process reaching a fake Discord only
through DISCORD_API_URL (REST, then the gateway that `GET /gateway/bot` names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.discord.fakediscord import BOT_ID, TOKEN, FakeDiscord
from tests.e2e.running import running_bot, stop
from tests.slack.conftest import free_port


@pytest.mark.timeout(90)
async def test_run_connects_to_discord_and_answers_a_mention(tmp_path: Path):
    fake = await FakeDiscord().start()
    settings = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_URL": fake.api_url,
        "HEALTH_PORT": str(free_port()),
    }
    try:
        async with running_bot(settings, tmp_path) as proc:
            await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"<@{BOT_ID}> devtron 2.0?"))
            await fake.wait_for(lambda: bool(fake.messages()))
            assert fake.messages()[0].json["embeds"][0]["title"].startswith("Q10.")
            assert TOKEN not in await stop(proc)
    finally:
        await fake.stop()
