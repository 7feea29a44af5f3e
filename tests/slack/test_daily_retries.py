"""A daily post through the real Slack service (to the fake Web API) that Slack answers with an
error it documents as temporary, HTTP 200 and `ok: false`, or that a proxy answers with a page
that is not JSON: retried with backoff that day and posted once, never given up after one try."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.daily.scheduler import Scheduler
from bot.daily.store import SENT
from bot.daily.timing import When
from tests.slack.fakeslack import Failure, FakeSlack

SUBSCRIBED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)  # 09:00 in Berlin
CHANNEL = "C0DAILY01"


def _refused(code: str) -> Failure:
    return Failure(200, {"ok": False, "error": code})


TRANSIENT = [
    # chat.postMessage's documented errors that say "try again later"
    ("internal_error", _refused("internal_error")),
    ("request_timeout", _refused("request_timeout")),
    ("service_unavailable", _refused("service_unavailable")),
    ("fatal_error", _refused("fatal_error")),
    ("ratelimited", _refused("ratelimited")),
    ("team_added_to_org", _refused("team_added_to_org")),
    # a proxy or load balancer in front of Slack answering 200 with a page of its own
    (
        "an HTML page",
        Failure(200, "<html><body>Bad Gateway</body></html>", {"Content-Type": "text/html"}),
    ),
    ("plain text", Failure(200, "upstream connect error", {"Content-Type": "text/plain"})),
    ("JSON that is not", Failure(200, "<html>oops", {"Content-Type": "application/json"})),
    ("an empty body", Failure(200, "", {"Content-Type": "application/json"})),
]


@pytest.mark.parametrize("failure", [t[1] for t in TRANSIENT], ids=[t[0] for t in TRANSIENT])
async def test_a_daily_post_slack_says_is_temporary_is_retried_and_posted_once(
    fake: FakeSlack, start_slack, store, content, caplog, *, failure: Failure
) -> None:
    service = await start_slack()
    store.subscribe("slack", CHANNEL, When(dt.time(9, 0), "Europe/Berlin"), now=SUBSCRIBED)
    scheduler = Scheduler(store, {"slack": service}, content, holder="a")
    fake.fail("chat.postMessage", failure, failure)
    caplog.set_level(logging.WARNING)
    now = DUE
    for _ in range(3):
        await scheduler.tick(now)
        [row] = store.deliveries()
        if row.status == SENT:
            break
        assert row.next_attempt_at is not None, f"given up: {row.last_error} ({caplog.text})"
        assert row.next_attempt_at.date() == DUE.date()
        now = row.next_attempt_at
    assert (row.status, row.attempts) == (SENT, 3)
    posts = fake.sent("chat.postMessage")
    assert len(posts) == 3 and {p["channel"] for p in posts} == {CHANNEL}  # 2 refused, 1 shown
    assert "giving up" not in caplog.text and "paused" not in caplog.text
    retrying = [r for r in caplog.records if "retrying at" in r.getMessage()]
    assert len(retrying) == 2 and all(r.levelno == logging.WARNING for r in retrying)
