"""FakeChat's service: questions arrive as `POST /messages` {"channel", "user", "text"} and are
answered in the response ({"text", "public", "kind"}); daily posts are POSTed to the outbox.

It is what any adapter does, reduced to the contract `kubecon-bot run` expects: a `Service`
(start, stop, ready) that hands each message to `BotApp.handle` and renders the `Reply`, and a
`Poster` (post) that raises `DeliveryError` when a post did not go out.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from aiohttp import web
from fakechat import INVOCATION

from bot.core.app import BotApp, Incoming
from bot.core.replies import Reply
from bot.core.services import DeliveryError

log = logging.getLogger("fakechat")


class FakeChatService:
    name = "fakechat"
    platform = "fakechat"

    def __init__(self, bot_app: BotApp, *, host: str, outbox: str, token: str) -> None:
        self.bot_app = bot_app
        self.host = host
        self.outbox = outbox
        self.token = token
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._accepting = False

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/messages", self._message)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        self._accepting = True
        # a careless plugin logging its token: the runner masks the values `secrets` declares
        log.info("fakechat listening on http://%s:%d (token %s)", self.host, port, self.token)

    async def stop(self) -> None:
        self._accepting = False
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    @property
    def ready(self) -> bool:
        return self._accepting

    async def _message(self, request: web.Request) -> web.Response:
        if not self._accepting:
            return web.json_response({"error": "restarting"}, status=503)
        body: dict[str, Any] = await request.json()
        incoming = Incoming(
            platform=self.platform,
            text=body["text"],
            channel_id=body.get("channel", ""),
            user_id=body.get("user", ""),
            invocation=INVOCATION,
        )
        reply = await self.bot_app.handle(incoming)
        return web.json_response(
            {"text": reply.text, "public": reply.public, "kind": str(reply.kind)}
        )

    async def post(self, channel_id: str, reply: Reply) -> None:
        assert self._session is not None, "post before start"
        headers = {"Authorization": f"Bearer {self.token}"}
        payload = {"channel": channel_id, "text": reply.text}
        try:
            async with self._session.post(self.outbox, json=payload, headers=headers) as resp:
                if resp.status != 200:
                    raise DeliveryError(f"HTTP {resp.status}", retryable=True, code="http_error")
        except aiohttp.ClientError as err:
            raise DeliveryError(f"network: {err}", retryable=True, code="network") from None
