"""The seen_events table shared by every platform: each platform's ids are its own."""

from __future__ import annotations

import asyncio

from bot.daily.store import Store
from bot.storage.seen import SeenEvents, shared_seen_ids


def test_one_id_on_two_platforms_is_two_events(store: Store) -> None:
    """A Slack event id and a Discord snowflake live in one table, keyed by their platform:
    the same text on another platform is another event, a repeat on the same one is not."""
    slack = shared_seen_ids(store.database, "slack")
    discord = shared_seen_ids(store.database, "discord")
    again = shared_seen_ids(store.database, "discord")  # another replica, its own memory

    async def firsts() -> list[bool]:
        return [await s.first_time("1234") for s in (slack, discord, again)]

    assert asyncio.run(firsts()) == [True, True, False]
    assert not SeenEvents(store.engine).first_time("discord:1234", discord.clock())
