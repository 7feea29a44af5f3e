"""`kubecon-bot run` in Slack Socket Mode, the default deployment: a real process that opens its
websocket to a fake Slack on 127.0.0.1, answers a slash command arriving over that socket, and
serves /healthz, /readyz and /metrics on HEALTH_PORT for the image's HEALTHCHECK and probes."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from tests.conftest import clean_env, run_bot
from tests.e2e.running import running_bot, stop
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN, free_port
from tests.slack.fakeslack import FakeSlack, slash_command


@pytest.mark.timeout(90)
async def test_socket_mode_answers_and_serves_probes(tmp_path: Path):
    fake = await FakeSlack().start()
    health_port = free_port()
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": fake.api_url,
        "HEALTH_PORT": str(health_port),
    }
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:
            await fake.send_envelope(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": slash_command("what about SBOMs?", fake.response_url("s")),
                }
            )
            await fake.wait_for(lambda: bool(fake.acks and fake.responses("s")))
            assert "Antithesis" in str(fake.responses("s")[0]["blocks"])

            base = f"http://127.0.0.1:{health_port}"
            for path in ("/healthz", "/readyz", "/metrics"):
                async with session.get(base + path) as resp:
                    assert resp.status == 200, path
            env = clean_env(**settings, HOST="127.0.0.1")
            check = run_bot("healthcheck", cwd=tmp_path, env=env)
            assert check.returncode == 0, check.stdout + check.stderr
            log = await stop(proc)
        assert "served by slack" not in log
        assert BOT_TOKEN not in log and APP_TOKEN not in log
    finally:
        await fake.stop()
