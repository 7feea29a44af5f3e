"""`kubecon-bot run` against a platform that cannot be reached: a bounded start, then one
line naming the platform and the reason, and exit 1 (so Docker / Kubernetes restart it with
back-off), never a traceback every few seconds."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import clean_env
from tests.e2e.running import _launch, free_port, running_bot, stop
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.slack.fakeslack import Failure, FakeSlack, form, post_signed, sign, slash_command

SLACK_TOKENS = {"SLACK_BOT_TOKEN": "xoxb-1-2-SECRET", "SLACK_APP_TOKEN": "xapp-1-SECRET"}
DISCORD_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GSECRET.fake-discord-bot-token-SECRET"


def closed_port() -> int:
    """A port on 127.0.0.1 that refuses connections: bound but never listening, held for the
    whole test so nothing else can take it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    closed_port.held.append(sock)  # type: ignore[attr-defined]
    return int(sock.getsockname()[1])


closed_port.held = []  # type: ignore[attr-defined]


def silent_port() -> int:
    """A port on 127.0.0.1 that accepts connections and never answers (a blackhole: a
    firewall that drops, a proxy that hangs), held for the whole test."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # the kernel completes each handshake; nobody ever reads or replies
    closed_port.held.append(sock)  # type: ignore[attr-defined]
    return int(sock.getsockname()[1])


def run(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=clean_env(
            HEALTH_PORT="0", HOST="127.0.0.1", DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}", **env
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return proc, time.monotonic() - started


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " ERROR " in line]


@pytest.mark.parametrize("mode", ["socket", "http"])
def test_slack_unreachable_at_start_exits_1_with_one_line(tmp_path: Path, mode: str) -> None:
    port = closed_port()
    env = {**SLACK_TOKENS, "SLACK_MODE": mode, "SLACK_API_URL": f"http://127.0.0.1:{port}/api/"}
    if mode == "http":
        env.update(SLACK_SIGNING_SECRET="s3cr3t", PORT=str(free_port()))
    proc, seconds = run(tmp_path, **env)
    assert proc.returncode == 1, proc.stderr
    [line] = error_lines(proc.stderr)
    assert "slack failed to start: Slack API" in line and f"127.0.0.1:{port}" in line, line
    assert "Traceback" not in proc.stderr
    assert "SECRET" not in proc.stderr
    assert seconds < 30  # the promised bound on a start that cannot succeed


def test_discord_unreachable_at_start_exits_1_with_one_line(tmp_path: Path) -> None:
    port = closed_port()
    proc, seconds = run(
        tmp_path,
        DISCORD_TOKEN=DISCORD_TOKEN,
        DISCORD_API_URL=f"http://127.0.0.1:{port}/api/v10",
        PYTHONWARNINGS="default",  # as a developer or a dev-mode image would see them
    )
    assert proc.returncode == 1, proc.stderr
    [line] = error_lines(proc.stderr)
    assert "discord failed to start: Discord API" in line and f"127.0.0.1:{port}" in line, line
    assert "Traceback" not in proc.stderr and "Unclosed" not in proc.stderr
    assert "audioop" not in proc.stderr and "voice will NOT be supported" not in proc.stderr
    assert "SECRET" not in proc.stderr
    assert seconds < 30


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_a_platform_api_that_never_answers_is_named_when_start_up_gives_up(
    tmp_path: Path, platform: str
) -> None:
    """An API that accepts the connection and never answers: the start gave up after 25 s
    saying "Discord gateway: not ready" (the gateway was never reached: the login hung) or
    "Slack start: not done", naming no URL. It names the step and the address it waited on."""
    port = silent_port()
    api = f"http://127.0.0.1:{port}/api/"
    if platform == "slack":
        env = {**SLACK_TOKENS, "SLACK_API_URL": api}
        waited = f"auth.test at {api}"
    else:
        env = {"DISCORD_TOKEN": DISCORD_TOKEN, "DISCORD_API_URL": f"{api}v10"}
        waited = f"logging in at {api}v10"
    proc, _ = run(tmp_path, **env)
    assert proc.returncode == 1, proc.stderr
    [line] = error_lines(proc.stderr)
    assert f"no answer within 25 s from {waited}" in line, line
    assert "Traceback" not in proc.stderr and "SECRET" not in proc.stderr


@pytest.mark.timeout(90)
async def test_slack_http_mode_answers_probes_while_slack_is_still_being_reached(
    tmp_path: Path,
) -> None:
    """HTTP mode serves /healthz on the Slack port. While the start still waits for Slack
    (here: auth.test failing with 503 for a few seconds), an orchestrator's liveness probe must
    get 200, or it kills a bot that was about to start; /readyz says 503 and so do events,
    until Slack has accepted the token. Then it answers as usual."""
    fake = await FakeSlack().start()
    outage = Failure(503, {"ok": False, "error": "service_unavailable"})
    failures = 4  # slack_sdk retries a 503 twice within each of the bot's start attempts
    fake.fail("auth.test", *[outage] * failures)
    port = free_port()
    env = clean_env(
        HOST="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_MODE="http",
        SLACK_API_URL=fake.api_url,
        PORT=str(port),
    )
    bot = await _launch(env, tmp_path)
    seen: list[tuple[int, int, int]] = []  # (/healthz, /readyz, an event) while starting
    try:
        async with aiohttp.ClientSession() as session:

            async def status(method: str, path: str, **kw) -> int:
                try:
                    async with session.request(method, f"http://127.0.0.1:{port}{path}", **kw) as r:
                        return r.status
                except aiohttp.ClientError:
                    return 0  # not listening (yet)

            command = form(slash_command("what about SBOMs?", fake.response_url("r1"), n=1))
            signed = {"Content-Type": "application/x-www-form-urlencoded"}
            while len(fake.sent("auth.test")) <= failures:  # until the token check succeeds
                assert bot.returncode is None, bot.log
                # /healthz first: once it answers, the port is listening for the other two
                # (an event sent first could find no listener and the probe after it one)
                alive = await status("GET", "/healthz")
                ready = await status("GET", "/readyz")
                event = await status(
                    "POST",
                    "/slack/events",
                    data=command,
                    headers={**signed, **sign(command, SIGNING_SECRET)},
                )
                sample = (alive, ready, event)
                if len(fake.sent("auth.test")) <= failures:  # still starting when it was taken
                    seen.append(sample)
                await asyncio.sleep(0.1)
            starting = [s for s in seen if s[0] == 200]
            assert starting, f"/healthz never answered while Slack was being reached: {seen}"
            assert all(ready == 503 and event == 503 for _, ready, event in starting), starting
            await bot.until_ready()
            # a command of its own: one taken by the loop above the instant the bot became
            # ready was answered in that ack, and Slack never sends a trigger_id twice. In a
            # channel of its own: the same question again in the loop's channel is answered
            # with a pointer to that answer ("I answered … a few minutes ago")
            asked = form(
                slash_command("what about SBOMs?", fake.response_url("r2"), channel="C0000TWO", n=2)
            )
            url = f"http://127.0.0.1:{port}/slack/events"
            assert (await post_signed(session, url, asked, SIGNING_SECRET))[0] == 200
            await fake.wait_for(lambda: bool(fake.responses("r2")))
            assert "SBOM" in str(fake.responses("r2")[0])
        assert await bot.stop() is not None
        assert bot.returncode == 0, bot.log
        assert "Traceback" not in bot.log
    finally:
        await bot.kill()
        await fake.stop()


@pytest.mark.timeout(90)
async def test_a_page_that_is_not_slacks_json_at_start_is_waited_out_like_an_outage(
    tmp_path: Path,
) -> None:
    """Something between the bot and Slack (a proxy, a captive portal) answers auth.test with
    a page: plain text, or JSON that does not parse. slack_sdk reads the plain text as a dict
    and raised AttributeError: `run` died with a traceback. It is a bad moment on the way to
    Slack, retried as an outage is, and the bot starts once Slack answers."""
    fake = await FakeSlack().start()
    fake.fail(
        "auth.test",
        Failure(200, "<html>proxy says hold on</html>", {"Content-Type": "text/plain"}),
        Failure(200, '{"ok": tr', {"Content-Type": "application/json"}),
    )
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_MODE": "http",
        "SLACK_API_URL": fake.api_url,
    }
    try:
        async with running_bot(settings, tmp_path) as bot:
            log = await stop(bot)
        assert "Traceback" not in log and "AttributeError" not in log, log[-3000:]
        assert log.count("slack start attempt") == 2
        assert "not Slack's JSON (HTTP 200, text/plain)" in log
    finally:
        await fake.stop()
