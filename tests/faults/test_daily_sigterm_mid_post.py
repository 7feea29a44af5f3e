"""SIGTERM while a daily post is slow (chat.postMessage takes 30 s): the real `kubecon-bot run`
stops within its budget and exits 0, the interrupted send is recorded as not sent (its claim
released), and the next start posts that day's takeaway, exactly once in the channel.

The fake Slack posts a message when it answers the call, as an API that commits at the end of
the request: a call the bot hung up on is not posted. (A platform that posted it anyway would
show it twice: the window the README states.)"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from pathlib import Path

import pytest
from aiohttp import web

from bot.core.clock import utcnow
from bot.daily.store import CHAT, FAILED, SENT, Store
from bot.daily.timing import When, local_date
from tests.e2e.running import running_bot, stop
from tests.faults.conftest import midday_zone, slack_http
from tests.slack.fakeslack import FakeSlack

CHANNEL = "CSLOW001"
ZONE = midday_zone()  # subscribed at 00:00 there, yesterday: due all of its today


class SlowFirstPost(FakeSlack):
    """The first chat.postMessage answers after 30 s (or when released), and counts as posted
    only if the caller is still there to receive the answer."""

    def __init__(self) -> None:
        super().__init__()
        self.slow_started = asyncio.Event()
        self.release = asyncio.Event()
        self.abandoned = 0

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage" and not self.slow_started.is_set():
            self.slow_started.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.release.wait(), 30)
            if request.transport is None or request.transport.is_closing():
                self.abandoned += 1
                return web.json_response({"ok": False, "error": "caller_gone"})
        return await super()._api(request)


def subscribed_due(tmp_path: Path) -> str:
    """A SQLite database in `tmp_path` where CHANNEL has been subscribed since yesterday at
    00:00 in ZONE: its takeaway is due all of today. Returns the database URL."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    seed = Store.open(url)
    yesterday = utcnow() - dt.timedelta(days=1)
    seed.subscribe("slack", CHANNEL, When(dt.time(0, 0), ZONE), now=yesterday, source=CHAT)
    seed.close()
    return url


async def wait_for_ledger(url: str, want: str, deadline: float):  # -> Delivery
    store = await asyncio.to_thread(Store.open, url)
    try:
        while True:
            sub = await asyncio.to_thread(store.get, "slack", CHANNEL)
            row = await asyncio.to_thread(store.delivery, sub.id, local_date(utcnow(), ZONE))
            if row is not None and row.status == want:
                return row
            assert time.monotonic() < deadline, f"the ledger never said {want}: {row}"
            await asyncio.sleep(0.2)
    finally:
        await asyncio.to_thread(store.close)


@pytest.mark.timeout(110)
async def test_sigterm_during_a_slow_daily_post_then_restart_posts_once(tmp_path: Path) -> None:
    url = subscribed_due(tmp_path)
    fake = await SlowFirstPost().start()
    settings = slack_http(fake)
    try:
        async with running_bot(settings, tmp_path) as proc:
            await asyncio.wait_for(fake.slow_started.wait(), 60)  # the post is under way
            log = await stop(proc)  # SIGTERM: exit 0, every service stopped within its budget
        assert "Traceback" not in log
        released = await wait_for_ledger(url, FAILED, time.monotonic() + 5)
        assert released.next_attempt_at is not None and released.next_attempt_at <= utcnow()

        async with running_bot(settings, tmp_path) as proc:  # the next start
            await wait_for_ledger(url, SENT, time.monotonic() + 60)
            await stop(proc)
        fake.release.set()
        await fake.wait_for(lambda: fake.abandoned == 1)
    finally:
        fake.release.set()
        await fake.stop()
    posted = [c for c in fake.sent("chat.postMessage") if c.get("channel") == CHANNEL]
    assert len(posted) == 1  # the restart's post; the interrupted one was never answered
