"""A stand-in for Slack on 127.0.0.1: the Web API (reached through SLACK_API_URL), response URLs,
and the Socket Mode websocket. It records what the bot sends, so tests assert on the JSON a
Slack user would see; `fail` makes a method answer with errors first (429, 500, channel_not_found).
Also used by bench/slack_e2e.py and bench/daily_tick.py.

A slash command's acknowledgement may carry its reply (Slack's "immediate response"): Slack
shows it as it shows a message posted to the command's response_url, so the fake records it
among `responses(rid)` too: `post_signed` hands it over from an HTTP response, the websocket
from a Socket Mode ack's payload. Those are never delayed or failed: no second request exists.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import WSMsgType, web

from tests.waiting import wait_until

BOT_USER_ID = "UBOT0001"
TEAM_ID = "T0000001"
IMMEDIATE = "X-Fake-Slack-Immediate"  # a reply that came in an acknowledgement (see above)


@dataclass
class Call:
    method: str  # Web API method, or "response_url"
    data: dict[str, Any]
    path: str = ""
    immediate: bool = False  # a slash command's reply carried in its acknowledgement


@dataclass
class Failure:
    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.requested: list[str] = []  # each API method as its request came in, before any delay
        self.acks: list[dict[str, Any]] = []
        self.failures: dict[str, list[Failure]] = {}
        self.socket_down = False  # the websocket endpoint refuses connections (see `drop`)
        self.delays: dict[str, float] = {}  # method (or "response_url") -> seconds before answering
        self.gates: dict[str, asyncio.Event] = {}  # method (or "response_url") -> answer once set
        self.sockets: list[web.WebSocketResponse] = []
        self._response_urls: dict[str, str] = {}  # envelope id -> its command's response_url
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base = ""
        self.changed = asyncio.Event()

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{rid}", self._response)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, rid: str) -> str:
        return f"{self.base}/response/{rid}"

    def fail(self, method: str, *failures: Failure) -> None:
        """The next calls to `method` (or "response_url") get these answers, in order."""
        self.failures.setdefault(method, []).extend(failures)

    # --- what was sent -------------------------------------------------------------------------

    def sent(self, method: str) -> list[dict[str, Any]]:
        return [c.data for c in self.calls if c.method == method]

    def views(self) -> list[dict[str, Any]]:
        """The modals the bot opened (views.open), as a user would see them."""
        return [c.data["view"] for c in self.calls if c.method == "views.open"]

    def responses(self, rid: str | None = None) -> list[dict[str, Any]]:
        return [
            c.data
            for c in self.calls
            if c.method == "response_url" and (rid is None or c.path == rid)
        ]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        await wait_until(predicate, self.changed, timeout)

    # --- Socket Mode ---------------------------------------------------------------------------

    async def send_envelope(self, envelope: dict[str, Any], socket: int = -1) -> None:
        """Deliver an envelope on one connection (the newest by default): Slack hands each
        event to one of an app's Socket Mode connections, a retry perhaps to another."""
        payload = envelope.get("payload")
        if envelope.get("type") == "slash_commands" and isinstance(payload, dict):
            self._response_urls[envelope["envelope_id"]] = str(payload.get("response_url", ""))
        await self.wait_for(lambda: len(self.sockets) > max(socket, -socket - 1))
        await self.sockets[socket].send_str(json.dumps(envelope))

    async def drop(self) -> None:
        """Close the Socket Mode connections and refuse new ones until `restore()`."""
        self.socket_down = True
        for ws in self.sockets:
            await ws.close()

    def restore(self) -> None:
        self.socket_down = False

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if self.socket_down:
            return web.Response(status=503, text="socket down")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "connection_info": {"app_id": "A0000001"},
                    "debug_info": {"host": "fake", "approximate_connection_time": 18060},
                }
            )
        )
        self._notify()
        async for msg in ws:
            if msg.type is WSMsgType.TEXT:
                data = json.loads(msg.data)
                if "envelope_id" in data:
                    self.acks.append(data)
                    url = self._response_urls.get(data["envelope_id"], "")
                    if url and data.get("payload"):
                        self.shown(url.rsplit("/", 1)[-1], data["payload"])
                    self._notify()
        return ws

    # --- HTTP ----------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            data = await request.json()
        else:
            data = dict(await request.post())
        data["_auth"] = request.headers.get("Authorization", "")
        self.requested.append(method)
        await asyncio.sleep(self.delays.get(method, 0.0))
        failure = self._next_failure(method)
        self.calls.append(Call(method, data))
        self._notify()
        if failure is not None:
            return _failure(failure)
        return web.json_response(self._answer(method, data))

    def shown(self, rid: str, message: dict[str, Any]) -> None:
        """Slack shows a slash command's immediate response (its ack's body)."""
        self.calls.append(Call("response_url", message, rid, immediate=True))
        self._notify()

    async def _response(self, request: web.Request) -> web.Response:
        rid = request.match_info["rid"]
        data = await request.json()
        if request.headers.get(IMMEDIATE):
            self.shown(rid, data)
            return web.Response(text="ok")
        await asyncio.sleep(self.delays.get("response_url", 0.0))
        if "response_url" in self.gates:
            await self.gates["response_url"].wait()
        failure = self._next_failure("response_url")
        self.calls.append(Call("response_url", data, rid))
        self._notify()
        if failure is not None:
            return _failure(failure)
        return web.Response(text="ok")

    def _answer(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER_ID, "bot_id": "B0000001", "team_id": TEAM_ID}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.base.replace("http", "ws") + "/link"}
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": data.get("channel"),
                "ts": f"1700000000.{next(self._ts):06d}",
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "views.open":  # a modal needs the trigger_id of a click (3 s, once)
            if not data.get("trigger_id"):
                return {"ok": False, "error": "invalid_trigger_id"}
            view = data.get("view") if isinstance(data.get("view"), dict) else {}
            return {
                "ok": True,
                "view": {"id": f"V{next(self._ts):08d}", "team_id": TEAM_ID, **view},
            }
        if method == "chat.getPermalink":
            ts = str(data.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "permalink": f"https://fake.slack.test/archives/{data.get('channel')}/p{ts}",
            }
        return {"ok": True}

    def _next_failure(self, method: str) -> Failure | None:
        queue = self.failures.get(method)
        return queue.pop(0) if queue else None

    def _notify(self) -> None:
        self.changed.set()


def _failure(failure: Failure) -> web.Response:
    if isinstance(failure.body, dict):
        return web.json_response(failure.body, status=failure.status, headers=failure.headers)
    return web.Response(text=failure.body, status=failure.status, headers=failure.headers)


# --- payloads as Slack documents them ----------------------------------------------------------


JSON = {"Content-Type": "application/json"}


def sign(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The X-Slack-Signature headers for `body` (v0 HMAC-SHA256 of "v0:{ts}:{body}")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def slash_command(
    text: str, response_url: str, *, user: str = "U0000ASK", channel: str = "C0000GEN", n: int = 1
) -> dict[str, str]:
    return {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": TEAM_ID,
        "team_domain": "example",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": "asker",
        "command": "/kubecon",
        "text": text,
        "api_app_id": "A0000001",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"13345224609.738474920.{n:08d}",
    }


def form(fields: dict[str, str]) -> str:
    return urllib.parse.urlencode(fields)


async def post_signed(
    session: aiohttp.ClientSession,
    url: str,
    body: str,
    secret: str,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    headers: Mapping[str, str] | None = None,
) -> tuple[int, bytes]:
    """POST `body` to an app's events URL as Slack does, signed: (status, body). A slash
    command's reply in the acknowledgement goes where Slack shows it: to the fake, through the
    command's response_url, marked as immediate."""
    all_headers = {"Content-Type": content_type, **sign(body, secret), **(headers or {})}
    async with session.post(url, data=body.encode(), headers=all_headers) as resp:
        status, answer, answer_type = resp.status, await resp.read(), resp.content_type
    if status == 200 and answer_type == "application/json" and content_type.endswith("urlencoded"):
        fields = dict(urllib.parse.parse_qsl(body))
        if fields.get("command") and fields.get("response_url"):
            async with session.post(
                fields["response_url"], data=answer, headers={IMMEDIATE: "1", **JSON}
            ) as shown:
                await shown.read()
    return status, answer


def app_mention(
    text: str,
    *,
    event_id: str = "Ev0000001",
    user: str = "U0000ASK",
    ts: str = "1700000001.000100",
    channel: str = "C0000GEN",
) -> dict[str, Any]:
    return {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": TEAM_ID,
        "api_app_id": "A0000001",
        "event": {
            "type": "app_mention",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000001,
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
    }


def block_action(
    action_id: str,
    value: str,
    response_url: str,
    *,
    user: str = "U0000ASK",
    ephemeral: bool = True,
    n: int = 1,
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
        "api_app_id": "A0000001",
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "container": {
            "type": "message",
            "message_ts": "1700000002.000100",
            "channel_id": "C0000GEN",
            "is_ephemeral": ephemeral,
        },
        "trigger_id": f"98765.43210.{n:08d}",
        "team": {"id": TEAM_ID, "domain": "example"},
        "channel": {"id": "C0000GEN", "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "x"},
                "value": value,
                "type": "button",
                "action_ts": "1700000003.000100",
            }
        ],
    }


def message_action(
    message: dict[str, Any],
    response_url: str,
    *,
    user: str = "U0000ASK",
    callback_id: str = "kubecon_fix_answer",
    n: int = 1,
) -> dict[str, Any]:
    """A message shortcut chosen on `message` (Slack's `message_action` payload)."""
    return {
        "type": "message_action",
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "action_ts": "1700000004.000100",
        "team": {"id": TEAM_ID, "domain": "example"},
        "user": {"id": user, "username": "someone", "team_id": TEAM_ID, "name": "someone"},
        "channel": {"id": "C0000GEN", "name": "general"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": f"24680.13579.{n:08d}",
        "response_url": response_url,
        "message_ts": message.get("ts", "1700000002.000100"),
        "message": message,
    }


def posted_by_bot(payload: dict[str, Any], ts: str = "1700000002.000100") -> dict[str, Any]:
    """A message as Slack delivers it in a message_action when the bot posted `payload`."""
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": payload.get("text", ""),
        "ts": ts,
        "bot_id": "B0000001",
        "app_id": "A0000001",
        "user": BOT_USER_ID,
        "team": TEAM_ID,
        "blocks": payload.get("blocks", []),
    }


def view_submission(
    view: dict[str, Any],
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    user: str = "U0000ASK",
    n: int = 1,
) -> dict[str, Any]:
    """The modal `view` (as views.open returned it) submitted with `values` (its state)."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "example"},
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": TEAM_ID},
        "api_app_id": "A0000001",
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "trigger_id": f"97531.86420.{n:08d}",
        "view": {
            "id": view.get("id", "V00000001"),
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": values},
            "hash": "1700000005.abcdef",
            "title": view.get("title"),
            "clear_on_close": False,
            "notify_on_close": False,
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": view.get("id", "V00000001"),
            "app_id": "A0000001",
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": "B0000001",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
