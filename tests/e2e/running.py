"""Running `kubecon-bot run` as a real process for end-to-end tests.

Ports: the process binds HEALTH_PORT=0 itself and the test reads the bound port back from its
log (`health: /healthz /readyz /metrics on http://HOST:PORT`), so two tests can never race for a
port picked in advance. Slack HTTP mode serves the probes on PORT, which the Slack service does
not report back when bound to 0; there a free port is picked and, should another process take it
between the pick and the bind, the start is retried on a fresh one.

Every wait has a deadline and fails saying what it waited for, with the end of the bot's log.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

from tests.conftest import clean_env

START_TIMEOUT_S = 60.0  # patience for a start that takes ~1-3 s, not a timing assertion
STOP_TIMEOUT_S = 15.0  # the README promises an exit within 10 s of SIGTERM
PORT_ATTEMPTS = 3
# where the probes answer: our own health server, or the Slack HTTP-mode server it shares
PORT_LINES = (
    re.compile(r"health: /healthz /readyz /metrics on http://\S+?:(\d+)"),
    re.compile(r"slack adapter listening on http://\S+?:(\d+)/slack/events"),
)
IN_USE = re.compile(r"address already in use", re.IGNORECASE)


class StartError(AssertionError):
    """`kubecon-bot run` exited before it was ready."""

    def __init__(self, code: int, log: str) -> None:
        super().__init__(f"kubecon-bot run exited with {code} before it was ready:\n{log[-3000:]}")
        self.log = log


class Bot:
    """A running `kubecon-bot run`: its process, its environment, the port its probes answer on
    and everything it has logged so far (stderr is read as it comes, so the pipe never fills)."""

    def __init__(self, proc: asyncio.subprocess.Process, env: dict[str, str]) -> None:
        self.proc = proc
        self.env = env
        self.lines: list[str] = []
        self.port: int | None = None
        self._reader = asyncio.create_task(self._read())

    # the parts of asyncio.subprocess.Process tests use, so a Bot can stand in for one
    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode

    def send_signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    async def wait(self) -> int:
        return await self.proc.wait()

    @property
    def log(self) -> str:
        return "".join(self.lines)

    @property
    def url(self) -> str:
        assert self.port is not None, "not serving yet"
        return f"http://127.0.0.1:{self.port}"

    def same_env(self) -> dict[str, str]:
        """The process's environment with the port it really bound: for `kubecon-bot
        healthcheck` and other commands that must see what an operator's shell would."""
        return {**self.env, "HEALTH_PORT": str(self.port)}

    async def command(self, *args: str, cwd: Path) -> tuple[int, str]:
        """`kubecon-bot ARGS` as another real process in the same environment: (exit, output)."""
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            cwd=cwd,
            env=self.same_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), 30)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise AssertionError(f"kubecon-bot {' '.join(args)} did not finish in 30 s") from None
        return proc.returncode or 0, out.decode()

    async def stop(self) -> str:
        """SIGTERM, then everything the process logged; it must exit 0 in time."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            raise AssertionError(
                f"kubecon-bot run still running {STOP_TIMEOUT_S:g} s after SIGTERM:\n"
                + self.log[-3000:]
            ) from None
        await self._drained()
        assert self.proc.returncode == 0, f"exit {self.proc.returncode}:\n{self.log[-3000:]}"
        return self.log

    async def exited(self, timeout: float) -> str:
        """Wait for the process to end by itself (a signal sent earlier); all it logged."""
        await asyncio.wait_for(self.proc.wait(), timeout)
        await self._drained()
        return self.log

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        await self._drained()

    async def until_ready(self) -> None:
        """Until /readyz answers 200 on the port the process logged; StartError if it exits."""
        deadline = time.monotonic() + START_TIMEOUT_S
        timeout = aiohttp.ClientTimeout(total=3)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                if self.proc.returncode is not None:
                    await self._drained()
                    raise StartError(self.proc.returncode, self.log)
                if self.port is not None:
                    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                        async with session.get(f"{self.url}/readyz") as resp:
                            if resp.status == 200:
                                return
                if time.monotonic() > deadline:
                    where = f"/readyz on port {self.port}" if self.port else "its health port"
                    raise AssertionError(
                        f"kubecon-bot run: {where} not ready within {START_TIMEOUT_S:g} s:\n"
                        + self.log[-3000:]
                    )
                await asyncio.sleep(0.05)

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            line = raw.decode(errors="replace")
            self.lines.append(line)
            if self.port is None:
                self.port = _port_in(line)

    async def _drained(self) -> None:
        """Everything logged until the process closed stderr (EOF comes right after exit)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._reader), 5)


def _port_in(line: str) -> int | None:
    for pattern in PORT_LINES:
        if match := pattern.search(line):
            return int(match.group(1))
    return None


def free_port() -> int:
    """A port free a moment ago: only for PORT in Slack HTTP mode, where a collision is retried."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _launch(env: dict[str, str], cwd: Path) -> Bot:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,  # the bot logs to stderr; stdout is for commands
        stderr=asyncio.subprocess.PIPE,
        limit=2**20,  # a long JSON log line must not stop the reader
    )
    return Bot(proc, env)


@contextlib.asynccontextmanager
async def running_bot(settings: dict[str, str], cwd: Path) -> AsyncIterator[Bot]:
    """`kubecon-bot run` with only these settings (no bot variable inherited from this process),
    ready to answer; killed if the test leaves it running. Without HEALTH_PORT the process picks
    its own; in Slack HTTP mode without PORT a free one is picked, retried if taken. DATABASE_URL
    defaults to a SQLite file in `cwd`."""
    pick_port = settings.get("SLACK_MODE") == "http" and "PORT" not in settings
    for attempt in range(1, PORT_ATTEMPTS + 1):
        env = clean_env(
            HOST="127.0.0.1",
            HEALTH_PORT="0",
            DATABASE_URL=f"sqlite:///{cwd / 'bot.sqlite3'}",
        )
        env.update(settings)
        if pick_port:
            env["PORT"] = str(free_port())
        bot = await _launch(env, cwd)
        try:
            await bot.until_ready()
        except StartError as failed:
            await bot.kill()
            if pick_port and attempt < PORT_ATTEMPTS and IN_USE.search(failed.log):
                continue  # another process took the port between the pick and the bind
            raise
        except BaseException:
            await bot.kill()
            raise
        break
    try:
        yield bot
    finally:
        await bot.kill()


async def replicas(
    stack: contextlib.AsyncExitStack, settings: dict[str, str], where: Path, count: int = 2
) -> list[Bot]:
    """`count` runs with these settings started at the same instant, as replicas are, each
    in a directory of its own under `where` (a/, b/, …); `stack` kills whichever is left."""
    homes = [where / chr(ord("a") + i) for i in range(count)]
    for home in homes:
        home.mkdir()
    started = (stack.enter_async_context(running_bot(settings, home)) for home in homes)
    return list(await asyncio.gather(*started))


async def stop(bot: Bot) -> str:
    """SIGTERM, then what the process logged; it must exit 0 within 15 s."""
    return await bot.stop()
