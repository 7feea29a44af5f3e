"""/healthz, /readyz and /metrics over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.core.app import BotApp, Incoming
from bot.serve.compose import standard_observers
from bot.serve.health import DatabaseProbe, Health, port_for, serve
from bot.serve.metrics import Metrics
from bot.serve.runner import Runner
from tests.conftest import clean_env, run_bot
from tests.waiting import eventually

from .conftest import FakeService, settings


async def get(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as resp,
    ):
        return resp.status, await resp.text()


@pytest.fixture
async def served(bot_app: BotApp, metrics: Metrics):  # type: ignore[no-untyped-def]
    service = FakeService("discord")
    health = Health(bot_app, metrics, [service])
    runner, port = await serve(health, "127.0.0.1", 0)
    yield health, service, port
    await runner.cleanup()


async def test_healthz_answers_while_not_ready(served) -> None:  # type: ignore[no-untyped-def]
    _, _, port = served
    assert await get(port, "/healthz") == (200, "ok\n")


async def test_readyz_flips_with_the_service_and_on_shutdown(served) -> None:  # type: ignore[no-untyped-def]
    health, service, port = served
    status, body = await get(port, "/readyz")
    assert status == 503
    assert '"discord": false' in body
    await service.start()
    status, body = await get(port, "/readyz")
    assert status == 200
    assert '"ready": true' in body
    assert health.bot_app.responder.content.version in body
    health.draining = True
    assert (await get(port, "/readyz"))[0] == 503


async def test_readyz_reports_the_database_without_requiring_it(
    bot_app: BotApp, metrics: Metrics, tmp_path: Path
) -> None:
    """Questions are answered from the content: a database that is away is reported (body,
    gauge), and the replica stays in the load balancer."""
    service = FakeService()
    await service.start()
    up = DatabaseProbe(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    down = DatabaseProbe(f"sqlite:///{tmp_path / 'no' / 'such.db'}")
    health = Health(bot_app, metrics, [service], {"database": up})
    runner, port = await serve(health, "127.0.0.1", 0)
    try:
        status, body = await get(port, "/readyz")
        assert status == 200 and '"database": true' in body
        health.checks["database"] = down
        status, body = await get(port, "/readyz")
        assert status == 200
        assert '"database": false' in body
    finally:
        await runner.cleanup()
    metrics.registry.register(down)  # what the composition root registers for the running bot
    assert "kubecon_bot_database_up 0.0" in metrics.exposition().decode()


@pytest.mark.skipif(
    not os.environ.get("KUBECON_TEST_POSTGRES_URL"), reason="KUBECON_TEST_POSTGRES_URL unset"
)
async def test_database_check_on_postgres() -> None:
    url = os.environ["KUBECON_TEST_POSTGRES_URL"]
    assert await DatabaseProbe(url)() is True  # type: ignore[misc]
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    assert await DatabaseProbe(plain)() is True  # type: ignore[misc]
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"postgresql://postgres@127.0.0.1:{s.getsockname()[1]}/test"
    with pytest.raises(Exception, match=r"refused|connect"):
        await DatabaseProbe(dead)()  # type: ignore[misc]


async def test_metrics_count_a_handled_message(bot_app: BotApp, metrics: Metrics) -> None:
    bot_app.observers.extend(standard_observers(settings(), metrics))
    metrics.content(bot_app.responder.content.version, len(bot_app.responder.content.entries))
    await bot_app.handle(Incoming(platform="slack", text="what about SBOMs?", channel_id="C1"))
    await bot_app.handle(
        Incoming(platform="slack", text="what's the weather in Paris", user_id="U")
    )
    await bot_app.handle(Incoming(platform="discord", text="list"))
    health = Health(bot_app, metrics)
    runner, port = await serve(health, "127.0.0.1", 0)
    try:
        status, text = await get(port, "/metrics")
    finally:
        await runner.cleanup()
    assert status == 200
    assert 'kubecon_bot_messages_total{outcome="answered",platform="slack"} 1.0' in text
    assert 'kubecon_bot_messages_total{outcome="declined",platform="slack"} 1.0' in text
    assert 'kubecon_bot_messages_total{outcome="intent",platform="discord"} 1.0' in text
    assert 'kubecon_bot_match_latency_seconds_count{platform="slack"} 2.0' in text
    version = bot_app.responder.content.version
    assert f'kubecon_bot_content_info{{entries="10",version="{version}"}} 1.0' in text


async def test_rate_limited_and_repeated_messages_have_their_own_outcomes(
    bot_app: BotApp, metrics: Metrics
) -> None:
    bot_app.observers.extend(standard_observers(settings(), metrics))
    for _ in range(6):  # default limit: 5 questions a minute
        reply = await bot_app.handle(Incoming(platform="slack", text="sbom", user_id="U1"))
    first = Incoming(platform="discord", text="what about SBOMs?", channel_id="C1")
    bot_app.posted(first, await bot_app.handle(first))
    await bot_app.handle(first)
    text = metrics.exposition().decode()
    assert reply.body and "wait a minute" in reply.body
    assert 'kubecon_bot_messages_total{outcome="limited",platform="slack"} 1.0' in text
    assert 'kubecon_bot_messages_total{outcome="repeat",platform="discord"} 1.0' in text


async def test_routes_join_the_slack_http_server_when_it_runs(
    bot_app: BotApp, metrics: Metrics
) -> None:
    class HttpPlatform(FakeService):
        """Like Slack in HTTP mode: serves its own aiohttp app, which health joins."""

        def __init__(self) -> None:
            super().__init__("slack")
            self.web_app = web.Application()
            self.port = 0
            self._runner: web.AppRunner | None = None

        async def start(self) -> None:
            self._runner = web.AppRunner(self.web_app)
            await self._runner.setup()
            await web.TCPSite(self._runner, "127.0.0.1", 0).start()
            self.port = self._runner.addresses[0][1]
            await super().start()

        async def stop(self) -> None:
            await super().stop()
            if self._runner:
                await self._runner.cleanup()

    platform = HttpPlatform()
    runner = Runner(settings(HEALTH_PORT=0), bot_app, [[platform]], metrics)
    task = asyncio.create_task(runner.run(install_signals=False))
    await eventually(lambda: platform.ready, "the platform to be ready")
    try:
        assert (await get(platform.port, "/readyz"))[0] == 200
        status, text = await get(platform.port, "/metrics")
        assert status == 200
        assert 'kubecon_bot_service_ready{service="slack"} 1.0' in text
    finally:
        runner.request_stop()
        await asyncio.wait_for(task, 10)


def test_health_port_is_the_slack_port_in_http_mode() -> None:
    http = settings(
        SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", SLACK_MODE="http", PORT=3111
    )
    socket_mode = settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", HEALTH_PORT=8181)
    assert port_for(http) == 3111
    assert port_for(socket_mode) == 8181
    assert port_for(settings(DISCORD_TOKEN="t", HEALTH_PORT=8282)) == 8282


async def test_healthcheck_command(bot_app: BotApp, metrics: Metrics, tmp_path: Path) -> None:
    runner, port = await serve(Health(bot_app, metrics), "127.0.0.1", 0)
    try:
        env = clean_env(HEALTH_PORT=str(port))
        ok = await asyncio.to_thread(run_bot, "healthcheck", cwd=tmp_path, env=env)
    finally:
        await runner.cleanup()
    down = await asyncio.to_thread(run_bot, "healthcheck", cwd=tmp_path, env=env)
    assert ok.returncode == 0, ok.stderr
    assert down.returncode == 1
    assert down.stderr.startswith(f"kubecon-bot healthcheck: http://127.0.0.1:{port}/healthz: ")
    assert f"HOST (127.0.0.1) and HEALTH_PORT ({port}), not PORT (3000)" in down.stderr
    assert "with the same environment" in down.stderr


async def test_healthcheck_path_is_one_of_the_bots_endpoints(
    bot_app: BotApp, metrics: Metrics, tmp_path: Path
) -> None:
    """`--path readyz` (no slash) was glued to the port ("8080readyz") and died with a
    traceback; a URL was probed as "127.0.0.1:8080http://…". The endpoint is named with or
    without its slash; anything else is refused with the endpoints there are."""
    runner, port = await serve(Health(bot_app, metrics), "127.0.0.1", 0)
    try:
        env = clean_env(HEALTH_PORT=str(port))
        ready = await asyncio.to_thread(
            run_bot, "healthcheck", "--path", "readyz", cwd=tmp_path, env=env
        )
        url = await asyncio.to_thread(
            run_bot, "healthcheck", "--path", "http://example.com/", cwd=tmp_path, env=env
        )
    finally:
        await runner.cleanup()
    assert ready.returncode == 0, ready.stderr
    assert ready.stdout.strip() == f"http://127.0.0.1:{port}/readyz: 200"
    assert url.returncode == 2 and "Traceback" not in url.stderr
    assert "/healthz, /readyz, /metrics" in url.stderr


def test_healthcheck_puts_an_ipv6_host_in_brackets(tmp_path: Path) -> None:
    """HOST=::1 made the probe's URL "http://::1:8080/healthz", which names no port."""
    down = run_bot("healthcheck", cwd=tmp_path, env=clean_env(HOST="::1", HEALTH_PORT="9"))
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert "http://[::1]:9/healthz" in down.stderr, down.stderr


async def test_healthcheck_finds_a_bot_listening_on_every_ipv6_address(
    bot_app: BotApp, metrics: Metrics, tmp_path: Path
) -> None:
    """HOST=:: (every IPv6 address, as dual-stack clusters are configured) is bound for IPv6
    alone, and `healthcheck` probed 127.0.0.1: a healthy bot failed its container probe.
    It probes ::1."""
    try:
        runner, port = await serve(Health(bot_app, metrics), "::", 0)
    except OSError:
        pytest.skip("no IPv6 on this machine")
    try:
        env = clean_env(HOST="::", HEALTH_PORT=str(port))
        done = await asyncio.to_thread(run_bot, "healthcheck", cwd=tmp_path, env=env)
    finally:
        await runner.cleanup()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"http://[::1]:{port}/healthz: 200"


def test_healthcheck_with_health_port_zero_says_it_cannot_know_the_port(tmp_path: Path) -> None:
    """HEALTH_PORT=0 (a free port, as tests use) made healthcheck probe 127.0.0.1:0."""
    down = run_bot("healthcheck", cwd=tmp_path, env=clean_env(HEALTH_PORT="0"))
    assert down.returncode == 1 and "127.0.0.1:0" not in down.stderr
    assert "HEALTH_PORT=0: `kubecon-bot run` picks a free port" in down.stderr


async def test_readyz_answers_at_once_while_the_database_hangs(
    bot_app: BotApp, metrics: Metrics
) -> None:
    """A PostgreSQL that accepts connections and never answers (a network blackhole) made
    /readyz wait for its 3 s check: with Kubernetes' default probe timeout (1 s) every replica
    went unready in a database outage, which readiness is meant to ignore. /readyz waits
    briefly and otherwise reports the check's last result, the check finishing meanwhile."""
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(16)  # accepted by the kernel, never answered
    url = f"postgresql://postgres@127.0.0.1:{blackhole.getsockname()[1]}/test"
    service = FakeService()
    await service.start()
    health = Health(bot_app, metrics, [service], {"database": DatabaseProbe(url)})
    runner, port = await serve(health, "127.0.0.1", 0)
    try:
        kubelet = aiohttp.ClientTimeout(total=1)  # what a probe's default timeoutSeconds allows
        async with aiohttp.ClientSession(timeout=kubelet) as session:
            for _ in range(3):
                async with session.get(f"http://127.0.0.1:{port}/readyz") as resp:
                    assert resp.status == 200
                    assert '"database": false' in await resp.text()
    finally:
        await runner.cleanup()
        blackhole.close()


async def test_readyz_reports_a_database_that_went_away_while_its_checks_hang(
    bot_app: BotApp, metrics: Metrics, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that outlives /readyz's wait finishes later, and the next /readyz reports what
    it found: a database that answered once and then hung was reported up for the whole
    outage (each hung check's False was dropped when the next one started)."""
    import bot.serve.health as health_module

    monkeypatch.setattr(health_module, "CHECK_TIMEOUT_S", 0.5)
    answered = False

    async def database() -> bool:
        nonlocal answered
        if not answered:
            answered = True
            return True
        await asyncio.Event().wait()  # hangs until the check's timeout
        return True

    service = FakeService()
    await service.start()
    health = Health(bot_app, metrics, [service], {"database": database})
    assert (await health.readiness())[1]["database"] is True
    assert (await health.readiness())[1]["database"] is True  # hung: the last result, for now
    await asyncio.sleep(0.6)  # that check has timed out meanwhile
    assert (await health.readiness())[1]["database"] is False


def _closed_port() -> int:
    """A port nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SLACK_HTTP = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_MODE": "http"}


async def test_healthcheck_without_the_slack_token_says_why_it_did_not_probe_port(
    bot_app: BotApp, metrics: Metrics, tmp_path: Path
) -> None:
    """`SLACK_MODE=http PORT=39002 kubecon-bot healthcheck` (no SLACK_BOT_TOKEN) probed 8080 and
    named only HEALTH_PORT and HOST. Without the token `run` serves no Slack, so HEALTH_PORT is
    where it would be: the failure names every setting that decides the address, the URL, and
    why PORT was not it. With `run`'s whole environment it finds the bot on PORT."""
    runner, port = await serve(Health(bot_app, metrics), "127.0.0.1", 0)  # `run` on PORT
    health_port = _closed_port()
    try:
        partial = clean_env(SLACK_MODE="http", PORT=str(port), HEALTH_PORT=str(health_port))
        down = await asyncio.to_thread(run_bot, "healthcheck", cwd=tmp_path, env=partial)
        whole = clean_env(**SLACK_HTTP, PORT=str(port), HEALTH_PORT=str(health_port))
        up = await asyncio.to_thread(run_bot, "healthcheck", cwd=tmp_path, env=whole)
    finally:
        await runner.cleanup()
    assert down.returncode == 1 and "Traceback" not in down.stderr
    said = down.stderr
    assert said.startswith(f"kubecon-bot healthcheck: http://127.0.0.1:{health_port}/healthz: ")
    assert f"HOST (127.0.0.1) and HEALTH_PORT ({health_port}), not PORT ({port})" in said
    assert (
        "endpoints only when Slack runs in HTTP mode" in said
        and "SLACK_BOT_TOKEN is not set" in said
    )
    assert up.returncode == 0, up.stderr
    assert up.stdout.strip() == f"http://127.0.0.1:{port}/healthz: 200"


def test_healthcheck_in_slack_http_mode_says_it_probed_port(tmp_path: Path) -> None:
    port, health_port = _closed_port(), _closed_port()
    env = clean_env(**SLACK_HTTP, PORT=str(port), HEALTH_PORT=str(health_port), HOST="0.0.0.0")
    down = run_bot("healthcheck", cwd=tmp_path, env=env)
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert f"http://127.0.0.1:{port}/healthz: " in down.stderr
    assert f"HOST (0.0.0.0, probed on 127.0.0.1) and PORT ({port}), not HEALTH_PORT" in (
        down.stderr
    )
    assert "Slack serves the endpoints on its own HTTP server here" in down.stderr


def test_healthcheck_in_socket_mode_says_why_it_did_not_probe_port(tmp_path: Path) -> None:
    env = clean_env(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", HEALTH_PORT="9")
    down = run_bot("healthcheck", cwd=tmp_path, env=env)
    assert down.returncode == 1
    assert "HOST (127.0.0.1) and HEALTH_PORT (9), not PORT (3000)" in down.stderr
    assert "it runs in Socket Mode here" in down.stderr


def test_healthcheck_names_every_setting_it_cannot_use_on_a_line_of_its_own(
    tmp_path: Path,
) -> None:
    """Two bad settings: the second line had no "kubecon-bot healthcheck:" before it."""
    down = run_bot("healthcheck", cwd=tmp_path, env=clean_env(PORT="0", HEALTH_PORT="x"))
    lines = down.stderr.splitlines()
    assert down.returncode == 1 and len(lines) == 2, down.stderr
    assert all(line.startswith("kubecon-bot healthcheck: ") for line in lines), lines
