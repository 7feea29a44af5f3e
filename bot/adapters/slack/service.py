"""The Slack adapter as a `Service` (what `kubecon-bot run` starts) and a `Poster` (what the
daily scheduler posts through).

Socket Mode keeps one outbound websocket (no public URL); HTTP mode serves /slack/events and lets
slack-bolt verify each request's signature (401 when missing, wrong or older than 5 minutes).
Both share one Web API client pointed at SLACK_API_URL when set.
"""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.delivery import NETWORK_ERRORS, Delivery, retry_handlers
from bot.adapters.slack.handlers import SlackHandlers
from bot.adapters.slack.render import render
from bot.app import BotApp
from bot.config import ConfigError, Settings
from bot.core.replies import Reply
from bot.seen import SharedSeenIds

log = logging.getLogger("bot.slack")

EVENTS_PATH = "/slack/events"
DEFAULT_API_URL = "https://slack.com/api/"
DRAIN_SECONDS = 8.0
REJECTED = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked"})


class SlackService:
    """One Slack workspace connection. `web_app` is the HTTP-mode server, exposed so the runner
    can add /healthz, /readyz and /metrics to the same port before `start()`; it is None in
    Socket Mode, which serves nothing, so the runner serves the probes on HEALTH_PORT."""

    name = "slack"
    platform = "slack"

    def __init__(
        self, settings: Settings, bot_app: BotApp, *, seen: SharedSeenIds | None = None
    ) -> None:
        if settings.slack_bot_token is None:
            raise ConfigError("SLACK_BOT_TOKEN: required to run the Slack adapter")
        self.mode = settings.effective_slack_mode
        self.host = settings.host
        self.port = settings.port
        api_url = settings.slack_api_url or DEFAULT_API_URL
        self.client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=api_url if api_url.endswith("/") else api_url + "/",
            timeout=10,
            retry_handlers=retry_handlers(),
            logger=log,
        )
        self.delivery = Delivery(self.client)
        secret = settings.slack_signing_secret
        self.bolt = AsyncApp(
            name="kubecon-bot",
            client=self.client,
            signing_secret=secret.get_secret_value() if secret else "",
            request_verification_enabled=self.mode == "http",
            logger=logging.getLogger("bot.slack.bolt"),
        )
        admins = frozenset(u for u in settings.slack_admin_user_ids.replace(",", " ").split() if u)
        self.handlers = SlackHandlers(
            bot_app,
            self.delivery,
            command=settings.slack_command,
            admin_user_ids=admins,
            seen=seen,
        )
        self.handlers.register(self.bolt)
        self._app_token = settings.slack_app_token
        self.web_app: web.Application | None = None
        if self.mode == "http":
            self.web_app = web.Application()
            self.web_app.router.add_post(EVENTS_PATH, self._events)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None
        self._stopping = False
        self.bot_user_id: str | None = None

    # --- Service ------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        if self._stopping:
            return False
        if self.mode == "http":
            return self._site is not None
        session = self._socket.client.current_session if self._socket else None
        return session is not None and not session.closed

    async def start(self) -> None:
        self._stopping = False
        self._session = aiohttp.ClientSession()
        self.client.session = self._session
        await self._check_token()
        if self.web_app is not None:
            self._runner = web.AppRunner(self.web_app, access_log=None)
            await self._runner.setup()
            self._site = web.TCPSite(self._runner, self.host, self.port)
            await self._site.start()
            log.info("slack adapter listening on http://%s:%s%s", self.host, self.port, EVENTS_PATH)
            return
        assert self._app_token is not None  # Settings guarantees it in socket mode
        app_token = self._app_token.get_secret_value()
        self._socket = AsyncSocketModeHandler(self.bolt, app_token=app_token, logger=log)
        # slack_sdk retries a refused token forever; ask once ourselves so a bad SLACK_APP_TOKEN
        # stops start-up with one line, and hand the websocket URL to the client.
        try:
            opened = await self.client.apps_connections_open(app_token=app_token)
        except SlackApiError as err:
            code = err.response.get("error")
            if code in REJECTED:
                await self.stop()
                raise ConfigError(f"SLACK_APP_TOKEN: Slack refused it ({code})") from None
            log.warning("slack apps.connections.open failed at start-up: %s", code)
        except NETWORK_ERRORS as err:
            log.warning("slack API unreachable at start-up: %s", type(err).__name__)
        else:
            self._socket.client.wss_uri = opened.get("url")
        await self._socket.connect_async()
        log.info("slack adapter connected in Socket Mode")

    async def stop(self) -> None:
        """Stop taking events, let replies in flight finish, close connections."""
        self._stopping = True
        if self._site is not None:
            await self._site.stop()
        if self._socket is not None:
            self._socket.client.auto_reconnect_enabled = False
            self._socket.client.default_auto_reconnect_enabled = False
            await self._socket.disconnect_async()
        await self.handlers.drain(DRAIN_SECONDS)
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner, self._site = None, None
        await self._close_session()

    # --- Poster -------------------------------------------------------------------------------

    async def post(self, channel_id: str, reply: Reply) -> None:
        """An unprompted post (the daily takeaway); DeliveryError says whether to retry."""
        await self.delivery.raw(
            "chat.postMessage",
            channel=channel_id,
            unfurl_links=False,
            unfurl_media=False,
            **render(reply),
        )

    # --- internals ----------------------------------------------------------------------------

    async def _events(self, request: web.Request) -> web.StreamResponse:
        if self._stopping:
            return web.Response(status=503, text="shutting down")
        response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _check_token(self) -> None:
        """A rejected bot token stops start-up with one line; an unreachable Slack does not
        (slack-bolt retries authorization on the first event)."""
        try:
            resp = await self.client.auth_test()
        except SlackApiError as err:
            code = err.response.get("error")
            if code in REJECTED:
                await self._close_session()
                raise ConfigError(f"SLACK_BOT_TOKEN: Slack refused it ({code})") from None
            log.warning("slack auth.test failed at start-up: %s", code)
            return
        except NETWORK_ERRORS as err:
            log.warning("slack API unreachable at start-up: %s", type(err).__name__)
            return
        self.bot_user_id = resp.get("user_id")

    async def _close_session(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            self.client.session = None


def create_service(
    settings: Settings, bot_app: BotApp, *, seen: SharedSeenIds | None = None
) -> SlackService:
    """The Slack service for `kubecon-bot run`: call only when settings.slack_enabled. `seen`:
    event ids shared with the other replicas (bot.seen), else de-duplication per process."""
    return SlackService(settings, bot_app, seen=seen)
