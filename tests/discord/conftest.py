from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.discord.service import DiscordService, create_service
from bot.config import Settings
from bot.core.app import BotApp
from bot.core.content import load_content
from bot.core.dedup import SharedSeenIds
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.daily.subscriptions import Subscriptions
from bot.serve.metrics import Metrics
from bot.usage.log import UsageLog
from tests.discord.fakediscord import GUILD_ID, TOKEN, FakeDiscord

# discord.py waits this long after the last guild arrives before "ready" (2 s by default);
# the fake sends its one guild at once, so a short wait keeps every test 2 s shorter
GUILD_READY_TIMEOUT = 0.1


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    discord_ = await FakeDiscord().start()
    yield discord_
    await discord_.stop()
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway  # process-wide: put back


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(process=False)


@pytest.fixture
def store(tmp_path) -> AsyncIterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    yield s
    s.close()


@pytest.fixture
def bot_app(store: Store, metrics: Metrics) -> BotApp:
    """The front door with subscriptions and votes in a real SQLite database, and its reply
    failures counted in `metrics`."""
    return BotApp(
        Responder(load_content()),
        subscriptions=Subscriptions(store),
        usage=UsageLog(store.engine),
        count_failure=metrics.reply_failed,
    )


Connect = Callable[..., Awaitable[DiscordService]]


@pytest.fixture
async def connect(fake: FakeDiscord) -> AsyncIterator[Connect]:
    """Starts the real DiscordService for `bot_app`, connected to the fake through
    DISCORD_API_URL only (`seen`: the ids it shares with other sessions, as `run` gives it);
    stopped at the end of the test."""
    started: list[DiscordService] = []

    async def start(
        bot_app: BotApp, *, seen: SharedSeenIds | None = None, **more: object
    ) -> DiscordService:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_URL=fake.api_url,
            DISCORD_GUILD_ID=int(GUILD_ID),
            DISCORD_GUILD_READY_TIMEOUT=GUILD_READY_TIMEOUT,
            **more,  # further settings, by their variable names
        )
        svc = create_service(settings, bot_app, seen=seen)
        await svc.start()
        started.append(svc)
        return svc

    yield start
    for svc in started:
        await svc.stop()


@pytest.fixture
async def service(connect: Connect, bot_app: BotApp, store: Store) -> DiscordService:
    svc = await connect(bot_app)
    svc.store = store  # type: ignore[attr-defined]  # for assertions
    return svc
