"""Sending to Slack: the Web API and response URLs, retried, and failures accounted for.

slack_sdk's retry handlers absorb 429s (honouring Retry-After), 5xx and dropped connections. What
still fails is raised as `DeliveryError`: the handlers hand it to the one error path
(`BotApp.failed`: logged, counted, apologised for), the scheduler retries or pauses.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.core.services import DeliveryError

log = logging.getLogger("bot.slack")

GONE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "account_inactive", "team_not_found"}
)
RETRYABLE = frozenset({"ratelimited", "rate_limited", "service_unavailable", "fatal_error"})
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


def sdk_logger() -> logging.Logger:
    """The logger handed to slack_sdk's clients. slack_sdk builds a DEBUG line holding each
    request's whole body whenever that logger's *own* level is unset or DEBUG (it tests
    `logger.level`, not whether DEBUG is enabled): about 160 µs of CPU per reply for a line
    nobody sees (bench/slack_e2e.py). So its logger gets a level of its own, the one the
    process logs at now: DEBUG lines still appear when LOG_LEVEL=DEBUG."""
    sdk = logging.getLogger("bot.slack.sdk")
    sdk.setLevel(logging.getLogger("bot.slack").getEffectiveLevel())
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
        hook = AsyncWebhookClient(
            response_url,
            session=self.client.session,
            timeout=10,
            logger=self.client.logger,
            retry_handlers=self._retry_handlers,
        )
        try:
            resp = await hook.send_dict(payload)
        except NETWORK_ERRORS as err:
            reason = f"response_url unreachable: {type(err).__name__}: {err}"
            raise DeliveryError(reason, retryable=True, code="network") from err
        if resp.status_code != 200:
            status = resp.status_code
            reason = f"response_url HTTP {status}: {str(resp.body)[:200]}"
            raise DeliveryError(reason, retryable=status >= 500, code=f"http_{status}")

    async def raw(self, method: str, **kwargs: Any) -> dict[str, Any]:
        """A Web API call; DeliveryError (retryable / gone) once the retry handlers give up."""
        try:
            resp = await self.client.api_call(method, json=kwargs)
        except SlackApiError as err:
            raise delivery_error(err) from err
        except NETWORK_ERRORS as err:
            reason = f"network: {type(err).__name__}: {err}"
            raise DeliveryError(reason, retryable=True, code="network") from err
        return dict(resp.data) if isinstance(resp.data, dict) else {}


def delivery_error(err: SlackApiError) -> DeliveryError:
    status = err.response.status_code
    code = err.response.get("error") if isinstance(err.response.data, dict) else None
    reason = f"{code or 'error'} (HTTP {status})"
    label = code if isinstance(code, str) and code.isidentifier() else f"http_{status}"
    if code in GONE:
        return DeliveryError(reason, retryable=False, gone=True, code=label)
    retryable = status == 429 or status >= 500 or code in RETRYABLE
    return DeliveryError(reason, retryable=retryable, code=label)
