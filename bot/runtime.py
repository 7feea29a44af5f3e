"""Contracts between the process runner and what it runs (adapters, the daily scheduler).

They are Protocols so the runner never imports an adapter until it is configured, and so tests
can run any one piece alone.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.core.replies import Reply


@runtime_checkable
class Service(Protocol):
    """Something `kubecon-bot run` starts and stops: a platform connection, the scheduler."""

    name: str

    async def start(self) -> None:
        """Connect and begin serving; return once started (do not block until shutdown)."""

    async def stop(self) -> None:
        """Stop taking new events, finish in-flight replies, close connections."""

    @property
    def ready(self) -> bool:
        """Connected and able to serve (feeds /readyz)."""


class DeliveryError(Exception):
    """Posting to a channel failed. `retryable`: try again later (429, 5xx, network);
    `gone`: the channel or the bot's access to it is gone (Forbidden, NotFound): stop trying."""

    def __init__(self, reason: str, *, retryable: bool, gone: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.gone = gone


@runtime_checkable
class Poster(Protocol):
    """A platform that can post a reply to a channel unprompted (daily takeaways)."""

    platform: str

    async def post(self, channel_id: str, reply: Reply) -> None:
        """Post `reply` in `channel_id`; raise DeliveryError when it could not be posted."""
