"""The Discord connection as a `Service` for `kubecon-bot run`, and a `Poster` for daily posts.

discord.py reads its REST base from `discord.http.Route.BASE` and, for a fresh connection,
always dials its built-in gateway (`DiscordWebSocket.DEFAULT_GATEWAY`). To honour
DISCORD_API_URL (a REST proxy, a test server) the service sets both: the gateway from
DISCORD_GATEWAY_URL, else from that API's `GET /gateway/bot`. Both are process-wide, which
matches one Discord connection owner per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.discord.client import KubeconClient
from bot.adapters.discord.render import render
from bot.app import BotApp
from bot.config import Settings
from bot.core.replies import Reply
from bot.runtime import DeliveryError

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 60.0


class DiscordStartError(RuntimeError):
    """Start-up failed for a reason the operator must fix; the message names the variable."""


def shard_options(settings: Settings) -> dict[str, object]:
    if settings.shard_count is None:
        return {}
    ids = [int(i) for i in (settings.shard_ids or "").replace(" ", "").split(",") if i]
    return {"shard_count": settings.shard_count, "shard_ids": ids or None}


class DiscordService:
    name = "discord"
    platform = "discord"

    def __init__(self, settings: Settings, bot_app: BotApp) -> None:
        if settings.discord_token is None:
            raise DiscordStartError("DISCORD_TOKEN: not set")
        self._token = settings.discord_token.get_secret_value()
        self._settings = settings
        options = shard_options(settings)
        client_class = discord.AutoShardedClient if options else discord.Client
        kind = (
            type("KubeconClientSharded", (KubeconClient, client_class), {})
            if options
            else (KubeconClient)
        )
        self.client: KubeconClient = kind(bot_app, guild_id=settings.discord_guild_id, **options)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        api = self._settings.discord_api_url
        if api:
            Route.BASE = api.rstrip("/")
        try:
            await self.client.login(self._token)
        except discord.LoginFailure:
            raise DiscordStartError("DISCORD_TOKEN: Discord refused it") from None
        gateway = self._settings.discord_gateway_url
        if not gateway and api:
            _, gateway, _ = await self.client.http.get_bot_gateway()
        if gateway:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        self._task = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=READY_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._task in done and self._task.exception() is not None:
                raise DiscordStartError(f"Discord gateway: {self._task.exception()}")
            raise DiscordStartError("Discord gateway: not ready within 60 s")
        log.info("discord connected as %s", self.client.user)

    async def stop(self) -> None:
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 5)

    @property
    def ready(self) -> bool:
        return self.client.is_ready() and not self.client.is_closed()

    async def post(self, channel_id: str, reply: Reply) -> None:
        """Post unprompted (the daily takeaway); DeliveryError says whether to try again."""
        try:
            channel = self.client.get_channel(int(channel_id)) or await self.client.fetch_channel(
                int(channel_id)
            )
            await channel.send(**render(reply).kwargs())  # type: ignore[union-attr]
        except (discord.Forbidden, discord.NotFound) as exc:
            raise DeliveryError(f"{exc.status} {exc.text}", retryable=False, gone=True) from None
        except discord.HTTPException as exc:
            raise DeliveryError(f"{exc.status} {exc.text}", retryable=True) from None
        except (OSError, TimeoutError) as exc:
            raise DeliveryError(f"network: {exc}", retryable=True) from None
        except ValueError:  # int(channel_id): not a Discord channel id, and never will be
            reason = f"invalid channel id {channel_id!r}"
            raise DeliveryError(reason, retryable=False, gone=True) from None


def create_service(settings: Settings, bot_app: BotApp) -> DiscordService:
    return DiscordService(settings, bot_app)
