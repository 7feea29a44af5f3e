"""`kubecon-bot run` end to end with Discord: a real process reaching a fake Discord only
through DISCORD_API_URL (REST, then the gateway that `GET /gateway/bot` names)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.discord.fakediscord import BOT_ID, TOKEN, FakeDiscord
from tests.e2e.test_run_slack import wait_ready
from tests.slack.conftest import free_port


@pytest.mark.timeout(90)
async def test_run_connects_to_discord_and_answers_a_mention(tmp_path: Path):
    fake = await FakeDiscord().start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=TOKEN,
        DISCORD_API_URL=fake.api_url,
        HEALTH_PORT=str(port),
        HOST="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with aiohttp.ClientSession() as session:
            await wait_ready(session, port, proc)
        await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"<@{BOT_ID}> devtron 2.0?"))
        await fake.wait_for(fake.messages)
        assert fake.messages()[0].json["embeds"][0]["title"].startswith("Q10.")
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), 15)
        assert proc.returncode == 0, stderr.decode()[-2000:]
        assert TOKEN not in stderr.decode()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.stop()
