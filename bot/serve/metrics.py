"""Prometheus metrics: what an operator graphs and alerts on.

Each `Metrics` owns its own registry, so a test can build a fresh one and read exact counts;
`kubecon-bot run` builds one (bot.serve.runner.main) and hands it to what counts. Outcome labels
are a fixed, small set (never user text), so the number of series stays bounded whatever
people type.

Every series whose labels are known before anything happens is created at 0 (`expect`): a
counter's series appears only with its first event otherwise, and `rate()` or `increase()`
over a series that starts at 1 sees no increase: an alert on the first failure never fired.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.core.app import CORE_FAILURES
from bot.core.replies import Reply, message_outcomes
from bot.core.services import Service

NAMESPACE = "kubecon_bot"


class PostResult(StrEnum):
    """What became of a daily post attempt: the `result` of `daily_posts_total`, whose HELP
    text lists them from here (it lacked `failed` when it was written out by hand)."""

    SENT = "sent"
    RETRY = "retry"  # the platform may take it later (429, 5xx, network): the scheduler retries
    GONE = "gone"  # the channel or the bot's access to it is gone: the subscription is paused
    FAILED = "failed"  # refused for good for another reason
    ERROR = "error"  # not a delivery error: the bot failed


class ReloadResult(StrEnum):
    """What a content reload did: the `result` of `content_reloads_total`."""

    SWAPPED = "swapped"
    UNCHANGED = "unchanged"
    ERROR = "error"


def listed(values: Iterable[str]) -> str:
    """`(a, b, c)`, for a HELP text naming every value a label takes."""
    return f"({', '.join(values)})"


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None, *, process: bool = True) -> None:
        self.registry = registry or CollectorRegistry()
        self._per_message: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
        if process:
            # resident memory, CPU, open fds, Python version: the figures ops asks about first
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)
        self.messages = Counter(
            "messages",
            "Messages handled, by platform and outcome.",
            ["platform", "outcome"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.match_latency = Histogram(
            "match_latency_seconds",
            "Time from a message reaching the core to its reply being decided.",
            ["platform"],
            namespace=NAMESPACE,
            registry=self.registry,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
        )
        self.replies_failed = Counter(
            "replies_failed",
            "Replies that failed: not delivered after retries (reason: the platform's code), or "
            "an error in the bot (internal) or the database (database) before one was sent.",
            ["platform", "reason"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.daily_posts = Counter(
            "daily_posts",
            f"Daily takeaway post attempts, by platform and result {listed(PostResult)}.",
            ["platform", "result"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.content_info = Gauge(
            "content_info",
            "The content being served (value 1): its version hash and entry count.",
            ["version", "entries"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.content_reloads = Counter(
            "content_reloads",
            f"Content reload attempts, by result {listed(ReloadResult)}.",
            ["result"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        for result in ReloadResult:  # whatever runs: `run` always watches its content
            self.content_reloads.labels(result)

        self.usage_lost = Counter(
            "usage_records_lost",
            "Question records the usage journal could not save (database down, queue full).",
            namespace=NAMESPACE,
            registry=self.registry,
        )

    def expect(self, platforms: Iterable[str], posting: Iterable[str] = ()) -> None:
        """Create at 0 the series of what `platforms` will count: each message outcome, the
        failures the core itself reports, and each daily post result on the platforms this
        process posts through (`posting`). Values that exist only once they happen (a
        platform's delivery error code) are left to happen."""
        for platform in platforms:
            self.match_latency.labels(platform)
            for outcome in message_outcomes():
                self.messages.labels(platform, outcome)
            for reason in CORE_FAILURES:
                self.replies_failed.labels(platform, reason)
        for platform in posting:
            for result in PostResult:
                self.daily_posts.labels(platform, result)

    def observe(self, platform: str, reply: Reply, seconds: float) -> None:
        """Count one handled message. Every message passes here: the labelled series are
        looked up once per (platform, outcome), not on each message (`labels()` takes a lock
        and builds its key each time)."""
        key = (platform, reply.outcome)
        series = self._per_message.get(key)
        if series is None:
            series = self._per_message[key] = (
                self.messages.labels(platform, reply.outcome),
                self.match_latency.labels(platform),
            )
        counted, timed = series
        counted.inc()
        timed.observe(seconds)

    def reply_failed(self, platform: str, reason: str) -> None:
        """For adapters: a reply that finally could not be posted (`reason`: a short error code)."""
        self.replies_failed.labels(platform, reason).inc()

    def daily_post(self, platform: str, result: PostResult) -> None:
        self.daily_posts.labels(platform, result).inc()

    def content(self, version: str, entries: int) -> None:
        self.content_info.clear()
        self.content_info.labels(version, str(entries)).set(1)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class ServiceReadiness(Collector):
    """`kubecon_bot_service_ready{service}`: read from the services when scraped, so an alert
    can fire on a platform that stays disconnected. Registered by whoever runs the services."""

    def __init__(self, services: Sequence[Service]) -> None:
        self.services = services

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            f"{NAMESPACE}_service_ready",
            "1 while the service is connected and serving, else 0.",
            labels=["service"],
        )
        for service in self.services:
            family.add_metric([service.name], 1.0 if service.ready else 0.0)
        yield family
