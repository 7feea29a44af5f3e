"""`kill -9` while a daily post is on its way: nothing runs at shutdown, so the claim stays with
the dead process. A restart must not post while that claim's lease stands (the dead process
might have posted), and once the lease has run out the day's takeaway goes out, exactly once.

The lease (5 minutes) is not waited for: the test moves the dead holder's `lease_until` into
the past in the database, as time would, before the restart."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.core.clock import utcnow
from bot.daily.store import CLAIMED, SENT
from bot.storage.schema import deliveries
from tests.e2e.running import running_bot, stop
from tests.faults.conftest import slack_http
from tests.faults.test_daily_sigterm_mid_post import (
    CHANNEL,
    SlowFirstPost,
    subscribed_due,
    wait_for_ledger,
)


@pytest.mark.timeout(110)
async def test_kill_9_mid_post_then_restart_posts_once_after_the_lease(tmp_path: Path) -> None:
    url = subscribed_due(tmp_path)
    fake = await SlowFirstPost().start()
    settings = slack_http(fake)
    try:
        async with running_bot(settings, tmp_path) as proc:
            await asyncio.wait_for(fake.slow_started.wait(), 60)  # the post is under way
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        claim = await wait_for_ledger(url, CLAIMED, time.monotonic() + 5)  # left as it was

        async with running_bot(settings, tmp_path) as proc:  # the lease still stands
            await asyncio.sleep(1.0)  # the first tick runs at start: give it time to (not) post
            assert not [c for c in fake.sent("chat.postMessage") if c.get("channel") == CHANNEL]
            assert (
                await wait_for_ledger(url, CLAIMED, time.monotonic() + 1)
            ).holder == claim.holder
            await stop(proc)

        engine = sa.create_engine(url)  # five minutes later, as far as the ledger knows
        with engine.begin() as conn:
            conn.execute(
                deliveries.update()
                .where(deliveries.c.id == claim.id)
                .values(lease_until=utcnow() - dt.timedelta(seconds=1))
            )
        engine.dispose()

        async with running_bot(settings, tmp_path) as proc:
            taken = await wait_for_ledger(url, SENT, time.monotonic() + 60)
            log = await stop(proc)
        assert taken.item_key == claim.item_key  # the same takeaway the dead process had chosen
        assert "lease expired" in log
        fake.release.set()
        await fake.wait_for(lambda: fake.abandoned == 1)
    finally:
        fake.release.set()
        await fake.stop()
    posted = [c for c in fake.sent("chat.postMessage") if c.get("channel") == CHANNEL]
    assert len(posted) == 1  # the takeover's post; the killed one was never answered
