"""SIGTERM in the middle of a daily fan-out: 30 channels due, each send taking a second, ten at
a time. The scheduler kept claiming channels while the platform closed its session, and those
sends failed with "Session is closed": taken for a channel fault, they paused the channel's
subscription for good; a claim cut short by the cancellation was left to its 5-minute lease.
Now nothing new is claimed once the shutdown begins, what the platform refuses or fails while it
closes is released for the next start, and the next start posts every channel exactly once.

The fake Slack counts a message as posted only if the caller is still there when it answers,
as an API that commits at the end of the request."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import pytest
from aiohttp import web

from bot.core.clock import utcnow
from bot.daily.store import CHAT, CLAIMED, SENT, Store
from bot.daily.timing import When, local_date
from tests.e2e.running import running_bot, stop
from tests.faults.conftest import midday_zone, slack_http
from tests.slack.fakeslack import FakeSlack

CHANNELS = [f"CFAN{i:04d}" for i in range(30)]
ZONE = midday_zone()  # subscribed at 00:00 there, yesterday: due all of its today


class SlowPosts(FakeSlack):
    """Every chat.postMessage answers after a second, posted only if its caller stayed."""

    def __init__(self) -> None:
        super().__init__()
        self.started = 0
        self.abandoned = 0

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            self.started += 1
            self._notify()
            await asyncio.sleep(1.0)
            if request.transport is None or request.transport.is_closing():
                self.abandoned += 1
                return web.json_response({"ok": False, "error": "caller_gone"})
        return await super()._api(request)


def subscribed_due(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    seed = Store.open(url)
    yesterday = utcnow() - dt.timedelta(days=1)
    for channel in CHANNELS:
        seed.subscribe("slack", channel, When(dt.time(0, 0), ZONE), now=yesterday, source=CHAT)
    seed.close()
    return url


def ledger(url: str) -> tuple[list[str], dict[str, str]]:
    """(the paused channels, each channel's delivery status today)."""
    store = Store.open(url)
    try:
        today = local_date(utcnow(), ZONE)
        subs = {s.channel_id: s for s in store.subscriptions()}
        paused = sorted(c for c, s in subs.items() if s.paused)
        rows = {c: store.delivery(s.id, today) for c, s in subs.items()}
        return paused, {c: r.status if r else "none" for c, r in rows.items()}
    finally:
        store.close()


@pytest.mark.timeout(150)
async def test_sigterm_mid_fanout_pauses_nothing_and_the_restart_posts_each_channel_once(
    tmp_path: Path,
) -> None:
    url = subscribed_due(tmp_path)
    fake = await SlowPosts().start()
    settings = slack_http(fake)
    try:
        async with running_bot(settings, tmp_path) as proc:
            await fake.wait_for(lambda: fake.started >= 12, timeout=60)  # the second wave
            log = await stop(proc)  # SIGTERM: exit 0 within its budget
        assert "Traceback" not in log and "paused daily posts" not in log, log[-3000:]
        paused, statuses = await asyncio.to_thread(ledger, url)
        assert paused == []
        assert CLAIMED not in statuses.values(), statuses  # none left to a lease

        async with running_bot(settings, tmp_path) as proc:  # the next start
            deadline = time.monotonic() + 90
            while set((await asyncio.to_thread(ledger, url))[1].values()) != {SENT}:
                assert time.monotonic() < deadline, await asyncio.to_thread(ledger, url)
                await asyncio.sleep(0.5)
            await stop(proc)
    finally:
        await fake.stop()
    posted = [c["channel"] for c in fake.sent("chat.postMessage")]
    assert sorted(posted) == sorted(CHANNELS)  # every channel exactly once
