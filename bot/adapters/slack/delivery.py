"""Sending to Slack: the Web API and response URLs, retried, and failures accounted for.

slack_sdk's retry handlers absorb 429s (honouring Retry-After), 5xx and dropped connections. What
still fails is logged with the channel and the reason (a user's reply is never silently lost)
or, for unprompted posts, raised as `DeliveryError` so the scheduler can retry or pause.
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

from bot.runtime import DeliveryError

log = logging.getLogger("bot.slack")

GONE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "account_inactive", "team_not_found"}
)
RETRYABLE = frozenset({"ratelimited", "rate_limited", "service_unavailable", "fatal_error"})
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


class Delivery:
    """Posts through one Web API client and one shared HTTP session (for response URLs)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def respond(self, response_url: str, payload: dict[str, Any], channel: str) -> bool:
        """POST to an interaction's response_url; False (and logged) if it finally failed."""
        hook = AsyncWebhookClient(
            response_url,
            session=self.client.session,
            timeout=10,
            logger=log,
            retry_handlers=retry_handlers(),
        )
        try:
            resp = await hook.send_dict(payload)
        except NETWORK_ERRORS as err:
            _failed(channel, f"response_url unreachable: {type(err).__name__}: {err}")
            return False
        if resp.status_code != 200:
            _failed(channel, f"response_url HTTP {resp.status_code}: {str(resp.body)[:200]}")
            return False
        return True

    async def call(self, method: str, channel: str, **kwargs: Any) -> dict[str, Any] | None:
        """A Web API call whose failure only needs logging; the response data, or None."""
        try:
            return await self.raw(method, channel=channel, **kwargs)
        except DeliveryError as err:
            _failed(channel, f"{method}: {err.reason}")
            return None

    async def raw(self, method: str, **kwargs: Any) -> dict[str, Any]:
        """A Web API call; DeliveryError (retryable / gone) once the retry handlers give up."""
        try:
            resp = await self.client.api_call(method, json=kwargs)
        except SlackApiError as err:
            raise delivery_error(err) from err
        except NETWORK_ERRORS as err:
            raise DeliveryError(f"network: {type(err).__name__}: {err}", retryable=True) from err
        return dict(resp.data) if isinstance(resp.data, dict) else {}


def delivery_error(err: SlackApiError) -> DeliveryError:
    status = err.response.status_code
    code = err.response.get("error") if isinstance(err.response.data, dict) else None
    reason = f"{code or 'error'} (HTTP {status})"
    if code in GONE:
        return DeliveryError(reason, retryable=False, gone=True)
    return DeliveryError(reason, retryable=status == 429 or status >= 500 or code in RETRYABLE)


def _failed(channel: str, reason: str) -> None:
    log.error("slack reply failed channel=%s reason=%s", channel, reason)
