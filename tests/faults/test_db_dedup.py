"""Two Slack HTTP-mode replicas behind a load balancer, one database: Slack's retry of a
mention (same event_id, X-Slack-Retry-Num) lands on the other replica and is not answered
again. Real SlackService instances (slack-bolt) against the fake Slack, real SQLite and
PostgreSQL; and per-process de-duplication still works when the database is away."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.adapters.slack.service import SlackService, create_service
from bot.config import Settings
from bot.core.app import BotApp
from bot.core.content import Content
from bot.core.dedup import SharedSeenIds
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.storage.database import Database
from bot.storage.seen import SeenEvents
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, free_port, post_signed
from tests.slack.fakeslack import BOT_USER_ID, FakeSlack, app_mention

JSON = "application/json"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = await FakeSlack().start()
    yield slack
    await slack.stop()


async def replica(fake: FakeSlack, content: Content, store: Store) -> SlackService:
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_MODE": "http",
        "SLACK_API_URL": fake.api_url,
        "HOST": "127.0.0.1",
        "PORT": free_port(),
    }
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    seen = SharedSeenIds(SeenEvents(store.engine), platform="slack")
    service = create_service(settings, BotApp(Responder(content)), seen=seen)
    await service.start()
    return service


async def deliver_to_both(fake: FakeSlack, services: list[SlackService]) -> None:
    """The mention to the first replica, Slack's two retries to the second, then a different
    mention (answered: proof the retries were processed, and ignored)."""
    body = json.dumps(app_mention(f"<@{BOT_USER_ID}> what about SBOMs?", event_id="EvLB1"))
    later = app_mention(f"<@{BOT_USER_ID}> takeaways", event_id="EvLB2", ts="1700000099.1")
    async with aiohttp.ClientSession() as http:
        assert (await post_signed(http, services[0], body, content_type=JSON)).status == 200
        for n in (1, 2):
            retry = {"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}
            resp = await post_signed(http, services[1], body, content_type=JSON, headers=retry)
            assert resp.status == 200
        await post_signed(http, services[1], json.dumps(later), content_type=JSON)
    await fake.wait_for(lambda: len(fake.sent("chat.postMessage")) >= 2)
    await asyncio.sleep(0)  # nothing else is pending: the retries were answered with 200


async def test_a_retry_on_the_other_replica_is_not_answered_again(
    fake: FakeSlack, content: Content, db_url: str
) -> None:
    stores = [await asyncio.to_thread(Store.open, db_url) for _ in range(2)]
    services = [await replica(fake, content, store) for store in stores]
    try:
        await deliver_to_both(fake, services)
        for service in services:  # a retry taken for new would be in flight from its ack
            await service.handlers.drain(5)
        threads = [p["thread_ts"] for p in fake.sent("chat.postMessage")]
        assert sorted(threads) == ["1700000001.000100", "1700000099.1"]  # one reply each
    finally:
        for service in services:
            await service.stop()
        for store in stores:
            await asyncio.to_thread(store.close)


async def test_without_the_database_each_replica_still_ignores_its_own_repeats(
    fake: FakeSlack, content: Content, tmp_path
) -> None:
    """The database is unreachable (never created, nothing at that path): each process falls
    back to its own memory, as before; the retry on the same replica is ignored."""
    store = Store(Database.connect(f"sqlite:///{tmp_path / 'gone' / 'bot.sqlite3'}"))
    (tmp_path / "gone").rmdir()  # every query now fails: "unable to open database file"
    service = await replica(fake, content, store)
    try:
        await deliver_to_both(fake, [service, service])
        threads = [p["thread_ts"] for p in fake.sent("chat.postMessage")]
        assert threads.count("1700000001.000100") == 1
    finally:
        await service.stop()
        store.close()
