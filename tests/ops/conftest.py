"""Fixtures for the operations tests: real processes, real sockets on 127.0.0.1, and small
Service implementations standing in for the Slack and Discord adapters."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.app import BotApp
from bot.core.content import DEFAULT_CONTENT_PATH, load_content
from bot.core.responder import Responder
from bot.serve.metrics import Metrics

REPO = Path(__file__).resolve().parents[2]


class FakeService:
    """A platform that connects when told to and is ready only once connected."""

    def __init__(
        self,
        name: str = "fake",
        *,
        fail: bool = False,
        hang_on_start: bool = False,
        hang_on_stop: bool = False,
    ):
        self.name = name
        self.fail = fail
        self.hang_on_start = hang_on_start
        self.hang_on_stop = hang_on_stop
        self.events: list[str] = []
        self._ready = False

    @property
    def ready(self) -> bool:
        return self._ready

    async def start(self) -> None:
        self.events.append("start")
        if self.fail:
            raise ConnectionError("gateway refused the connection")
        if self.hang_on_start:
            await asyncio.sleep(3600)  # a gateway that never says READY
        self._ready = True

    async def stop(self) -> None:
        self.events.append("stop")
        self._ready = False
        if self.hang_on_stop:
            await asyncio.sleep(3600)


def settings(**values: object) -> Settings:
    """Settings from these values only: not from this machine's environment or a .env file."""

    class Isolated(Settings):
        @classmethod
        def settings_customise_sources(cls, settings_cls, init_settings, *args, **kwargs):  # type: ignore[no-untyped-def]
            return (init_settings,)

    return Isolated(**values)  # type: ignore[arg-type]


@pytest.fixture
def content_file(tmp_path: Path) -> Path:
    path = tmp_path / "qa.yaml"
    path.write_text(DEFAULT_CONTENT_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def bot_app(content_file: Path) -> BotApp:
    return BotApp(Responder(load_content(content_file)))


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(process=False)
