"""The composition root: everything `kubecon-bot run` runs, built from the settings in one place.

The database is opened here, once (the health probe alone keeps an engine of its own, with a
3-second connect timeout for /readyz and each scrape); each repository, the front door, the
platforms and the scheduler get their collaborators through their constructors, so what a
`BotApp` holds never depends on which code ran last. Which platforms to serve comes from the
platform registry (bot.core.platforms); an adapter is imported only when its platform is
enabled: a Discord-only deployment never loads slack-bolt (and a broken optional dependency
cannot stop the other).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.app import BotApp, Incoming, Observer
from bot.core.content import Content
from bot.core.english import english_words
from bot.core.platforms import Platforms
from bot.core.replies import Reply
from bot.core.responder import Responder
from bot.core.services import DeliveryError, Poster, Service
from bot.serve import logs
from bot.serve.health import Check, DatabaseProbe
from bot.serve.metrics import Metrics, PostResult
from bot.serve.reload import ContentReloader

if TYPE_CHECKING:
    from bot.daily.digest_schedule import DigestTarget
    from bot.storage.database import Database

log = logging.getLogger(__name__)


class CountingPoster:
    """Counts daily posts sent and failed, whatever the scheduler does with the failure."""

    def __init__(self, poster: Poster, metrics: Metrics) -> None:
        self.platform = poster.platform
        self._poster = poster
        self._metrics = metrics

    async def post(self, channel_id: str, reply: Reply) -> None:
        try:
            await self._poster.post(channel_id, reply)
        except DeliveryError as err:
            self._metrics.daily_post(self.platform, _result(err))
            raise
        except Exception:
            self._metrics.daily_post(self.platform, PostResult.ERROR)
            raise
        self._metrics.daily_post(self.platform, PostResult.SENT)


def _result(err: DeliveryError) -> PostResult:
    """How a post the platform refused is counted: by what the scheduler does next."""
    if err.gone:
        return PostResult.GONE
    return PostResult.RETRY if err.retryable else PostResult.FAILED


def standard_observers(settings: Settings, metrics: Metrics) -> list[Observer]:
    """What watches every handled message: the metrics and the per-message log line."""

    def count(incoming: Incoming, reply: Reply, seconds: float) -> None:
        metrics.observe(incoming.platform, reply, seconds)

    return [count, logs.message_logger(settings.log_message_text)]


@dataclass(frozen=True)
class Assembly:
    """What the runner runs: the front door, the services in start stages (the usage journal,
    the platforms, then the scheduler; stopped in reverse), what /readyz reports besides them,
    and the content reloader."""

    bot_app: BotApp
    stages: list[list[Service]]
    checks: dict[str, Check]
    reloader: ContentReloader


def compose(
    settings: Settings,
    registry: Platforms,
    content: Content,
    path: Path | None,
    metrics: Metrics,
) -> Assembly:
    """Build everything from the settings, serving the platforms of `registry` they enable.
    Raises DatabaseError for a DATABASE_URL that can never work and ConfigSubscriptionError for
    bad SUBSCRIPTIONS_FILE / DAILY_SUBSCRIPTIONS / DIGEST_*; a database that is merely away is
    not an error (the bot answers without it, see `_prepare`)."""
    from bot.daily.digest_schedule import configured_digest
    from bot.daily.scheduler import Scheduler
    from bot.daily.store import Store
    from bot.daily.subscriptions import Subscriptions, configured
    from bot.storage.database import Database
    from bot.usage.corrections import Desk
    from bot.usage.digest import Digest
    from bot.usage.journal import Journal
    from bot.usage.log import UsageLog

    target = configured_digest(settings, registry)

    database = Database.connect(settings.database_url)  # checks the URL now, connects when used
    log.info("database: %s", database.where)
    store = Store(database)
    # answers carry 👍/👎; with RECORD_QUESTIONS=false no text is written or read (the digest)
    usage = UsageLog(database.engine, texts=settings.record_questions)
    journal = Journal(
        usage,
        keep_text=settings.record_questions,
        retention=dt.timedelta(days=settings.usage_retention_days),
        on_lost=metrics.usage_lost.inc,
        schema_ready=database.migrated.is_set,
        lasting=database.lasting,
    )
    english_words()  # read now, once: the first asker must not wait for it (bot.core.english)
    bot_app = BotApp(
        Responder(content),
        subscriptions=Subscriptions(store, platforms=registry),  # `subscribe` from chat
        usage=usage,
        # admins' corrections: prefilled from the journal's short memory, written beside votes
        corrections=Desk(usage, journal.followups),
        observers=[*standard_observers(settings, metrics), journal.observe],
        count_failure=metrics.reply_failed,
    )
    # each enabled platform's adapter is imported only now; `database` is what they may share
    enabled = registry.enabled(settings)
    platforms = [p.create_service(settings, bot_app, database=database) for p in enabled]
    posters = {
        s.platform: CountingPoster(s, metrics)  # type: ignore[attr-defined]
        for s in platforms
        if isinstance(s, Poster)
    }
    metrics.expect([p.name for p in enabled], posting=posters)  # their series at 0 from now
    entries = configured(settings.subscriptions_file, settings.daily_subscriptions, registry)
    elsewhere = sorted({platform for platform, _, _ in entries} - set(posters))
    if elsewhere:  # a split deployment posts them from its other process; none at all, never
        log.info(
            "configured daily subscriptions on %s are posted by a process that serves it, "
            "not this one",
            ", ".join(elsewhere),
        )
    if target is not None and target.platform not in posters:
        log.warning(
            "DIGEST_CHANNEL is on %s, which this process does not serve: another one must",
            target.platform,
        )

    def sync(now: dt.datetime) -> tuple[int, int]:
        store.sync_digest(target.as_entry() if target else None, now)
        return store.sync_config(entries, now)

    scheduler = Scheduler(
        store,
        posters,
        lambda: bot_app.responder.content,  # the content of the moment, after any reload
        invocations=registry.invocations(settings),
        prepare=_prepare(database, sync, target),
        # the editors' digest, built from the usage records with the responder of the moment
        digest=Digest(usage, lambda: bot_app.responder) if target else None,
    )
    database_up = DatabaseProbe(settings.database_url)
    metrics.registry.register(database_up)  # kubecon_bot_database_up
    return Assembly(
        bot_app=bot_app,
        stages=[[journal], platforms, [scheduler]],
        checks={"database": database_up},
        reloader=ContentReloader(bot_app, path, settings.recording_url, metrics),
    )


def _prepare(
    database: Database,
    sync: Callable[[dt.datetime], tuple[int, int]],
    digest: DigestTarget | None = None,
) -> Callable[[], None] | None:
    """Migrate and merge the configured subscriptions now if the database answers, so ready
    means migrated and votes work from the start; if it does not, return the step for the
    scheduler's loop to retry until it does: a database that is down does not stop the bot
    from starting and answering."""
    from bot.core.clock import utcnow
    from bot.storage.database import LastingDatabaseError, first_line

    def prepare() -> None:
        database.migrate()
        upserted, removed = sync(utcnow())
        # a removal is what a process started without the shared list does to everyone's:
        # worth a warning (docs/daily-takeaways.md)
        log.log(
            logging.WARNING if removed else logging.INFO,
            "configured daily subscriptions: %d listed, %d removed",
            upserted,
            removed,
        )
        log.info("editors' digest: %s", digest or "off (DIGEST_CHANNEL is unset)")

    def step() -> None:
        """`prepare`, its fault one no wait cures said as such: the scheduler says it once."""
        try:
            prepare()
        except Exception as err:
            lasting = database.lasting(err)
            if lasting is None or lasting is err:
                raise
            raise lasting from err

    try:
        step()
    except LastingDatabaseError:  # no wait will fix it: `run` stops, saying why
        raise
    except Exception as err:  # away: start anyway, the scheduler's loop retries
        log.error("%s; starting without the database, retrying in the background", first_line(err))
        return step
    return None
