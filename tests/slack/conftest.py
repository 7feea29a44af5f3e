from __future__ import annotations

import errno
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.adapters.slack.service import SlackService, create_service
from bot.config import Settings
from bot.core.app import BotApp
from bot.core.content import load_content
from bot.core.responder import Responder
from tests.slack.fakeslack import FakeSlack, form
from tests.slack.fakeslack import post_signed as signed_post

BOT_TOKEN = "xoxb-test-0000-SECRET-bot-token"
APP_TOKEN = "xapp-1-test-SECRET-app-token"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = await FakeSlack().start()
    yield slack
    await slack.stop()


@pytest.fixture
def content():
    return load_content()


Start = Callable[..., Awaitable[SlackService]]


@pytest.fixture
async def start_slack(fake: FakeSlack, content) -> AsyncIterator[Start]:
    """Starts the real SlackService against the fake; stopped at the end of the test."""
    started: list[SlackService] = []

    async def start(mode: str = "http", bot_app: BotApp | None = None, **env: Any) -> SlackService:
        values: dict[str, Any] = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_MODE": mode,
            "SLACK_API_URL": fake.api_url,
            "HOST": "127.0.0.1",
            "PORT": free_port(),
        }
        if mode == "socket":
            values["SLACK_APP_TOKEN"] = APP_TOKEN
        values.update(env)
        for attempt in range(3):
            settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
            service = create_service(settings, bot_app or BotApp(Responder(content)))
            try:
                await service.start()
            except OSError as err:  # the free port was taken before the service bound it
                await service.stop()
                if err.errno != errno.EADDRINUSE or "PORT" in env or attempt == 2:
                    raise
                values["PORT"] = free_port()
                continue
            started.append(service)
            return service
        raise AssertionError("unreachable")

    yield start
    for service in started:
        await service.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@dataclass
class Answered:
    """The app's HTTP response to what Slack sent."""

    status: int
    body: bytes


async def post_signed(
    session: aiohttp.ClientSession,
    service: SlackService,
    body: str,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    headers: dict[str, str] | None = None,
    secret: str = SIGNING_SECRET,
) -> Answered:
    """POST `body` to the service's /slack/events the way Slack does, signed (a reply in the
    acknowledgement is shown as Slack shows it: fakeslack.post_signed)."""
    url = f"http://127.0.0.1:{service.port}/slack/events"
    status, answer = await signed_post(
        session, url, body, secret, content_type=content_type, headers=headers
    )
    return Answered(status, answer)


async def command(session, service, fields: dict[str, str], **kw: Any) -> Answered:
    return await post_signed(session, service, form(fields), **kw)
