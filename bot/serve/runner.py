"""`kubecon-bot run`: every configured service (built by bot.serve.compose) in one asyncio event
loop, started and stopped in order, with health endpoints, content reload and signal handling.

Which platforms there are comes from the platform registry (bot.core.platforms): `main` masks
every platform's secrets, lists them all when none is configured, and hands the registry to the
composition root, which builds the service of each one the settings enable.

Shutdown: readiness drops at once; the platforms and the scheduler stop at the same moment,
each within its own budget (a slow daily post cannot eat a platform's time to deliver the
replies it acknowledged); the first stage (the usage journal they feed) stops only after them,
so the questions they answered while draining are flushed; then the health server closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.config import (
    ConfigError,
    DigestSettings,
    Settings,
    database_named,
    in_url,
    load_settings,
)
from bot.core.app import BotApp
from bot.core.content import Content, ContentError, load_content
from bot.core.platforms import PlatformError, Platforms, installed
from bot.core.services import Service, StartError, StopIncompleteError
from bot.daily.digest_schedule import DigestSettingsError, configured_digest
from bot.daily.subscriptions import ConfigSubscriptionError
from bot.serve import logs
from bot.serve.compose import compose
from bot.serve.health import Check, Health, add_routes, serve
from bot.serve.metrics import Metrics, ServiceReadiness
from bot.serve.reload import POLL_INTERVAL_S, ContentReloader
from bot.storage.database import DatabaseError, secrets_in
from bot.storage.runlock import one_run

log = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR = 0, 1
CONFIGURATION_ERROR = "kubecon-bot run: configuration error: "
# each service gets its own budget to stop: platforms and scheduler together, then the journal;
# 6 + 3 s keeps the whole shutdown within 10 s
SHUTDOWN_GRACE_S = 6.0
FLUSH_GRACE_S = 3.0


def nothing_configured(platforms: Platforms) -> str:
    """What `run` says with no platform enabled: what to set for each one it knows."""
    labels = [f"{p.label}:" for p in platforms.values()]
    width = max(map(len, labels), default=0) + 1
    lines = ["kubecon-bot run: nothing to run, no chat platform is configured."]
    for label, platform in zip(labels, platforms.values(), strict=True):
        first, *more = platform.how_to_enable.splitlines() or [""]
        lines.append(f"  {label:<{width}}{first}")
        lines += [f"  {'':<{width}}{line}" for line in more]
    lines.append("Set them in the environment or in a .env file (start from .env.example).")
    lines.append("To try the bot without any token: kubecon-bot chat")
    return "\n".join(lines)


class Runner:
    """Runs stages of services until SIGTERM/SIGINT; SIGHUP reloads the content."""

    def __init__(
        self,
        settings: Settings,
        bot_app: BotApp,
        stages: Sequence[Sequence[Service]],
        metrics: Metrics,
        *,
        reloader: ContentReloader | None = None,
        checks: dict[str, Check] | None = None,
        poll_interval: float = POLL_INTERVAL_S,
        grace: float = SHUTDOWN_GRACE_S,
    ) -> None:
        self.settings = settings
        self.bot_app = bot_app
        self.stages = [list(stage) for stage in stages]
        self.services = [s for stage in self.stages for s in stage]
        self.metrics = metrics
        metrics.registry.register(ServiceReadiness(self.services))
        self.reloader = reloader
        self.health = Health(bot_app, metrics, self.services, dict(checks or {}))
        self.poll_interval = poll_interval
        self.grace = grace
        self.port: int | None = None  # where the health endpoints answer, once serving
        self._stop = asyncio.Event()
        self._force = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._attempted: set[int] = set()  # ids of services whose start() was called

    # --- signals -------------------------------------------------------------------------------

    def request_stop(self, why: str = "stop requested") -> None:
        if self._stop.is_set():
            log.warning("%s again: giving up on a graceful shutdown", why)
            self._force.set()
            return
        log.info("%s: shutting down", why)
        self.health.draining = True
        self._stop.set()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _install_signals(self) -> list[int]:
        loop = asyncio.get_running_loop()
        installed = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.request_stop, sig.name)
            installed.append(sig)
        if self.reloader is not None and hasattr(signal, "SIGHUP"):
            reloader = self.reloader
            loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(reloader.reload()))
            installed.append(signal.SIGHUP)
        return installed

    # --- the run -------------------------------------------------------------------------------

    async def run(self, install_signals: bool = True) -> int:
        started_at = time.perf_counter()
        signals = self._install_signals() if install_signals else []
        web_runner = None
        try:
            shared = next((s for s in self.services if _web_app(s) is not None), None)
            if shared is not None:
                add_routes(_web_app(shared), self.health)  # type: ignore[arg-type]
                self.port = self.settings.port
                log.info("health: /healthz /readyz /metrics served by %s", shared.name)
            else:
                host, port = self.settings.host, self.settings.health_port
                try:
                    web_runner, self.port = await serve(self.health, host, port)
                except OSError as err:
                    log.error(
                        "cannot serve health endpoints on %s:%d (HOST, HEALTH_PORT): %s",
                        host,
                        port,
                        err.strerror or err,
                    )
                    return EXIT_ERROR
                log.info(
                    "health: /healthz /readyz /metrics on http://%s:%d",
                    in_url(self.settings.host),
                    self.port,
                    extra={"port": self.port},
                )
            code = EXIT_OK
            if await self._start():
                log.info(
                    "started %s in %.2f s",
                    ", ".join(s.name for s in self.services) or "nothing",
                    time.perf_counter() - started_at,
                )
                if self.reloader is not None and self.poll_interval > 0:
                    self._spawn(self.reloader.watch(self.poll_interval))
                with heap_settled():
                    await self._stop.wait()
            elif not self._stop.is_set():
                code = EXIT_ERROR
            self.health.draining = True
            if not await self._shutdown(failed=code != EXIT_OK):
                code = EXIT_ERROR
            return code
        finally:
            for task in list(self._tasks):
                task.cancel()
            if web_runner is not None:
                await web_runner.cleanup()
            loop = asyncio.get_running_loop()
            for sig in signals:
                loop.remove_signal_handler(sig)

    async def _start(self) -> bool:
        """Start stage by stage; False if a service failed or a stop came first."""
        for stage in self.stages:
            self._attempted.update(id(s) for s in stage)
            starting = asyncio.gather(*(s.start() for s in stage), return_exceptions=True)
            stopped = asyncio.ensure_future(self._stop.wait())
            done, _ = await asyncio.wait({starting, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if starting not in done:
                starting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await starting
                return False
            failed = False
            for service, result in zip(stage, starting.result(), strict=True):
                if isinstance(result, BaseException):
                    failed = True
                    # a reason the operator can act on is one line; anything else is a bug,
                    # and its traceback is what a bug report needs
                    expected = isinstance(result, StartError | ConfigError)
                    log.error(
                        "%s failed to start: %s",
                        service.name,
                        result,
                        exc_info=None if expected else result,
                        extra={"service": service.name},
                    )
            if failed:
                return False
        return True

    async def _shutdown(self, failed: bool = False) -> bool:
        """Stop every service that was started: all but the first stage at once, each within
        `grace`; then the first stage (what the others feed), each within FLUSH_GRACE_S. A
        service that does not stop in time is named and the exit status is 1. After a start
        that `failed`, "stopped cleanly" read as if all had gone well: said otherwise."""
        stages = [[s for s in stage if id(s) in self._attempted] for stage in self.stages]
        first, rest = (stages[0], stages[1:]) if stages else ([], [])
        later = [s for stage in reversed(rest) for s in stage]
        flush = min(self.grace, FLUSH_GRACE_S)
        forced = asyncio.ensure_future(self._force.wait())
        try:
            clean = await self._stop_each(later, self.grace, forced)
            clean = await self._stop_each(first, flush, forced) and clean
        finally:
            forced.cancel()
        if clean:
            log.info(
                "stopped what had started, after the failure above" if failed else "stopped cleanly"
            )
        return clean

    async def _stop_each(
        self, services: Sequence[Service], budget: float, forced: asyncio.Future[Any]
    ) -> bool:
        """Stop `services` in parallel, each given `budget` seconds of its own."""
        if not services or forced.done():
            return not services

        async def stop(service: Service) -> bool:
            try:
                await asyncio.wait_for(service.stop(), budget)
            except TimeoutError:
                log.error("not stopped in time: %s", service.name)
                return False
            except StopIncompleteError as err:  # stopped, having cut what it had accepted
                log.error("%s: %s", service.name, err)
                return False
            except Exception as err:
                log.error("%s failed to stop: %s", service.name, err, exc_info=err)
                return False
            return True

        stopping = asyncio.ensure_future(asyncio.gather(*(stop(s) for s in services)))
        await asyncio.wait({stopping, forced}, return_when=asyncio.FIRST_COMPLETED)
        if not stopping.done():
            stopping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await stopping
            log.error("not stopped: %s (second signal)", ", ".join(s.name for s in services))
            return False
        return all(stopping.result())


# young-generation collections every 20,000 new container objects instead of 700: answering a
# slash command allocates a few hundred, nearly all freed by reference counting before any
# collection could see them
YOUNG_THRESHOLD = 20_000


@contextlib.contextmanager
def heap_settled() -> Iterator[None]:
    """Keep the garbage collector off the reply path: freeze what start-up built, and collect
    young objects less often, while the bot serves.

    What exists once the services have started (imported modules, the content's index, clients,
    Alembic's migration machinery) lives as long as the process, yet CPython's full collections
    walk all of it: ~90 MB here (SQLAlchemy, Alembic, bolt, discord.py), ~64 ms of CPU per full
    collection, one every ~1,000 slash commands under load: ~45 µs per command, a quarter of what
    answering costs. `gc.freeze()` puts those objects in a generation no collection visits;
    collecting first keeps start-up's own garbage out of it. Frozen objects are still freed by
    reference counting when the last reference goes (the previous content after a reload:
    tests/ops/test_reload.py); only a reference cycle among them would stay.

    With the default threshold (700) the young collections then still cost 19–33 µs per
    command under load; at YOUNG_THRESHOLD, 2–4 µs (gc.callbacks timings, bench/RESULTS.md)."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:  # shutting down (or a test's runner ending): the process's defaults again
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _web_app(service: Service) -> Any:
    """The aiohttp application a service serves (Slack HTTP mode), to share its port."""
    from aiohttp import web

    app = getattr(service, "web_app", None)
    return app if isinstance(app, web.Application) else None


def say(text: str, fmt: str, level: int = logging.ERROR) -> None:
    """Everything `run` prints itself rather than logs (why it will not start): as it is in
    text, one JSON log line with LOG_FORMAT=json (bot.serve.logs.say)."""
    logs.say(text, fmt, logger=log.name, level=level)


def refuse(problem: object, fmt: str) -> int:
    """Say a configuration error and return `run`'s exit status. The prefix is on its first
    line: a problem said over several lines (a subscription entry, the fix to make) is one.
    Several refused DIGEST_* settings are several problems, a line each."""
    if isinstance(problem, DigestSettingsError):
        return refuse_settings(problem, fmt)
    say(f"{CONFIGURATION_ERROR}{problem}", fmt)
    return EXIT_ERROR


def _digest_problems() -> list[str]:
    """The DIGEST_* settings' problems, said beside the other settings' when those are refused:
    they are checked once the settings load, so a typo in them was told only on the start
    after every other one was fixed."""
    try:
        configured_digest(load_settings(DigestSettings))
    except DigestSettingsError as err:
        return err.problems
    except (ConfigError, ConfigSubscriptionError, PlatformError):
        return []  # the .env itself, or a broken plugin: said by what reads them next
    return []


def refuse_settings(err: ConfigError | DigestSettingsError, fmt: str) -> int:
    """The settings refused: one line per bad variable, each prefixed, all one message."""
    say("\n".join(f"{CONFIGURATION_ERROR}{line}" for line in str(err).splitlines()), fmt)
    return EXIT_ERROR


def main(content_path: Path | None = None) -> int:
    """The `kubecon-bot run` command."""
    fmt = logs.wanted_format()  # before the settings: their refusal is said in it too
    if fmt == "json":  # and what is logged while reading them (a .env line that is ignored)
        logs.configure(fmt, "WARNING")
    try:
        settings = load_settings()
    except ConfigError as err:
        return refuse_settings(ConfigError("\n".join([str(err), *_digest_problems()])), fmt)
    fmt = settings.log_format
    try:
        registry = installed()
    except PlatformError as err:  # an installed plugin that cannot be used
        say(f"kubecon-bot run: {err}", fmt)
        return EXIT_ERROR
    if not registry.enabled(settings):
        # what else is set wrong is said now too, not once the tokens are set (compose checks
        # the same when a platform is on)
        try:
            configured_digest(settings, registry)
        except ConfigSubscriptionError as err:
            refuse(err, fmt)
        say(nothing_configured(registry), fmt)
        return EXIT_ERROR
    try:
        secrets = [*registry.secrets(settings), *secrets_in(settings.database_url)]
        logs.configure(
            settings.log_format,
            settings.log_level,
            secrets=secrets,
            message_text=settings.log_message_text,
        )
    except ValueError:
        return refuse(
            f"LOG_LEVEL: unknown level {settings.log_level!r} (use DEBUG, INFO, WARNING or ERROR)",
            fmt,
        )

    path = content_path or settings.content_path
    try:
        named_by = "--content" if content_path else "CONTENT_PATH" if path else ""
        content = load_content(path, recording_url=settings.recording_url, named_by=named_by)
    except ContentError as err:
        log.error("cannot load content:\n%s", err)
        return EXIT_ERROR
    # which file and version it serves, said once at start as a reload says it: an operator
    # who mounted their own content sees whether it is the one in use
    log.info(
        "serving content version %s (%d entries)",
        content.version,
        len(content.entries),
        extra={"path": str(content.path)},
    )
    metrics = Metrics()
    metrics.content(content.version, len(content.entries))
    # held from before the database is first used until the process ends: bot.storage.runlock
    with one_run(settings.database_url):
        return _serve(settings, registry, content, path, metrics)


def _serve(
    settings: Settings, registry: Platforms, content: Content, path: Path | None, metrics: Metrics
) -> int:
    """Compose everything and run it until stopped: `main` once the settings, the logs and the
    content are in place."""
    try:
        assembly = compose(settings, registry, content, path, metrics)
    except ConfigSubscriptionError as err:  # SUBSCRIPTIONS_FILE, DAILY_SUBSCRIPTIONS, DIGEST_*
        return refuse(err, settings.log_format)
    except DatabaseError as err:
        return refuse(f"{database_named(settings)}: {err}", settings.log_format)
    runner = Runner(
        settings,
        assembly.bot_app,
        assembly.stages,
        metrics,
        reloader=assembly.reloader,
        checks=assembly.checks,
    )
    with asyncio.Runner(loop_factory=event_loop_factory()) as loop:
        return loop.run(runner.run())


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (Linux and macOS: a dependency there), else
    asyncio's own. The service spends most of its time in the loop's socket and callback
    machinery (aiohttp, bolt, discord.py): under a load of slash commands uvloop takes ~7 % off
    the CPU of each (bench/RESULTS.md), and every deployment shape runs on it in the end-to-end
    tests."""
    try:
        import uvloop
    except ImportError:  # Windows, or a platform without a wheel: asyncio's loop serves
        return None
    return uvloop.new_event_loop
