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

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.discord.client import (
    KubeconClient,
    ShardedKubeconClient,
    answered_elsewhere,
)
from bot.adapters.discord.render import render
from bot.config import Settings
from bot.core.app import BotApp
from bot.core.dedup import SharedSeenIds
from bot.core.replies import Reply
from bot.core.services import DeliveryError, StartError, StopIncompleteError, reason_of

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 25.0  # the whole start, every attempt included, stays within 30 s
START_ATTEMPTS = 3
START_BACKOFF_S = (1.0, 2.0)  # between attempts to reach the API
DRAIN_SECONDS = 5.0  # within the runner's per-service budget
NETWORK_ERRORS = (aiohttp.ClientError, OSError, TimeoutError, discord.GatewayNotFound)


class DiscordStartError(StartError):
    """Start-up failed for a reason the operator must fix; the message names the variable."""


class _OneLine(logging.Filter):
    """discord.py logs each gateway reconnect attempt with a full traceback, and warns about
    voice support (PyNaCl) a text bot never uses: keep one line per attempt naming the
    reason, and drop the voice warning; every other discord.py record passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "voice will NOT be supported" in record.msg:
            return False  # PyNaCl, davey: voice libraries a text bot does not need
        if str(record.msg).startswith("Attempting a reconnect") and record.exc_info:
            exc = record.exc_info[1]
            record.msg = f"discord gateway: {record.msg} (%s)"
            record.args = (*(record.args or ()), f"{type(exc).__name__}: {exc}")  # type: ignore[misc]
            record.exc_info, record.exc_text = None, None
        return True


class _AnsweredElsewhere(logging.Filter):
    """discord.py answers autocomplete itself, and logs a failed answer as an ERROR with a
    traceback. When another session on the shard answered first (two replicas while the
    database that de-duplicates them is away), nothing failed: one INFO line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and answered_elsewhere(exc):
            record.msg, record.args = "discord autocomplete answered by another session", ()
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text = None, None
        return True


for _name, _filter in (
    ("discord.client", _OneLine),
    ("discord.shard", _OneLine),
    ("discord.app_commands.tree", _AnsweredElsewhere),
):
    if not any(isinstance(f, _filter) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(_filter())


def shard_options(settings: Settings) -> dict[str, object]:
    if settings.shard_count is None:
        return {}
    return {"shard_count": settings.shard_count, "shard_ids": settings.shard_id_list or None}


class DiscordService:
    name = "discord"
    platform = "discord"

    def __init__(
        self, settings: Settings, bot_app: BotApp, *, seen: SharedSeenIds | None = None
    ) -> None:
        if settings.discord_token is None:
            raise DiscordStartError("DISCORD_TOKEN: not set")
        self._token = settings.discord_token.get_secret_value()
        self._settings = settings
        options = shard_options(settings)
        client_class = ShardedKubeconClient if options else KubeconClient
        self.client: KubeconClient = client_class(
            bot_app,
            guild_id=settings.discord_guild_id,
            guild_ready_timeout=settings.discord_guild_ready_timeout,
            seen=seen,
            **options,
        )
        self._task: asyncio.Task[None] | None = None
        self._waiting_on = "Discord"  # the start-up step under way: named if it never ends

    async def start(self) -> None:
        """Log in (a few attempts while the API is unreachable), connect the gateway, wait for
        READY; within READY_TIMEOUT_S in all, else one DiscordStartError line."""
        try:
            await asyncio.wait_for(self._start(), READY_TIMEOUT_S)
        except TimeoutError:
            await self._close()
            raise DiscordStartError(
                f"Discord: no answer within {READY_TIMEOUT_S:.0f} s from {self._waiting_on}"
            ) from None
        except BaseException:
            await self._close()
            raise
        log.info("discord connected as %s", self.client.user)

    async def _start(self) -> None:
        api = self._settings.discord_api_url
        if api:
            Route.BASE = api.rstrip("/")
        self._waiting_on = f"logging in at {api or 'https://discord.com/api'}"
        await self._login(api or "https://discord.com/api")
        gateway = self._settings.discord_gateway_url
        if not gateway and api:
            self._waiting_on = f"asking {api} for the gateway's address"
            try:
                _, gateway, _ = await self.client.http.get_bot_gateway()
            except (*NETWORK_ERRORS, discord.HTTPException) as err:
                raise DiscordStartError(f"Discord API {api}: {reason_of(err)}") from None
        if gateway:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        # no reconnect during start-up: a gateway that cannot be reached fails the start now
        self._waiting_on = f"the gateway {DiscordWebSocket.DEFAULT_GATEWAY} (READY)"
        self._task = asyncio.create_task(self._connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait({self._task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            err = self._task.exception()
            # discord.py cannot retry a first connection that never opened (it trips over the
            # missing websocket): say which gateway could not be reached, not that
            tripped = err is None or isinstance(err, AttributeError)
            why = "unreachable" if tripped else reason_of(err)
            gateway_url = DiscordWebSocket.DEFAULT_GATEWAY
            raise DiscordStartError(f"Discord gateway {gateway_url}: {why}")

    async def _login(self, api: str) -> None:
        for attempt in range(START_ATTEMPTS):
            try:
                await self.client.login(self._token)
                return
            except discord.LoginFailure:
                raise DiscordStartError("DISCORD_TOKEN: Discord refused it") from None
            except (*NETWORK_ERRORS, discord.HTTPException) as err:
                # each login opens a new HTTP session on the client's connector: close it, and
                # let the next login make a fresh connector (closing the session closed it)
                await self.client.http.close()
                self.client.http.connector = discord.utils.MISSING
                if attempt + 1 == START_ATTEMPTS:
                    raise DiscordStartError(
                        f"Discord API {api} unreachable after {START_ATTEMPTS} attempts: "
                        f"{reason_of(err)}"
                    ) from None
                delay = START_BACKOFF_S[min(attempt, len(START_BACKOFF_S) - 1)]
                log.warning(
                    "discord API unreachable (attempt %d of %d, again in %.0f s): %s",
                    attempt + 1,
                    START_ATTEMPTS,
                    delay,
                    reason_of(err),
                )
                await asyncio.sleep(delay)

    async def _connect(self) -> None:
        """The gateway connection for the process's life: discord.py reconnects with backoff
        (one line per attempt, see `_OneLine`); `ready` is False meanwhile."""
        await self.client.connect(reconnect=True)

    async def stop(self) -> None:
        """Refuse new events at once, let the replies already accepted finish, then close."""
        self.client.accepting = False
        left = await self.client.in_flight.drain(DRAIN_SECONDS)
        await self._close()
        if left:  # acknowledged, so the platform will not send them again: lost, and said
            raise StopIncompleteError(
                f"{left} repl{'y' if left == 1 else 'ies'} still in flight after "
                f"{DRAIN_SECONDS:g} s were cut"
            )

    async def _close(self) -> None:
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 5)

    @property
    def ready(self) -> bool:
        """Connected to the gateway: false while discord.py reconnects, and once stopping."""
        return self.client.accepting and self.client.connected and not self.client.is_closed()

    async def post(self, channel_id: str, reply: Reply) -> None:
        """Post unprompted (the daily takeaway); DeliveryError says whether to try again.
        Tracked like a reply: a shutdown lets a post under way finish before closing, and
        refuses one asked for after it began (sent into a client about to close, it failed)."""
        if not self.client.accepting:
            raise DeliveryError("shutting down", retryable=True, code="shutdown")
        with self.client.in_flight.track():
            await self._post(channel_id, reply)

    async def _post(self, channel_id: str, reply: Reply) -> None:
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


def create_service(
    settings: Settings, bot_app: BotApp, *, seen: SharedSeenIds | None = None
) -> DiscordService:
    """The Discord service for `kubecon-bot run`. `seen`: the ids of what the bot answers,
    shared with the other sessions on the shard (bot.storage.seen), else per process."""
    return DiscordService(settings, bot_app, seen=seen)
