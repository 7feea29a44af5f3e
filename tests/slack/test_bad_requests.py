"""Unauthenticated garbage on /slack/events (HTTP mode): refused with 401 or 400 and at most a
debug line, never a 500 and a traceback (anyone on the internet can send these)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

import pytest

from tests.slack.conftest import SIGNING_SECRET, command
from tests.slack.fakeslack import FakeSlack, form, sign, slash_command

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _signed(body: bytes) -> dict[str, str]:
    """Slack's signature over raw bytes, valid even when they are not UTF-8."""
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


GARBAGE = [
    # (what, body, content type, headers, status)
    ("unsigned broken JSON", b"{x", JSON, {}, 401),
    ("unsigned broken payload", b"payload=%7Bbad", FORM, {}, 401),
    ("unsigned invalid UTF-8", b"\xff\xfe\xfa", FORM, {}, 401),
    (
        "timestamp abc",
        b"{x",
        JSON,
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=1"},
        401,
    ),
    ("signature only", b"{x", JSON, {"X-Slack-Signature": "v0=abc"}, 401),
    ("wrong signature", b"{x", JSON, sign("{y", SIGNING_SECRET), 401),
    ("signed broken JSON", b"{x", JSON, "sign", 400),
    ("signed broken payload", b"payload=%7Bbad", FORM, "sign", 400),
    ("signed JSON that is not an object", b"[1, 2]", JSON, "sign", 400),
    ("signed invalid UTF-8", b"\xff\xfe\xfa", FORM, "sign", 401),
]


@pytest.mark.parametrize("case", GARBAGE, ids=[g[0] for g in GARBAGE])
async def test_garbage_is_refused_without_an_error_line(
    fake: FakeSlack, start_slack, http, caplog, case
):
    _, body, content_type, headers, status = case
    service = await start_slack()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    url = f"http://127.0.0.1:{service.port}/slack/events"
    extra = _signed(body) if headers == "sign" else headers
    async with http.post(url, data=body, headers={"Content-Type": content_type, **extra}) as r:
        assert r.status == status
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "Traceback" not in caplog.text
    assert len([r for r in caplog.records if r.name.startswith("bot.slack")]) <= 1
    # and the service still answers a real command afterwards
    await command(http, service, slash_command("help", fake.response_url("after"), n=9))
    await fake.wait_for(lambda: fake.responses("after"))


async def test_a_stream_of_garbage_writes_nothing_above_debug(
    fake: FakeSlack, start_slack, http, caplog
):
    service = await start_slack()
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{service.port}/slack/events"
    for n in range(200):
        body = form({"payload": "{bad" + str(n)}).encode()
        async with http.post(url, data=body, headers={"Content-Type": FORM}) as r:
            assert r.status == 401
    assert caplog.text == ""
