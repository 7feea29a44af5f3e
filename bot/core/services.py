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


class StartError(Exception):
    """A service could not start for a reason the operator can act on, said in one line
    (which platform, what went wrong): the runner logs it without a traceback and exits 1."""


class StopIncompleteError(Exception):
    """A service stopped, but not everything it had accepted was done (replies acknowledged
    to the platform and cut by the drain's deadline): said in one line, and the runner's
    exit status is 1, not "stopped cleanly"."""


def reason_of(err: BaseException) -> str:
    """An error as one short line for the operator (no traceback, no repr noise)."""
    os_error = getattr(err, "os_error", None)  # aiohttp's ClientConnectorError
    if os_error is not None and getattr(err, "host", None):
        why = getattr(os_error, "strerror", None) or type(os_error).__name__
        return f"cannot connect to {err.host}:{err.port}: {why}"  # type: ignore[attr-defined]
    text = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


class DeliveryError(Exception):
    """Posting to a channel failed. `retryable`: try again later (429, 5xx, network);
    `gone`: the channel or the bot's access to it is gone (Forbidden, NotFound): stop trying.
    `code`: a short, bounded label for metrics ("http_500", "network", "channel_not_found"),
    where `reason` is the full text for the log."""

    def __init__(
        self, reason: str, *, retryable: bool, gone: bool = False, code: str = "error"
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.gone = gone
        self.code = code


@runtime_checkable
class Poster(Protocol):
    """A platform that can post a reply to a channel unprompted (daily takeaways)."""

    platform: str

    async def post(self, channel_id: str, reply: Reply) -> None:
        """Post `reply` in `channel_id`; raise DeliveryError when it could not be posted."""
