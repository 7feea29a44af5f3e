"""Sending to Slack: the Web API and response URLs, retried, and failures accounted for.

slack_sdk's retry handlers absorb 429s (honouring Retry-After), 5xx and dropped connections. What
still fails is raised as `DeliveryError`: the handlers hand it to the one error path
(`BotApp.failed`: logged, counted, apologised for), the scheduler retries or pauses.

Replies to response URLs are posted through the shared aiohttp session, and only a failed
attempt is handed to slack_sdk's retry handlers, the same ones the Web API client uses. slack_sdk's
`AsyncWebhookClient` does the same work with a client object per URL (its user agent and proxy
settings read again each time) and retry bookkeeping built before the first try: about 190 µs of
CPU per reply, a tenth of what a slash command costs in all (docs/architecture.md, "Dependencies").
Their bodies are encoded by orjson: an answer's blocks are ~3 KB of JSON, which the standard
library's encoder takes 11–14 µs to write and orjson 0.6 µs.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import orjson
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest as RetryRequest
from slack_sdk.http_retry.response import HttpResponse as RetryResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.core.services import DeliveryError

log = logging.getLogger("bot.slack")

GONE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "account_inactive", "team_not_found"}
)
# chat.postMessage's documented errors (answered with HTTP 200 and `ok: false`) that put the
# fault on Slack's side and in passing, so the same post may well go through later:
RETRYABLE = frozenset(
    {
        "ratelimited",  # "The request has been ratelimited" (Retry-After says when)
        "rate_limited",  # "Application has posted too many messages"
        "service_unavailable",  # "The service is temporarily unavailable"
        "internal_error",  # "likely due to a transient issue on our end"
        "fatal_error",  # "a catastrophic error": on Slack's side, not in what was sent
        "request_timeout",  # "the POST data was either missing or truncated" on the way
        "team_added_to_org",  # "intermittently unavailable until the transition is complete"
    }
)
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
RESPONSE_URL_TIMEOUT = aiohttp.ClientTimeout(total=10)
JSON_HEADERS = {"Content-Type": "application/json;charset=utf-8"}


def sdk_logger() -> logging.Logger:
    """The logger handed to slack_sdk's clients. slack_sdk builds a DEBUG line holding each
    request's whole body whenever that logger's *own* level is unset or DEBUG (it tests
    `logger.level`, not whether DEBUG is enabled): about 160 µs of CPU per reply for a line
    nobody sees (bench/slack_e2e.py). So its logger gets a level of its own, the one the
    process logs at now (or the one `bot.serve.logs.configure` gave it: with LOG_LEVEL=DEBUG,
    INFO unless LOG_MESSAGE_TEXT lets payloads into the log)."""
    sdk = logging.getLogger("bot.slack.sdk")
    sdk.setLevel(sdk.getEffectiveLevel())
    return sdk


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


class SlackSender:
    """Sends to Slack (replies, daily posts, deletes) through one Web API client and one
    shared HTTP session (for response URLs)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        # slack_sdk keeps each request's retry state apart (RetryState), so one set of
        # handlers serves every reply instead of three new objects per reply
        self._retry_handlers = retry_handlers()

    async def respond(self, response_url: str, payload: dict[str, Any]) -> None:
        """POST to an interaction's response_url; DeliveryError if it finally failed."""
        body = orjson.dumps(payload)
        state = RetryState()
        while True:
            response: RetryResponse | None = None
            error: Exception | None = None
            try:
                async with self.client.session.post(  # type: ignore[union-attr]
                    response_url, data=body, headers=JSON_HEADERS, timeout=RESPONSE_URL_TIMEOUT
                ) as resp:
                    data = await resp.read()  # read to the end: the connection is reused
                    if resp.status == 200:
                        return
                    status, headers = resp.status, dict(resp.headers)
                    text = data.decode("utf-8", errors="replace")
                    response = RetryResponse(status_code=status, headers=headers, data=data)
            except NETWORK_ERRORS as err:
                error = err
            if not await self._retry(state, response_url, payload, response, error):
                break
        if error is not None:
            reason = f"response_url unreachable: {type(error).__name__}: {error}"
            raise DeliveryError(reason, retryable=True, code="network") from error
        reason = f"response_url HTTP {status}: {text[:200]}"
        raise DeliveryError(reason, retryable=status >= 500, code=f"http_{status}")

    async def _retry(
        self,
        state: RetryState,
        url: str,
        payload: dict[str, Any],
        response: RetryResponse | None,
        error: Exception | None,
    ) -> bool:
        """Whether slack_sdk's handlers want another attempt; the one that does waits first
        (Retry-After for a 429, backoff otherwise)."""
        request = RetryRequest(method="POST", url=url, headers=JSON_HEADERS, body_params=payload)
        for handler in self._retry_handlers:
            if await handler.can_retry_async(
                state=state, request=request, response=response, error=error
            ):
                await handler.prepare_for_next_attempt_async(
                    state=state, request=request, response=response, error=error
                )
                return True
        return False

    async def raw(self, method: str, **kwargs: Any) -> dict[str, Any]:
        """A Web API call; DeliveryError (retryable / gone) once the retry handlers give up."""
        try:
            resp = await self.client.api_call(method, json=kwargs)
        except (SlackApiError, AttributeError) as err:
            answer = answered(err)
            if answer is None:
                raise
            raise answer from err
        except NETWORK_ERRORS as err:
            reason = f"network: {type(err).__name__}: {err}"
            raise DeliveryError(reason, retryable=True, code="network") from err
        return dict(resp.data) if isinstance(resp.data, dict) else {}


def answered(err: Exception) -> DeliveryError | None:
    """What a Web API call's exception says the answer was, when there was one: Slack's refusal
    (`delivery_error`), or a text/plain page from something between us and Slack, which
    slack_sdk keeps as a str and then reads as a dict (validate(): `data.get("ok")`, only for
    HTTP 200). None for any other exception, which is no answer at all."""
    if isinstance(err, SlackApiError):
        return delivery_error(err)
    if isinstance(err, AttributeError) and err.name == "get" and isinstance(err.obj, str):
        return not_json(200, "text/plain")
    return None


def delivery_error(err: SlackApiError) -> DeliveryError:
    """What a refused Web API call means for whoever sent it: gone, worth retrying, or neither.
    Slack answers its errors with JSON carrying `ok` and `error`; anything else (an HTML page,
    plain text, broken or empty JSON) came from something between us and Slack, a proxy or a
    load balancer having a bad moment (`not_json`)."""
    response = err.response
    if not isinstance(response, AsyncSlackResponse):
        # slack_sdk hands over aiohttp's own response when a body typed JSON does not parse
        return not_json(response.status, response.content_type)
    status, data = response.status_code, response.data
    if not (isinstance(data, dict) and "ok" in data):
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        return not_json(status, headers.get("content-type", "no content type").split(";")[0])
    code = data.get("error")
    reason = f"{code or 'error'} (HTTP {status})"
    label = code if isinstance(code, str) and code.isidentifier() else f"http_{status}"
    if code in GONE:
        return DeliveryError(reason, retryable=False, gone=True, code=label)
    retryable = status == 429 or status >= 500 or code in RETRYABLE
    return DeliveryError(reason, retryable=retryable, code=label)


def not_json(status: int, content_type: str) -> DeliveryError:
    """An answer that is not Slack's JSON. With HTTP 200 it is a proxy's page, not Slack's
    verdict on the post: retryable, like 429 and 5xx; another 4xx says the request was wrong."""
    reason = f"an answer that is not Slack's JSON (HTTP {status}, {content_type})"
    retryable = status in {200, 429} or status >= 500
    return DeliveryError(
        reason, retryable=retryable, code="not_json" if status == 200 else f"http_{status}"
    )
