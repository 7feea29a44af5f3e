"""The container image, in the default deployment shape: built from the Dockerfile, run the way
deploy/kubernetes runs it (read-only root filesystem, its non-root user) in Slack Socket Mode
against the fake Slack on 127.0.0.1 (host network), answering a slash command over the socket,
reported healthy by Docker running the image's own HEALTHCHECK, and exiting 0 on `docker stop`.

Skipped, saying why, where there is no Docker daemon (CI need not have one). Where the base
image can neither be found locally nor pulled (no access to Docker Hub), the same Dockerfile is
built on a stand-in base made from Debian's packages (tests/e2e/standin_base.py); skipped only
if that cannot be built either. A failing build fails.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
import uuid

import pytest

from tests.conftest import ROOT
from tests.e2e.running import free_port
from tests.e2e.standin_base import UnavailableError, standin_base
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN
from tests.slack.fakeslack import FakeSlack, slash_command

TAG = "kubecon-bot:e2e-test"
READY_TIMEOUT_S = 90.0  # patience for the container to start, not a timing assertion


def _docker_sync(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _base_image() -> str:
    """The Dockerfile's default base: `ARG BASE=<image>`, which its stages are built FROM."""
    return next(
        line.split("=", 1)[1].strip()
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("ARG BASE=")
    )


@pytest.fixture(scope="module")
def image() -> str:
    """The image built from the repository's Dockerfile, or a skip saying what is missing."""
    if shutil.which("docker") is None:
        pytest.skip("no docker command: the image test needs a Docker daemon")
    info = _docker_sync("info", "--format", "{{.ServerVersion}}", timeout=30)
    if info.returncode != 0:
        detail = (info.stderr.strip().splitlines() or ["docker info failed"])[-1]
        pytest.skip(f"no Docker daemon: {detail}")
    base = _base_image()
    if _docker_sync("image", "inspect", base).returncode != 0:
        pulled = _docker_sync("pull", base, timeout=300)
        if pulled.returncode != 0:
            try:
                base = standin_base()
            except UnavailableError as why:
                pytest.skip(f"base image {base} cannot be pulled, and no stand-in: {why}")
    built = _docker_sync(
        "build", "--network", "host", "--build-arg", f"BASE={base}", "-t", TAG, str(ROOT),
        timeout=900,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return TAG


async def docker(*args: str, check: bool = True) -> str:
    """`docker ARGS` without blocking the event loop the fake Slack answers on: its output,
    stderr included (`docker logs` replays the container's stderr there)."""
    proc = await asyncio.create_subprocess_exec(
        "docker", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    if check:
        assert proc.returncode == 0, f"docker {' '.join(args)}: {out.decode()}"
    return out.decode().strip()


async def start_container(image: str, env: dict[str, str]) -> tuple[str, int]:
    """`docker run` with HEALTH_PORT on a free host port (host network), retried on a fresh
    one if another process took it first; returns the container's name and its port."""
    for _ in range(3):
        port, name = free_port(), f"kubecon-e2e-{uuid.uuid4().hex[:8]}"
        flags = [f"--env={k}={v}" for k, v in {**env, "HEALTH_PORT": str(port)}.items()]
        await docker(
            "run", "-d", "--name", name, "--network", "host", "--read-only", "--tmpfs", "/tmp",
            "--health-interval", "1s", "--health-start-period", "30s", *flags, image,
        )  # fmt: skip
        try:
            healthy = await until_healthy(name)
        except BaseException:
            await docker("rm", "-f", name, check=False)  # never leave a container behind
            raise
        if healthy:
            return name, port
        logs = await docker("logs", name, check=False)
        await docker("rm", "-f", name, check=False)
        assert "address already in use" in logs.lower(), logs[-3000:]
    raise AssertionError("no free port for HEALTH_PORT in 3 attempts")


async def until_healthy(name: str) -> bool:
    """True once Docker reports the image's HEALTHCHECK healthy; False if the container
    exited; AssertionError with its log if neither happens in time."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        state = json.loads(await docker("inspect", "--format", "{{json .State}}", name))
        if not state["Running"]:
            return False
        if state.get("Health", {}).get("Status") == "healthy":
            return True
        await asyncio.sleep(0.2)
    logs = await docker("logs", name, check=False)
    raise AssertionError(f"container not healthy within {READY_TIMEOUT_S:g} s:\n{logs[-3000:]}")


@pytest.mark.timeout(900)
async def test_image_runs_socket_mode_healthy_and_stops_cleanly(image: str) -> None:
    fake = await FakeSlack().start()
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": fake.api_url,
        "HOST": "127.0.0.1",
    }
    name = ""
    try:
        name, port = await start_container(image, env)
        assert await docker("exec", name, "id", "-u") == "10001"
        assert await docker("exec", name, "kubecon-bot", "healthcheck") == (
            f"http://127.0.0.1:{port}/healthz: 200"
        )

        await fake.send_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": slash_command("what about SBOMs?", fake.response_url("q")),
            }
        )
        await fake.wait_for(lambda: bool(fake.acks and fake.responses("q")))
        assert "Antithesis" in json.dumps(fake.responses("q")[0]["blocks"])

        await docker("stop", "--time", "10", name)
        assert await docker("inspect", "--format", "{{.State.ExitCode}}", name) == "0"
        logs = await docker("logs", name)
        records = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
        assert records and not [r for r in records if r["level"] in ("ERROR", "CRITICAL")]
        assert BOT_TOKEN not in logs and APP_TOKEN not in logs
    finally:
        if name:
            await docker("rm", "-f", name, check=False)
        await fake.stop()
