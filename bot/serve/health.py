"""`/healthz`, `/readyz` and `/metrics` over HTTP, for Docker, Kubernetes and Prometheus.

Liveness only says the event loop answers: restarting a process because Slack is down would not
bring Slack back. Readiness means "can answer questions": content loaded, every service
connected, not shutting down. The database is not part of it: questions are answered from the
content alone, so a database blip must not take every replica out of the load balancer. It is
reported in the /readyz body and as `kubecon_bot_database_up`, for an alert.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `kubecon-bot healthcheck` imports this module and must start fast
    from aiohttp import web

    from bot.config import Settings
    from bot.core.app import BotApp
    from bot.core.platforms import Platforms
    from bot.core.services import Service
    from bot.serve.metrics import Metrics

log = logging.getLogger(__name__)

Check = Callable[[], bool | Awaitable[bool]]
CHECK_TIMEOUT_S = 3.0
# how long /readyz waits for a check before it reports the check's last result: well within
# Kubernetes' default probe timeout (1 s), which a database that hangs must not make it miss
CHECK_WAIT_S = 0.3
ENDPOINTS = ("/healthz", "/readyz", "/metrics")  # what `add_routes` serves, and all it serves


@dataclass
class Health:
    """What readiness is made of; the runner fills it in as it starts things."""

    bot_app: BotApp
    metrics: Metrics
    services: Sequence[Service] = ()
    checks: dict[str, Check] = field(default_factory=dict)  # reported, not required
    draining: bool = False
    _last: dict[str, bool] = field(default_factory=dict, init=False, repr=False)
    _running: dict[str, asyncio.Future[bool]] = field(default_factory=dict, init=False, repr=False)

    async def readiness(self) -> tuple[bool, dict[str, object]]:
        """(ready, the /readyz body). `checks` (the database) are in the body, not in `ready`."""
        report: dict[str, object] = {}
        content = self.bot_app.responder.content
        report["content"] = {"ok": True, "version": content.version}
        report["services"] = {s.name: bool(s.ready) for s in self.services}
        for name, check in self.checks.items():
            report[name] = await self._checked(name, check)
        report["draining"] = self.draining
        ok = not self.draining and all(report["services"].values())  # type: ignore[union-attr]
        return ok, report

    async def _checked(self, name: str, check: Check) -> bool:
        """The check's result if it comes within CHECK_WAIT_S, else its last one (False before
        the first): a database that hangs keeps its check running (up to CHECK_TIMEOUT_S),
        never the probe waiting. One run of a check at a time, however often /readyz is asked;
        each run records its result when it ends, whether a /readyz still waits for it or not."""
        running = self._running.get(name)
        if running is None or running.done():
            running = self._running[name] = asyncio.ensure_future(_run(name, check))
            running.add_done_callback(partial(self._ended, name))
        await asyncio.wait({running}, timeout=CHECK_WAIT_S)
        return self._last.get(name, False)

    def _ended(self, name: str, run: asyncio.Future[bool]) -> None:
        if not run.cancelled():  # cancelled: the loop is closing, nothing left to report
            self._last[name] = run.result()


async def _run(name: str, check: Check) -> bool:
    try:
        result = check()
        if inspect.isawaitable(result):
            result = await asyncio.wait_for(result, CHECK_TIMEOUT_S)
        return bool(result)
    except Exception as exc:  # reported in the body; the outage itself is logged where it bites
        log.debug("readiness check %s failed: %s", name, exc)
        return False


def add_routes(app: web.Application, health: Health) -> None:
    """Add the three endpoints to an aiohttp app (ours, or the Slack HTTP-mode server's)."""
    from aiohttp import web
    from prometheus_client import CONTENT_TYPE_LATEST

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_: web.Request) -> web.Response:
        ok, report = await health.readiness()
        return web.json_response({"ready": ok, **report}, status=200 if ok else 503)

    async def metrics(_: web.Request) -> web.Response:
        body = await asyncio.to_thread(health.metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    for path, handler in zip(ENDPOINTS, (healthz, readyz, metrics), strict=True):
        app.router.add_get(path, handler)


async def serve(health: Health, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Serve the endpoints on host:port (0: any free port); returns the runner and the port."""
    from aiohttp import web

    app = web.Application()
    add_routes(app, health)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, runner.addresses[0][1]


def port_for(settings: Settings, platforms: Platforms | None = None) -> int:
    """Where /healthz answers: the port of a platform's own HTTP server when one serves it
    (Slack HTTP mode: PORT), else HEALTH_PORT. `platforms`: default, the installed ones."""
    from bot.core.platforms import installed

    port = (installed() if platforms is None else platforms).web_port(settings)
    return settings.health_port if port is None else port


def _serving(settings: Settings) -> str | None:
    """The label of the enabled platform whose HTTP server serves the endpoints (Slack in HTTP
    mode), as `port_for` finds it; None: they are on HEALTH_PORT."""
    from bot.core.platforms import installed

    server = installed().web_server(settings)
    return server[0].label if server is not None else None


def _why_this_address(settings: Settings, probed_host: str) -> str:
    """Which settings gave the probed address, and why the other port was not it. The probe
    decides as `run` does, but from this command's environment: one without `run`'s Slack
    settings (SLACK_BOT_TOKEN missing from a shell) probes HEALTH_PORT while `run` serves on
    PORT, and the operator must be told which setting to look at."""
    host = (
        settings.host
        if settings.host == probed_host
        else f"{settings.host}, probed on {probed_host}"
    )
    serving = _serving(settings)
    if serving is not None:
        return (
            f"HOST ({host}) and PORT ({settings.port}), not HEALTH_PORT ({settings.health_port}): "
            f"{serving} serves the endpoints on its own HTTP server here"
        )
    if not settings.slack_enabled:
        why = "SLACK_BOT_TOKEN is not set here, so `run` would serve no Slack"
    else:
        why = "it runs in Socket Mode here"
    return (
        f"HOST ({host}) and HEALTH_PORT ({settings.health_port}), not PORT ({settings.port}): "
        f"PORT serves the endpoints only when Slack runs in HTTP mode, and {why}"
    )


class DatabaseProbe:
    """`SELECT 1` on the bot's database: the /readyz body's "database" (an awaitable check) and
    the `kubecon_bot_database_up` gauge (a Prometheus collector, read at each scrape)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        from bot.storage.database import database_url

        url = database_url(url)
        connect_args = {"connect_timeout": 3} if url.startswith("postgresql") else {}
        self.engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)

    def ping(self) -> bool:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def up(self) -> bool:
        try:
            return self.ping()
        except Exception:
            return False

    async def __call__(self) -> bool:
        return await asyncio.to_thread(self.ping)

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        yield GaugeMetricFamily(
            "kubecon_bot_database_up",
            "1 while the database answers SELECT 1, else 0 (readiness does not depend on it).",
            value=1.0 if self.up() else 0.0,
        )


def probe(settings: Settings, path: str = "/healthz", timeout: float = 3.0) -> tuple[bool, str]:
    """GET the endpoint of a running bot on this host: the container HEALTHCHECK."""
    import urllib.error
    import urllib.request

    from bot.config import in_url  # loaded already: `settings` is one

    host = settings.host
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":  # IPv6's every address, which asyncio binds for IPv6 alone
        host = "::1"
    port = port_for(settings)
    if port == 0:  # `run` binds a free port, which only its own log says
        return False, (
            "HEALTH_PORT=0: `kubecon-bot run` picks a free port, which this command cannot "
            "know; give both the same HEALTH_PORT (8080 by default)"
        )
    url = f"http://{in_url(host)}:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200, f"{url}: {resp.status}"
    except urllib.error.HTTPError as exc:  # it answered: not healthy (or not that endpoint)
        return False, f"{url}: {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError) as exc:
        # nothing answered: say where it looked and why it looked there
        reason = getattr(exc, "reason", exc)
        return False, (
            f"{url}: {reason}. The address is from {_why_this_address(settings, host)}. Is "
            "`kubecon-bot run` running on this host, with the same environment as this command "
            "(HOST, PORT, HEALTH_PORT and the Slack settings)?"
        )
