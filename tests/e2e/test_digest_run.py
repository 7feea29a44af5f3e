"""The editors' digest through the real `kubecon-bot run` against a fake Slack, on SQLite and on
PostgreSQL: configured with DIGEST_*, due since the start of today in its timezone and missed
(the bot was not running), it is posted once at start-up with the figures `kubecon-bot report
--json --days 7` gives; a restart later in the same period does not post it again."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.clock import utcnow
from bot.daily.digest_schedule import DAYS
from bot.daily.store import CHAT, SENT, Store
from bot.daily.timing import When
from bot.storage.schema import questions, votes
from bot.usage.log import UsageLog
from tests.daily.test_digest import seed_week
from tests.e2e.running import running_bot
from tests.faults.conftest import midday_zone, slack_http
from tests.slack.fakeslack import FakeSlack

DIGEST, DAILY = "CDIGEST01", "CDAILY01"


def posts(fake: FakeSlack, channel: str) -> list[dict[str, object]]:
    return [c for c in fake.sent("chat.postMessage") if c.get("channel") == channel]


@pytest.mark.timeout(120)
async def test_run_posts_a_missed_digest_once_and_a_restart_does_not_repeat_it(
    db_url: str, tmp_path: Path
) -> None:
    zone = midday_zone()  # about noon there: its local midnight is well behind us
    now = utcnow()
    local = now.astimezone(ZoneInfo(zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    digest = {
        "DIGEST_CHANNEL": f"slack:{DIGEST}",
        "DIGEST_DAY": DAYS[local.weekday()],
        "DIGEST_TIME": "00:00",
        "DIGEST_TZ": zone,
    }
    # configured a week ago, so today's 00:00 post is due; a week of use before it
    seed = Store.open(db_url)
    target = ("slack", DIGEST, When(dt.time(0, 0), zone), local.weekday())
    seed.sync_digest(target, now - dt.timedelta(days=7))
    seed_week(UsageLog(seed.engine), midnight)
    with seed.engine.begin() as conn:  # nothing since the post time, as if nobody asked since
        conn.execute(questions.delete().where(questions.c.at >= midnight))
        conn.execute(votes.delete().where(votes.c.at >= midnight))
    seed.close()

    fake = await FakeSlack().start()
    try:
        settings = slack_http(fake, DATABASE_URL=db_url, **digest)
        async with running_bot(settings, tmp_path) as bot:
            await fake.wait_for(lambda: bool(posts(fake, DIGEST)), timeout=60)
            await bot.stop()
            code, out = await bot.command(
                "report", "--json", "--days", "7", "--database", db_url, cwd=tmp_path
            )
        assert code == 0, out
        cli = json.loads(out)

        # later the same day: another channel's takeaway is due, the digest is not
        seed = Store.open(db_url)
        since = now - dt.timedelta(days=1)
        seed.subscribe("slack", DAILY, When(dt.time(0, 0), zone), now=since, source=CHAT)
        seed.close()
        async with running_bot(settings, tmp_path) as bot:
            await fake.wait_for(lambda: bool(posts(fake, DAILY)), timeout=60)
            log = await bot.stop()  # lets the tick that posted it finish
        assert "editors' digest: slack:" in log
    finally:
        await fake.stop()

    [post] = posts(fake, DIGEST)
    blocks = json.dumps(post["blocks"], ensure_ascii=False)
    assert "Editors' digest: the last 7 days" in blocks
    figures = re.search(r"Questions: (\d+) · match rate ([\d.]+)%", blocks)
    assert figures is not None, blocks
    assert int(figures.group(1)) == cli["questions"] == 8
    assert float(figures.group(2)) == round(100 * cli["match_rate"], 1)
    # the question that tried to ping everyone is shown by its words, its pings removed
    assert "kubectl" in blocks and "everyone" not in blocks and "<!channel>" not in blocks
    # a pick; the price questions' group asks what not_covered lists: out of scope, no entry
    assert "Suggestions pending: 1" in blocks

    store = Store.open(db_url)
    try:
        kinds = {s.id: s.kind for s in store.subscriptions()}
        sent = [(kinds[d.subscription_id], d.status) for d in store.deliveries()]
        assert sorted(sent) == [("daily", SENT), ("digest", SENT)]
    finally:
        store.close()
