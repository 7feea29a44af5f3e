"""Running `kubecon-bot run` as a real process for end-to-end tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp


@contextlib.asynccontextmanager
async def running_bot(
    settings: dict[str, str], cwd: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`kubecon-bot run` with only these platform settings (none inherited), ready on
    `settings["PORT"]` or `settings["HEALTH_PORT"]`; killed if the test leaves it running."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update({"HOST": "127.0.0.1", "DATABASE_URL": f"sqlite:///{cwd / 'bot.sqlite3'}"})
    env.update(settings)  # a test may give its own DATABASE_URL
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await _wait_ready(int(settings.get("PORT") or settings["HEALTH_PORT"]), proc)
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def stop(proc: asyncio.subprocess.Process) -> str:
    """SIGTERM, then what the process logged; it must exit 0 within 15 s."""
    proc.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(proc.communicate(), 15)
    log = stderr.decode()
    assert proc.returncode == 0, log[-2000:]
    return log


async def _wait_ready(port: int, proc: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if proc.returncode is not None:
                raise AssertionError(f"kubecon-bot run exited with {proc.returncode}")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"http://127.0.0.1:{port}/readyz") as resp:
                    if resp.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise AssertionError("never ready")
