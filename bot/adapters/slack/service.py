"""The Slack adapter as a `Service` (what `kubecon-bot run` starts) and a `Poster` (what the
daily scheduler posts through).

Socket Mode keeps one outbound websocket (no public URL); HTTP mode serves /slack/events and
checks each request's signature on the raw bytes before anything parses them (401 when missing,
wrong or older than 5 minutes, from the headers alone when they cannot verify; 400 when signed
but unparsable or not shaped as Slack's, or when the body never arrives whole; 413 over 1 MiB;
after a 401, 413 or unreadable body the connection is closed), so garbage from the internet
costs one debug line, not a traceback, and a body that never ends is not read on. Both share
one Web API client pointed at SLACK_API_URL when set.

Start-up is bounded: a few attempts to reach Slack, then a `StartError` line and exit 1. Once
started, slack_sdk reconnects a lost socket by itself (one log line per attempt); the service is
not ready meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.adapters.slack.delivery import (
    NETWORK_ERRORS,
    SlackSender,
    answered,
    retry_handlers,
    sdk_logger,
)
from bot.adapters.slack.handlers import SlackHandlers
from bot.adapters.slack.render import render
from bot.config import ConfigError, Settings, in_url
from bot.core.app import BotApp
from bot.core.dedup import SharedSeenIds
from bot.core.replies import Reply
from bot.core.services import DeliveryError, StartError, StopIncompleteError, reason_of

log = logging.getLogger("bot.slack")
socket_log = logging.getLogger("bot.slack.socket")

EVENTS_PATH = "/slack/events"
DEFAULT_API_URL = "https://slack.com/api/"
DRAIN_SECONDS = 5.0  # within the runner's per-service budget
START_TIMEOUT_S = 25.0  # the whole start, every attempt included, stays within 30 s
START_ATTEMPTS = 3
START_BACKOFF_S = (1.0, 2.0)  # between attempts to reach Slack
SOCKET_RETRY_S = 5.0  # slack_sdk's wait between websocket connection attempts
SIGNATURE_MAX_AGE_S = 60 * 5  # Slack's rule, and slack_sdk's SignatureVerifier's
WARN_REFUSED_EVERY = 600.0  # seconds: at most one warning about refused signatures in that time
REJECTED = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked"})


class _OneLine(logging.Filter):
    """slack_sdk's Socket Mode client logs every failed (re)connection attempt with a full
    traceback: keep its one line, which already names the error."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


class _NoTokenWarning(logging.Filter):
    """slack-bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that the
    client we hand it (which carries that very token) takes precedence: nothing an operator
    can act on. Only that message is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


if not any(isinstance(f, _OneLine) for f in socket_log.filters):
    socket_log.addFilter(_OneLine())
bolt_log = logging.getLogger("bot.slack.bolt")
if not any(isinstance(f, _NoTokenWarning) for f in bolt_log.filters):
    bolt_log.addFilter(_NoTokenWarning())


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
        self.api_url = api_url
        self.client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=api_url if api_url.endswith("/") else api_url + "/",
            timeout=10,
            retry_handlers=retry_handlers(),
            logger=sdk_logger(),
        )
        self.sender = SlackSender(self.client)
        secret = settings.slack_signing_secret
        self._verifier = SignatureVerifier(secret.get_secret_value()) if secret else None
        self._refused = 0  # requests signed as Slack's that did not verify, since the last warning
        self._warned_at: float | None = None
        self.bolt = AsyncApp(
            name="kubecon-bot",
            client=self.client,
            signing_secret=secret.get_secret_value() if secret else "",
            # HTTP mode: `_events` has verified the signature on the raw bytes already
            request_verification_enabled=False,
            logger=bolt_log,
            # bolt answers Slack when the listener returns, not from a loop that looks for
            # the ack every 10 ms: a slash command's reply rides in its ack (handlers.py), and
            # every other listener acks first and carries on in a task of its own
            process_before_response=True,
        )
        self.handlers = SlackHandlers(
            bot_app,
            self.sender,
            command=settings.slack_command,
            admin_user_ids=settings.slack_admin_ids,
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
        self._authenticated = False  # Slack accepted the bot token (auth.test) at start
        self._waiting_on = "Slack"  # the start-up step under way: named if it never ends
        self.bot_user_id: str | None = None

    # --- Service ------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        if self._stopping:
            return False
        if self.mode == "http":
            return self._site is not None and self._authenticated
        session = self._socket.client.current_session if self._socket else None
        return session is not None and not session.closed

    async def start(self) -> None:
        """Connect within START_TIMEOUT_S, or fail with one line (StartError/ConfigError)."""
        if self._session is not None:  # a second server and session would leak the first
            raise RuntimeError("SlackService.start: already started (stop it first)")
        self._stopping = False
        self._authenticated = False
        self._session = aiohttp.ClientSession()
        self.client.session = self._session
        try:
            await asyncio.wait_for(self._start(), START_TIMEOUT_S)
        except TimeoutError:
            await self._close()
            raise StartError(
                f"Slack start: no answer within {START_TIMEOUT_S:.0f} s from {self._waiting_on}"
            ) from None
        except BaseException:
            await self._close()
            raise

    async def _start(self) -> None:
        if self.web_app is not None:
            # listen first: /healthz shares this port, and an orchestrator's liveness probe
            # must be answered while Slack is still being reached (up to START_TIMEOUT_S);
            # /readyz, and events (503), wait for the token check below
            await self._listen()
        resp = await self._attempt("auth.test", "SLACK_BOT_TOKEN", self.client.auth_test)
        self.bot_user_id = resp.get("user_id")
        self._authenticated = True
        if self.web_app is not None:
            return
        assert self._app_token is not None  # Settings guarantees it in socket mode
        app_token = self._app_token.get_secret_value()
        self._socket = AsyncSocketModeHandler(
            self.bolt, app_token=app_token, logger=socket_log, ping_interval=SOCKET_RETRY_S
        )
        # slack_sdk retries a refused token or an unreachable Slack forever; ask ourselves,
        # a bounded number of times, and hand the websocket URL to the client
        opened = await self._attempt(
            "apps.connections.open",
            "SLACK_APP_TOKEN",
            lambda: self.client.apps_connections_open(app_token=app_token),
        )
        self._socket.client.wss_uri = opened.get("url")
        self._waiting_on = "the Socket Mode websocket apps.connections.open gave"
        await self._socket.connect_async()
        log.info("slack adapter connected in Socket Mode")

    async def _listen(self) -> None:
        assert self.web_app is not None
        self._runner = web.AppRunner(self.web_app, access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await self._site.start()
        except OSError as err:  # the port is taken, HOST is no address of this machine…
            where = f"{self.host}:{self.port} (HOST, PORT)"
            raise StartError(f"cannot listen on {where}: {err.strerror or err}") from None
        where = f"{in_url(self.host)}:{self.port}"
        log.info("slack adapter listening on http://%s%s", where, EVENTS_PATH)

    async def _attempt(
        self, method: str, variable: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
    ) -> AsyncSlackResponse:
        """`call`, tried START_ATTEMPTS times while Slack is unreachable or failing; a refused
        token is a ConfigError naming `variable` at once."""
        self._waiting_on = f"{method} at {self.api_url}"
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                return await call()
            except (SlackApiError, AttributeError) as err:
                answer = answered(err)  # Slack's refusal, or a proxy's page (not Slack's JSON)
                if answer is None:
                    raise
                if answer.code in REJECTED:
                    raise ConfigError(f"{variable}: Slack refused it ({answer.code})") from None
                reason = f"{method} answered {answer.reason}"
            except NETWORK_ERRORS as err:
                reason = f"{self.api_url} unreachable: {reason_of(err)}"
            if attempt == START_ATTEMPTS:
                raise StartError(f"Slack API {reason} ({START_ATTEMPTS} attempts)")
            delay = START_BACKOFF_S[min(attempt - 1, len(START_BACKOFF_S) - 1)]
            log.warning(
                "slack start attempt %d of %d failed, again in %.0f s: %s",
                attempt,
                START_ATTEMPTS,
                delay,
                reason,
            )
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    async def stop(self) -> None:
        """Refuse new events at once (HTTP: 503; Socket Mode: the socket is closed, so Slack
        redelivers unacknowledged envelopes to another connection), deliver every reply
        already acknowledged and every daily post under way, then close the connections."""
        self._stopping = True
        if self._socket is not None:
            self._socket.client.auto_reconnect_enabled = False
            self._socket.client.default_auto_reconnect_enabled = False
            await self._socket.disconnect_async()
        left = await self.handlers.drain(DRAIN_SECONDS)
        await self._close()
        if left:  # acknowledged, so the platform will not send them again: lost, and said
            raise StopIncompleteError(
                f"{left} repl{'y' if left == 1 else 'ies'} still in flight after "
                f"{DRAIN_SECONDS:g} s were cut"
            )

    async def _close(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner, self._site = None, None
        await self._close_session()

    # --- Poster -------------------------------------------------------------------------------

    async def post(self, channel_id: str, reply: Reply) -> None:
        """An unprompted post (the daily takeaway); DeliveryError says whether to retry.
        Tracked like a reply: a shutdown lets a post under way finish before closing, and
        refuses one asked for after it began (sent into a session about to close, it failed)."""
        if self._stopping:
            raise DeliveryError("shutting down", retryable=True, code="shutdown")
        with self.handlers.in_flight.track():
            await self.sender.raw(
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
        if not self._authenticated:  # listening while Slack is reached at start (`_start`)
            return web.Response(status=503, text="starting")
        headers = request.headers
        signature = self._signature(headers)
        if signature is None:  # refused before a byte of the body is read
            log.debug("slack request refused: missing or stale signature")
            return await _answer_and_close(request, 401, "invalid signature")
        raw = await self._body(request)
        if not isinstance(raw, bytes):
            return raw
        if not self._signed(raw, signature):
            if not self._warned_of_refusal():
                log.debug("slack request refused: wrong signature")
            return await _answer_and_close(request, 401, "invalid signature")
        try:
            bolt_request = AsyncBoltRequest(
                body=raw.decode("utf-8"),
                query=request.query_string,
                headers=headers,  # type: ignore[arg-type]
            )
        # parsing is all this block does: broken JSON, a payload= that is not JSON, JSON that
        # is not an object (bolt then trips on .get)
        except (ValueError, AttributeError, TypeError, KeyError) as err:
            log.debug("slack request refused: signed but unparsable (%s)", type(err).__name__)
            return web.Response(status=400, text="unparsable request")
        misshapen = _misshapen(bolt_request.body)
        if misshapen is not None:
            log.debug("slack request refused: signed but not shaped as Slack's (%s)", misshapen)
            return web.Response(status=400, text="unexpected request shape")
        response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    @staticmethod
    async def _body(request: web.Request) -> bytes | web.StreamResponse:
        """The raw body, or the answer already given (and one debug line) when the client
        never delivers one whole: anyone can hang up mid-body or send a body marked gzip that
        is not, and either made aiohttp log an ERROR with a traceback for a request nobody had
        even signed.

        These are what aiohttp's server raises from `read()` for what the client did:
        ConnectionResetError ("Connection lost", also its ClientConnectionResetError subclass)
        when the connection closes before the body ends, RequestPayloadError when the body
        cannot be decoded (Content-Encoding, chunked framing), and HTTPRequestEntityTooLarge
        past client_max_size (1 MiB; a body that never ends). ClientPayloadError and
        asyncio.IncompleteReadError belong to aiohttp's client and to readexactly(): a server's
        read() never raises them."""
        try:
            return await request.read()
        except ConnectionResetError:
            log.debug("slack request dropped: the client went away before its body ended")
            status, text = 400, "incomplete request"
        except web.RequestPayloadError as err:
            log.debug("slack request refused: unreadable body (%s)", " ".join(str(err).split()))
            status, text = 400, "unreadable request"
        except web.HTTPRequestEntityTooLarge:
            log.debug("slack request refused: body over %d bytes", request.client_max_size)
            status, text = 413, "request too large"
        return await _answer_and_close(request, status, text)

    def _warned_of_refusal(self) -> bool:
        """A request that carries Slack's signature headers with a current timestamp (what
        `_signature` lets through) and still does not verify is most likely Slack's own,
        signed with the app's secret, which SLACK_SIGNING_SECRET is not: every command then
        fails while the bot looks healthy, so it is a warning, not the debug line other
        garbage gets. At most one per WARN_REFUSED_EVERY seconds, counting the others: anyone
        can send such requests. Whether it warned."""
        now = time.time()
        self._refused += 1
        if self._warned_at is not None and now - self._warned_at < WARN_REFUSED_EVERY:
            return False
        log.warning(
            "slack: refused %d request(s) signed as Slack's that did not verify: is "
            "SLACK_SIGNING_SECRET the app's Signing Secret (Basic Information)?",
            self._refused,
        )
        self._refused, self._warned_at = 0, now
        return True

    def _signature(self, headers: Any) -> tuple[str, str] | None:
        """The request's (timestamp, signature) when they could verify, judged from the headers
        alone: None when either is missing, the timestamp is not a number (not Slack's) or older
        than 5 minutes (a replay), or there is no secret to check with. Such a request is
        refused before its body is read: a body that never ends would be read for nothing."""
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if self._verifier is None or not timestamp.isdigit() or not signature:
            return None
        if abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE_S:
            return None
        return timestamp, signature

    def _signed(self, raw: bytes, signature: tuple[str, str]) -> bool:
        """Slack's v0 signature (`_signature`'s timestamp and signature) over the raw body,
        checked before anything parses it. Slack sends UTF-8 only."""
        assert self._verifier is not None  # `_signature` found none without it
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        timestamp, signed = signature
        return self._verifier.is_valid(body=body, timestamp=timestamp, signature=signed)

    async def _close_session(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            self.client.session = None


def _misshapen(body: dict[str, Any]) -> str | None:
    """What in a signed, parsed body is not shaped as Slack documents it, or None. Only what
    bolt then reads without looking: it dispatches on `type`, and for an `event_callback` its
    middleware and matchers read `event` as an object and compare `event["type"]` (an `event`
    of 5 was a 500 and an ERROR line "'int' object has no attribute 'get'"; a `type` that is
    not text, bolt's 404 and a WARNING). Fields our listeners read are checked where they are
    read (a field of an unexpected type reads as empty text), so this stays small."""
    kind = body.get("type")
    if kind is not None and not isinstance(kind, str):
        return "type is not text"
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict):
            return "event_callback whose event is not an object"
        if not isinstance(event.get("type"), str):
            return "event without a type"
    return None


async def _answer_and_close(request: web.Request, status: int, text: str) -> web.StreamResponse:
    """Answer a request refused as a stranger's or whose body was not read to its end, then
    close the connection: aiohttp would otherwise go on reading that body for up to 10 s after
    the answer ("lingering"), for nothing (a body that never ends: a gigabyte a second over
    loopback), and log an ERROR with a traceback if what it then reads is broken. A client
    that is gone already gets nothing written, and nothing logged about it."""
    response = web.Response(status=status, text=text)
    response.force_close()  # says "Connection: close"
    with contextlib.suppress(ConnectionError):
        await response.prepare(request)
        await response.write_eof()
    request.protocol.force_close()  # after the answer: its transport sends what it holds first
    return response


def create_service(
    settings: Settings, bot_app: BotApp, *, seen: SharedSeenIds | None = None
) -> SlackService:
    """The Slack service for `kubecon-bot run`: call only when settings.slack_enabled. `seen`:
    event ids shared with the other replicas (bot.storage.seen), else de-duplication per process."""
    return SlackService(settings, bot_app, seen=seen)
