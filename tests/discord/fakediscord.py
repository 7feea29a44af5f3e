"""A small Discord on 127.0.0.1: the REST routes and the gateway a discord.py bot uses, with
payloads shaped as Discord documents them. It records what the bot sends, and lets a test push
gateway events (MESSAGE_CREATE, INTERACTION_CREATE) at the bot."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from tests.waiting import eventually, wait_until

APP_ID = "1100000000000000001"
BOT_ID = APP_ID  # a bot user's id is its application's id
GUILD_ID = "1100000000000000002"
CHANNEL_ID = "1100000000000000003"
USER_ID = "1100000000000000004"
OTHER_ID = "1100000000000000005"
TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GSECRET.fake-discord-bot-token-SECRET"
EVERYONE_PERMS = str(1024 | 2048 | 16384 | 65536 | 2147483648)  # view, send, embed, history, app
MANAGE_CHANNELS = 1 << 4
MANAGE_MESSAGES = 1 << 13
TIMESTAMP = "2026-11-28T12:00:00.000000+00:00"


def button_row(*custom_ids: str) -> list[dict[str, Any]]:
    """A message's `components` holding these buttons, as Discord sends a message: a click's
    INTERACTION_CREATE carries the message the button is on, and discord.py finds the clicked
    button there."""
    row = [{"type": 2, "style": 2, "label": "·", "custom_id": c} for c in custom_ids]
    return [{"type": 1, "components": row}]


def user(uid: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": uid,
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


BOT_USER = user(BOT_ID, "kubecon-bot", bot=True)


def _json(obj: object, status: int = 200) -> web.Response:
    """JSON exactly as Discord labels it: discord.py parses only `application/json`."""
    return web.Response(
        body=json.dumps(obj).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@dataclass
class Sent:
    method: str
    path: str
    json: dict[str, Any]


class FakeDiscord:
    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.identifies: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []
        self.changed = asyncio.Event()
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self._seq = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._sessions: list[web.WebSocketResponse] = []  # sessions past READY, in order
        self.acknowledged: set[str] = set()  # interaction ids with a response (one each)
        self.fail_next: list[tuple[int, dict[str, Any]]] = []  # (status, body) for next POST
        self.down = False  # the gateway refuses connections (see `drop`)
        self.app = web.Application()
        r = self.app.router
        r.add_get("/api/v10/users/@me", self._me)
        r.add_get("/api/v10/oauth2/applications/@me", self._application)
        r.add_get("/api/v10/gateway/bot", self._gateway_bot)
        r.add_put("/api/v10/applications/{app}/commands", self._sync)
        r.add_put("/api/v10/applications/{app}/guilds/{guild}/commands", self._sync)
        r.add_post("/api/v10/channels/{channel}/messages", self._create_message)
        r.add_get("/api/v10/channels/{channel}", self._get_channel)
        r.add_delete("/api/v10/channels/{channel}/messages/{message}", self._delete)
        r.add_put(
            "/api/v10/channels/{channel}/messages/{message}/reactions/{emoji}/@me", self._react
        )
        r.add_post("/api/v10/interactions/{id}/{token}/callback", self._callback)
        r.add_get("/gateway", self._gateway)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- life cycle ----------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def drop(self) -> None:
        """Cut the gateway connection and refuse new ones until `restore()`, as a network
        failure would (the bot should keep trying)."""
        self.down = True
        for ws in list(self._sockets):
            await ws.close(code=4000, message=b"fake: connection dropped")

    def restore(self) -> None:
        self.down = False

    # --- what the bot did ----------------------------------------------------------------------

    def messages(self) -> list[Sent]:
        return [s for s in self.sent if s.method == "POST" and s.path.endswith("/messages")]

    def callbacks(self) -> list[Sent]:
        return [s for s in self.sent if s.path.endswith("/callback")]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        await wait_until(predicate, self.changed, timeout)

    def _record(self, request: web.Request, body: dict[str, Any]) -> None:
        self.sent.append(Sent(request.method, request.path, body))
        self.changed.set()

    # --- gateway -------------------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await eventually(lambda: bool(self._sockets), "the bot to open the gateway")
        await self._sockets[-1].send_str(
            json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data})
        )

    async def broadcast(self, event: str, data: dict[str, Any], sessions: int) -> None:
        """The event to every session on the token, as Discord sends it to every session
        identified for a shard (two replicas of one bot both receive each message), once
        `sessions` of them are READY."""
        await eventually(lambda: len(self._sessions) >= sessions, f"{sessions} gateway sessions")
        for ws in list(self._sessions):
            await ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.down:
            return web.Response(status=503, text="gateway down")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                self.identifies.append(payload["d"])
                await self._ready(ws, payload["d"].get("shard"))
            elif payload["op"] == 6:  # RESUME after a dropped connection
                await ws.send_str(
                    json.dumps({"op": 0, "t": "RESUMED", "s": next(self._seq), "d": {}})
                )
        self._sockets.remove(ws)
        if ws in self._sessions:
            self._sessions.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse, shard: list[int] | None = None) -> None:
        ready: dict[str, Any] = {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
        }
        if shard is not None:  # Discord echoes the shard an IDENTIFY asked for
            ready["shard"] = shard
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        guild = {
            "id": GUILD_ID,
            "name": "Cloud Natives",
            "owner_id": OTHER_ID,
            "unavailable": False,
            "member_count": 3,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": GUILD_ID,
                    "name": "@everyone",
                    "permissions": EVERYONE_PERMS,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                {
                    "id": CHANNEL_ID,
                    "type": 0,
                    "name": "general",
                    "position": 0,
                    "permission_overwrites": [],
                    "guild_id": GUILD_ID,
                }
            ],
            "threads": [],
            "members": [],
            "voice_states": [],
            "presences": [],
            "joined_at": TIMESTAMP,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
        }
        await ws.send_str(
            json.dumps({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild})
        )
        self._sessions.append(ws)

    # --- REST ----------------------------------------------------------------------------------

    async def _me(self, _: web.Request) -> web.Response:
        return _json(BOT_USER)

    async def _application(self, _: web.Request) -> web.Response:
        return _json(
            {
                "id": APP_ID,
                "name": "kubecon-bot",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": user(OTHER_ID, "owner"),
                "team": None,
            }
        )

    async def _gateway_bot(self, _: web.Request) -> web.Response:
        return _json(
            {
                "url": f"ws://127.0.0.1:{self.port}/gateway",
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _sync(self, request: web.Request) -> web.Response:
        body = await request.json()
        # as Discord answers: a USER or MESSAGE command's description is the empty string
        self.commands = [
            {"description": "", **c, "id": str(next(self._ids)), "application_id": APP_ID}
            | {"version": "1"}
            for c in body
        ]
        self._record(request, {"commands": body})
        return _json(self.commands)

    async def _get_channel(self, request: web.Request) -> web.Response:
        if request.match_info["channel"] != CHANNEL_ID:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        return _json(
            {
                "id": CHANNEL_ID,
                "type": 0,
                "name": "general",
                "guild_id": GUILD_ID,
                "position": 0,
                "permission_overwrites": [],
            }
        )

    async def _create_message(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(request, body)
        if self.fail_next:
            status, error = self.fail_next.pop(0)
            return _json(error, status=status)
        return _json(self.message(body, request.match_info["channel"]))

    def message(self, body: dict[str, Any], channel: str) -> dict[str, Any]:
        return {
            "id": str(next(self._ids)),
            "channel_id": channel,
            "guild_id": GUILD_ID,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
        }

    def reactions(self) -> list[tuple[str, str]]:
        """(message id, emoji) of each reaction the bot added."""
        return [(s.json["message"], s.json["emoji"]) for s in self.sent if s.path.endswith("/@me")]

    async def _react(self, request: web.Request) -> web.Response:
        info = request.match_info
        self._record(request, {"message": info["message"], "emoji": info["emoji"]})
        return web.Response(status=204)

    async def _delete(self, request: web.Request) -> web.Response:
        self._record(request, {})
        return web.Response(status=204)

    async def _callback(self, request: web.Request) -> web.Response:
        """An interaction takes one response: a second (another session answering the same
        INTERACTION_CREATE) is refused as Discord refuses it, 400 with code 40060."""
        body = await request.json()
        self._record(request, body)
        interaction = request.match_info["id"]
        if interaction in self.acknowledged:
            error = {"message": "Interaction has already been acknowledged.", "code": 40060}
            return _json(error, status=400)
        self.acknowledged.add(interaction)
        return _json({"interaction": {"id": interaction, "type": 2}})

    # --- payloads ------------------------------------------------------------------------------

    def message_create(
        self,
        content: str,
        *,
        author: dict[str, Any] | None = None,
        mentions_bot: bool = True,
        message_id: str | None = None,
        mention_everyone: bool = False,
    ) -> dict[str, Any]:
        author = author or user(USER_ID, "asker")
        return {
            "id": message_id or str(next(self._ids)),
            "channel_id": CHANNEL_ID,
            "guild_id": GUILD_ID,
            "author": author,
            "member": {
                "roles": [],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": mention_everyone,
            "mentions": [{**BOT_USER, "member": {"roles": [], "joined_at": TIMESTAMP, "flags": 0}}]
            if mentions_bot
            else [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
        }

    def interaction(
        self,
        data: dict[str, Any],
        *,
        kind: int = 2,
        permissions: int = int(EVERYONE_PERMS),
        user_id: str = USER_ID,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        payload = {
            "id": str(next(self._ids)),
            "application_id": APP_ID,
            "type": kind,
            "data": data,
            "guild_id": GUILD_ID,
            "channel_id": CHANNEL_ID,
            "channel": {
                "id": CHANNEL_ID,
                "type": 0,
                "name": "general",
                "guild_id": GUILD_ID,
                "position": 0,
                "permission_overwrites": [],
            },
            "member": {
                "user": user(user_id, "asker"),
                "roles": [],
                "joined_at": TIMESTAMP,
                "permissions": str(permissions),
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
            "token": "interaction-token",
            "version": 1,
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": EVERYONE_PERMS,
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
            "attachment_size_limit": 10485760,
        }
        if message is not None:
            payload["message"] = message
        return payload

    def command_id(self) -> str:
        return next(c["id"] for c in self.commands if c["name"] == "kubecon")

    def message_command(self, name: str, message: dict[str, Any]) -> dict[str, Any]:
        """The `data` of a message context menu command (type 3, MESSAGE) used on `message`,
        which Discord sends resolved, whole, in `data.resolved.messages`."""
        command = next(c for c in self.commands if c["name"] == name)
        return {
            "id": command["id"],
            "name": name,
            "type": 3,
            "guild_id": GUILD_ID,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
        }

    @staticmethod
    def modal_submit(custom_id: str, values: dict[str, str]) -> dict[str, Any]:
        """The `data` of a MODAL_SUBMIT (interaction type 5): each text input, by custom_id,
        with what was typed in it."""
        return {
            "custom_id": custom_id,
            "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in values.items()
            ],
        }

    def slash(self, sub: str, **options: str) -> dict[str, Any]:
        opts = [{"name": k, "type": 3, "value": v} for k, v in options.items()]
        return {
            "id": self.command_id(),
            "name": "kubecon",
            "type": 1,
            "options": [{"name": sub, "type": 1, "options": opts}],
        }
