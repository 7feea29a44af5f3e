"""The database goes away between "the platform accepted the daily post" and "recorded as sent"
(a TCP proxy in front of PostgreSQL, cut from inside the fake platform's post): the process
keeps the fact that it posted, records it when the database is back, and never posts again,
not even after its own lease has expired."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from bot.core.content import Content
from bot.core.replies import Reply
from bot.daily.scheduler import LEASE, Scheduler
from bot.daily.store import SENT, Store
from bot.daily.timing import When
from tests.daily.conftest import RecordingPoster, utc
from tests.faults.proxy import TcpProxy

DUE = utc(2026, 11, 2, 8, 0)  # 09:00 Europe/Berlin


class CuttingPoster(RecordingPoster):
    """Accepts the post, then cuts the database's network before the scheduler records it."""

    def __init__(self, proxy: TcpProxy) -> None:
        super().__init__("slack")
        self.proxy = proxy

    async def post(self, channel_id: str, reply: Reply) -> None:
        await super().post(channel_id, reply)
        self.proxy.cut()


async def test_a_post_sent_while_the_database_is_away_is_recorded_later_and_not_repeated(
    pg_proxy: tuple[TcpProxy, str], content: Content
) -> None:
    proxy, url = pg_proxy
    store = await asyncio.to_thread(Store.open, url)
    await asyncio.to_thread(
        store.subscribe, "slack", "C1", When(dt.time(9), "Europe/Berlin"), now=utc(2026, 11, 1)
    )
    slack = CuttingPoster(proxy)
    scheduler = Scheduler(store, {"slack": slack}, content, holder="replica-a")
    try:
        await scheduler.tick(DUE)  # posts; recording it fails: the database is unreachable
        assert len(slack.posts) == 1
        proxy.restore()
        later = DUE + LEASE + dt.timedelta(minutes=1)  # our own lease has expired meanwhile
        for minute in range(3):
            await scheduler.tick(later + dt.timedelta(minutes=minute))
        assert len(slack.posts) == 1
        delivery = (await asyncio.to_thread(store.deliveries))[0]
        assert (delivery.status, delivery.holder) == (SENT, "replica-a")
    finally:
        await asyncio.to_thread(store.close)


async def test_the_scheduler_says_when_the_database_is_back(
    pg_proxy: tuple[TcpProxy, str], content: Content, caplog
) -> None:
    """The scheduler's "database unavailable" ERRORs were the last word of an outage: an
    operator reading the log could not tell it had ended until the next post. Once a tick
    works again, one INFO line says so."""
    proxy, url = pg_proxy
    store = await asyncio.to_thread(Store.open, url)
    scheduler = Scheduler(store, {"slack": RecordingPoster("slack")}, content, interval=0.05)
    try:
        with caplog.at_level(logging.INFO, logger="bot.daily.scheduler"):
            proxy.cut()
            await scheduler.start()
            for _ in range(400):  # until a tick has failed
                if "database unavailable" in caplog.text:
                    break
                await asyncio.sleep(0.025)
            assert "database unavailable" in caplog.text
            proxy.restore()
            for _ in range(400):
                if "database reachable again" in caplog.text:
                    break
                await asyncio.sleep(0.025)
        assert "daily scheduler: database reachable again, after " in caplog.text
    finally:
        await scheduler.stop()
        await asyncio.to_thread(store.close)
