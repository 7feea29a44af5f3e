"""`kubecon-bot run` against a platform that cannot be reached: a bounded start, then one
line naming the platform and the reason, and exit 1 (so Docker / Kubernetes restart it with
back-off), never a traceback every few seconds."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import clean_env

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
        env.update(SLACK_SIGNING_SECRET="s3cr3t", PORT=str(closed_port()))
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
