"""`kubecon-bot run` with a stand-in platform, as a real process: `python fake_run.py STATE`.

The stand-in starts answering one question when it starts, takes a while to "post" the reply,
and on stop() waits for that reply, as a real adapter finishes its in-flight work. Every step is
appended to STATE so the test can see what happened before the process exited.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.config import load_settings
from bot.core.app import BotApp, Incoming
from bot.core.content import load_content
from bot.core.responder import Responder
from bot.serve import logs
from bot.serve.compose import standard_observers
from bot.serve.metrics import Metrics
from bot.serve.runner import Runner


class SlowPlatform:
    name = "slow-platform"

    def __init__(self, bot_app: BotApp, state: Path) -> None:
        self.bot_app = bot_app
        self.state = state
        self.inflight: set[asyncio.Task[None]] = set()
        self.ready = False
        self.stopping = asyncio.Event()

    def note(self, line: str) -> None:
        with self.state.open("a") as f:
            f.write(line + "\n")

    async def answer(self, text: str) -> None:
        reply = await self.bot_app.handle(Incoming(platform="fake", text=text, channel_id="C1"))
        # the platform call is slow: still under way when the shutdown begins, however late the
        # test's SIGTERM comes (a fixed 1.5 s let a busy machine post before the signal)
        await self.stopping.wait()
        await asyncio.sleep(0.5)
        self.note(f"posted Q{reply.number}")

    async def start(self) -> None:
        task = asyncio.get_running_loop().create_task(self.answer("what about SBOMs?"))
        self.inflight.add(task)
        self.ready = True
        self.note("started")

    async def stop(self) -> None:
        self.ready = False
        self.note("stopping")
        self.stopping.set()
        await asyncio.gather(*self.inflight)
        self.note("stopped")


def main() -> int:
    state = Path(sys.argv[1])
    settings = load_settings()
    logs.configure(settings.log_format, settings.log_level)
    bot_app = BotApp(Responder(load_content(settings.content_path)))
    metrics = Metrics(process=False)
    bot_app.observers.extend(standard_observers(settings, metrics))
    runner = Runner(settings, bot_app, [[SlowPlatform(bot_app, state)]], metrics)
    return asyncio.run(runner.run())


if __name__ == "__main__":
    raise SystemExit(main())
