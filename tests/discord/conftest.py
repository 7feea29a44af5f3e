from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.discord.service import DiscordService, create_service
from bot.app import BotApp
from bot.config import Settings
from bot.core.content import load_content
from bot.core.responder import Responder
from bot.store import Store
from bot.subscriptions import Subscriptions
from bot.usage import UsageLog
from tests.discord.fakediscord import GUILD_ID, TOKEN, FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    discord_ = await FakeDiscord().start()
    yield discord_
    await discord_.stop()
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway  # process-wide: put back


@pytest.fixture
async def service(fake: FakeDiscord, tmp_path) -> AsyncIterator[DiscordService]:
    """The real DiscordService, connected to the fake through DISCORD_API_URL only, with
    subscriptions and votes in a real SQLite database."""
    store = Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        DISCORD_TOKEN=TOKEN,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GUILD_ID=int(GUILD_ID),
    )
    bot_app = BotApp(
        Responder(load_content()), subscriptions=Subscriptions(store), usage=UsageLog(store.engine)
    )
    svc = create_service(settings, bot_app)
    await svc.start()
    svc.store = store  # type: ignore[attr-defined]  # for assertions
    yield svc
    await svc.stop()
    store.close()
