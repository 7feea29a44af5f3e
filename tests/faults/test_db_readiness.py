"""`kubecon-bot run` with its PostgreSQL unreachable (a TCP proxy the test has cut): the bot
starts, is ready and answers questions; subscriptions say "temporarily unavailable"; /readyz
and /metrics report the database down. Once the network is restored the schema is migrated
and `subscribe` works, without a restart."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.running import running_bot, stop
from tests.e2e.test_run_slack import post_command
from tests.faults.conftest import slack_http
from tests.faults.proxy import TcpProxy
from tests.slack.fakeslack import FakeSlack, slash_command


@pytest.mark.timeout(110)
async def test_the_bot_starts_and_answers_without_its_database_and_catches_up(
    pg_proxy: tuple[TcpProxy, str], tmp_path: Path
) -> None:
    proxy, url = pg_proxy
    proxy.cut()  # the database is away before the bot starts
    fake = await FakeSlack().start()
    settings = slack_http(fake, DATABASE_URL=url, DAILY_SUBSCRIPTIONS="slack:CCONFIG 09:00 UTC")
    port = int(settings["PORT"])
    try:
        async with running_bot(settings, tmp_path) as proc, aiohttp.ClientSession() as session:
            n = 0

            async def ask(text: str) -> dict:
                nonlocal n
                n += 1
                rid = f"r{n}"
                user = f"U{n:07d}"  # a different asker each time: no rate limit
                command = slash_command(text, fake.response_url(rid), user=user, n=n)
                assert await post_command(session, port, command) == 200
                await fake.wait_for(lambda: bool(fake.responses(rid)))
                return fake.responses(rid)[0]

            async def get(path: str) -> tuple[int, str]:
                async with session.get(f"http://127.0.0.1:{port}{path}") as resp:
                    return resp.status, await resp.text()

            answer = await ask("what about SBOMs?")
            assert "Antithesis" in str(answer["blocks"])
            refused = await ask("subscribe 08:30 Europe/Berlin")
            assert "temporarily unavailable" in refused["text"]
            status, body = await get("/readyz")
            assert status == 200 and '"database": false' in body
            assert "kubecon_bot_database_up 0.0" in (await get("/metrics"))[1]

            proxy.restore()
            deadline = time.monotonic() + 60  # the bot retries with backoff (1, 2, 4 … s)
            while "temporarily unavailable" in (reply := await ask("subscribe 08:30 UTC"))["text"]:
                assert time.monotonic() < deadline, "subscriptions never came back"
                await asyncio.sleep(0.5)
            assert "Subscribed" in reply["text"]
            status, body = await get("/readyz")
            assert status == 200 and '"database": true' in body
            assert "kubecon_bot_database_up 1.0" in (await get("/metrics"))[1]
            status = (await ask("subscription"))["text"]
            assert "08:30 UTC" in status
            log = await stop(proc)
    finally:
        await fake.stop()
    assert "Traceback" not in log
    assert "retrying in" in log  # one line per attempt while the database was away
