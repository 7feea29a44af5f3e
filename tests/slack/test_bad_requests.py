"""Unauthenticated garbage on /slack/events (HTTP mode): refused with 401 or 400 and at most a
debug line, never a 500 and a traceback (anyone on the internet can send these); a request
that looks like Slack's own but does not verify, at most one warning now and then."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time

import pytest

from tests.slack.conftest import SIGNING_SECRET, command, post_signed
from tests.slack.fakeslack import (
    BOT_USER_ID,
    FakeSlack,
    app_mention,
    block_action,
    form,
    message_action,
    sign,
    slash_command,
    view_submission,
)
from tests.waiting import eventually

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
    # signed, parsed, but not shaped as Slack documents its type: bolt's middleware read `event`
    # as an object and answered 500 with an ERROR line
    (
        "signed event that is a number",
        b'{"type":"event_callback","event":5,"team_id":"T1"}',
        JSON,
        "sign",
        400,
    ),
    (
        "signed event that is a list",
        b'{"type":"event_callback","event":[],"team_id":"T1"}',
        JSON,
        "sign",
        400,
    ),
    (
        "signed event that is text",
        b'{"type":"event_callback","event":"x","team_id":"T1"}',
        JSON,
        "sign",
        400,
    ),
    ("signed event that is null", b'{"type":"event_callback","event":null}', JSON, "sign", 400),
    ("signed event_callback without event", b'{"type":"event_callback"}', JSON, "sign", 400),
    (
        "signed event without a type",
        b'{"type":"event_callback","event":{"x":1}}',
        JSON,
        "sign",
        400,
    ),
    ("signed type that is a number", b'{"type":5}', JSON, "sign", 400),
    (
        "signed payload whose type is a list",
        b"payload=%7B%22type%22%3A%5B%5D%7D",
        FORM,
        "sign",
        400,
    ),
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
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING]
    if "Signature" in str(extra) and status == 401:  # looks like Slack's: see the next test
        assert len(warned) <= 1 and all("SLACK_SIGNING_SECRET" in r.message for r in warned)
    else:
        assert not warned, caplog.text
    assert "Traceback" not in caplog.text
    assert len([r for r in caplog.records if r.name.startswith("bot.slack")]) <= 1
    # and the service still answers a real command afterwards
    await command(http, service, slash_command("help", fake.response_url("after"), n=9))
    await fake.wait_for(lambda: fake.responses("after"))


def _raw_head(headers: dict[str, str]) -> bytes:
    """A request line and headers for /slack/events as a client on a raw socket sends them."""
    lines = ["POST /slack/events HTTP/1.1", "Host: bot", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


HANGUPS = [
    ("unsigned", {}),
    ("carrying signature headers", {**sign("{}", "not-the-apps-secret")}),
]


@pytest.mark.parametrize("extra", [h[1] for h in HANGUPS], ids=[h[0] for h in HANGUPS])
async def test_a_client_that_hangs_up_mid_body_costs_one_debug_line(
    fake: FakeSlack, start_slack, http, caplog, extra
):
    """A POST that promised 100 bytes, sent 10 and hung up logged "ERROR aiohttp.server: Error
    handling request" with a ConnectionResetError traceback: anyone can do that, so it is one
    debug line at most, and the service goes on answering."""
    service = await start_slack()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    _, writer = await asyncio.open_connection("127.0.0.1", service.port)
    headers = {"Content-Type": JSON, "Content-Length": "100", **extra}
    writer.write(_raw_head(headers) + b'{"type":"e')
    await writer.drain()
    await asyncio.sleep(0.05)  # the server has read the head and waits for the rest
    writer.close()
    await writer.wait_closed()
    await eventually(lambda: bool(_told(caplog)), "the server to notice the hang-up")
    await asyncio.sleep(0.1)  # anything it logs after the first line
    assert not [r for r in caplog.records if r.levelno > logging.DEBUG], caplog.text
    assert not [r for r in caplog.records if r.exc_info], caplog.text
    assert len(_told(caplog)) <= 1, caplog.text
    await command(http, service, slash_command("help", fake.response_url("after"), n=9))
    await fake.wait_for(lambda: fake.responses("after"))


def _told(caplog) -> list[logging.LogRecord]:
    """What the bot and aiohttp's server logged about requests."""
    return [r for r in caplog.records if r.name.startswith(("bot.slack", "aiohttp"))]


async def test_a_signed_body_that_cannot_be_decompressed_is_refused_with_400(
    fake: FakeSlack, start_slack, http, caplog
):
    """A body marked gzip that is not (aiohttp's RequestPayloadError while reading it) was a
    500 with a traceback; it is unreadable, so 400 and one debug line."""
    service = await start_slack()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    body = b"0123456789"
    headers = {"Content-Type": JSON, "Content-Encoding": "gzip", **_signed(body)}
    url = f"http://127.0.0.1:{service.port}/slack/events"
    async with http.post(url, data=body, headers=headers) as r:
        assert r.status == 400
    assert not [r for r in caplog.records if r.levelno > logging.DEBUG], caplog.text
    assert "Traceback" not in caplog.text
    assert len(_told(caplog)) <= 1, caplog.text


class _Uploader(asyncio.Protocol):
    """A client that sends a chunked body that never ends, as fast as the server takes it, and
    keeps what comes back and whether the server hung up."""

    CHUNK = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"  # 64 KiB

    def __init__(self) -> None:
        self.received = bytearray()
        self.gone: asyncio.Future[Exception | None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.sent = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.received += data

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.gone.done():
            self.gone.set_result(exc)  # None: EOF; ConnectionResetError: a reset

    async def upload(self, head: bytes, most: int) -> None:
        """Send `head`, then chunks until the server hangs up or `most` bytes went out."""
        assert self.transport is not None
        self.transport.write(head)
        while not self.gone.done() and self.sent < most:
            if self.transport.get_write_buffer_size() > 4 * len(self.CHUNK):
                await asyncio.sleep(0.001)  # the server is not reading just now
                continue
            self.transport.write(self.CHUNK)
            self.sent += len(self.CHUNK)
            await asyncio.sleep(0)


# (case, whether it carries signature headers, the answer): the headers are made when the test
# runs, not when the module is collected; a timestamp minutes old by then is refused as stale
ENDLESS = [("unsigned", False, 401), ("carrying signature headers", True, 413)]
MOST = 64 * 2**20  # far more than the server reads before it answers (client_max_size: 1 MiB)


@pytest.mark.parametrize("case", ENDLESS, ids=[e[0] for e in ENDLESS])
async def test_a_request_that_never_ends_is_refused_and_its_connection_closed(
    fake: FakeSlack, start_slack, http, case
):
    """An unsigned chunked POST that never ends was read for 10 s after its answer (aiohttp's
    lingering close), a gigabyte a second over loopback: CPU spent for nothing. After refusing
    it the server hangs up, so the client can no longer send (it sees EOF or a reset), long
    before MOST bytes; one carrying signature headers is refused once its body passes
    client_max_size."""
    _, signed, status = case
    extra = sign("{}", "not-the-apps-secret") if signed else {}
    service = await start_slack()
    client = _Uploader()
    loop = asyncio.get_running_loop()
    await loop.create_connection(lambda: client, "127.0.0.1", service.port)
    headers = {"Content-Type": JSON, "Transfer-Encoding": "chunked", **extra}
    try:
        await client.upload(_raw_head(headers), MOST)
    finally:
        assert client.transport is not None
        client.transport.abort()
    assert client.gone.done(), f"the server still read the body after {client.sent} bytes"
    assert isinstance(await client.gone, ConnectionResetError | None)
    # the answer, when it arrives before the reset: a server that closes with unread data in
    # its buffer sends a reset, which may overtake the answer on a busy machine (Slack never
    # sends such bodies, so no client of its waits for that answer)
    received = bytes(client.received)
    assert not received or received.startswith(f"HTTP/1.1 {status} ".encode()), received
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


async def test_requests_signed_with_another_secret_are_reported_once_in_a_while(
    fake: FakeSlack, start_slack, http, caplog
):
    """A SLACK_SIGNING_SECRET that is not the app's refuses every request from Slack: the bot
    looked healthy while every command failed, with a debug line at most. A fresh request
    carrying Slack's signature headers that does not verify says so in a warning naming the
    variable, at most once in WARN_REFUSED_EVERY (anyone can send such requests)."""
    service = await start_slack()
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{service.port}/slack/events"
    for n in range(20):
        body = form(slash_command("help", fake.response_url(f"r{n}"), n=n))
        headers = {"Content-Type": FORM, **sign(body, "not-the-apps-secret")}
        async with http.post(url, data=body, headers=headers) as r:
            assert r.status == 401
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warned) == 1, caplog.text
    assert "SLACK_SIGNING_SECRET" in warned[0].message
    assert "not-the-apps-secret" not in caplog.text


# the fake Slack's response_url host, filled in by the test: a click's reply must reach it
RESPONSE_URL = "http://127.0.0.1:9/r"


def _mention_with(**fields: object) -> dict:
    event = app_mention(f"<@{BOT_USER_ID}> takeaways", event_id=f"Ev{len(str(fields))}")
    event["event"].update(fields)
    return event


def _clicked(action_id: str, value: object, **fields: object) -> dict:
    action = block_action(action_id, "x", RESPONSE_URL)
    action["actions"][0]["value"] = value
    action.update(fields)
    return {"payload": action}


ODD_FIELDS = [
    # (what, body: a JSON event or {"payload": …} of an interaction)
    ("mention whose text is a number", _mention_with(text=12345)),
    ("mention whose text is an object", _mention_with(text={"a": 1})),
    # (a `user` or `channel` that is not a string: bolt refuses the request, 400, before us)
    ("mention whose ts, thread and team are not text", _mention_with(ts=3.5, thread_ts=[], team=7)),
    ("vote whose value is a number", _clicked("kubecon_vote_up", 7)),
    ("choice whose value is a list", _clicked("kubecon_choose_1", [1])),
    ("remove whose value is null", _clicked("kubecon_remove", None)),
    ("click whose user is a string", _clicked("kubecon_vote_up", "t", user="U1")),
    ("click whose response_url is a number", _clicked("kubecon_vote_up", "t", response_url=5)),
    (
        "shortcut on a message that is a string",
        {"payload": {**message_action({}, RESPONSE_URL), "message": "hi"}},
    ),
    (
        "modal whose metadata is a number",
        {
            "payload": view_submission(
                {"callback_id": "kubecon_fix_answer", "private_metadata": 5}, {}
            )
        },
    ),
]


@pytest.mark.parametrize("case", ODD_FIELDS, ids=[c[0] for c in ODD_FIELDS])
async def test_signed_payload_fields_of_unexpected_types_are_read_as_empty_text(
    fake: FakeSlack, start_slack, http, caplog, case
):
    """A correctly signed event whose `text` was a number logged ERROR with a TypeError
    traceback from strip_mention: a field that is not text reads as empty text (a mention
    without a question gets the help), in every listener, and nothing logs an error."""
    _, body = case
    service = await start_slack()
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    raw = json.dumps(body.get("payload", body)).replace(RESPONSE_URL, fake.response_url("odd"))
    if "payload" in body:
        resp = await post_signed(http, service, form({"payload": raw}))
    else:
        resp = await post_signed(http, service, raw, content_type=JSON)
    assert resp.status == 200
    await service.handlers.drain(5)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "Traceback" not in caplog.text
    await command(http, service, slash_command("help", fake.response_url("after"), n=9))
    await fake.wait_for(lambda: fake.responses("after"))
