"""Readiness follows the gateway: a dropped connection makes the service not ready until
discord.py has reconnected, and the reconnection is one log line, not a traceback."""

from __future__ import annotations

import asyncio
import logging
import time

from tests.discord.fakediscord import BOT_ID

MENTION = f"<@{BOT_ID}>"


async def until(predicate, timeout: float = 15.0) -> None:
    """Until `predicate()` holds; AssertionError after `timeout` (a deadline, not a timing
    assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("never happened")
        await asyncio.sleep(0.02)


async def test_readiness_drops_while_the_gateway_is_gone_and_returns_after_it(
    fake, service, caplog
):
    caplog.set_level(logging.INFO)
    assert service.ready
    await fake.drop()
    await until(lambda: not service.ready)
    await until(lambda: "Attempting a reconnect" in caplog.text)  # refused at least once
    assert not service.ready
    fake.restore()
    await until(lambda: service.ready)
    assert "discord gateway connection lost" in caplog.text
    [attempt] = [r for r in caplog.records if "Attempting a reconnect" in r.getMessage()][:1]
    assert attempt.exc_info is None and "503" in attempt.getMessage()
    assert "Traceback" not in caplog.text
    # and it answers again
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} sbom"))
    await fake.wait_for(fake.messages)


async def test_no_voice_warning_for_a_text_bot(fake, service, caplog):
    """discord.py warns at start that voice libraries (PyNaCl, davey) are missing: nothing an
    operator of a text-only bot can act on."""
    logged = caplog.get_records("setup") + caplog.get_records("call")
    assert service.ready
    assert not [r for r in logged if "voice" in r.getMessage()]


async def test_an_unreachable_gateway_at_start_is_one_line(fake, connect, bot_app):
    from bot.adapters.discord.service import DiscordStartError

    fake.down = True  # the REST API answers, the gateway refuses
    try:
        await connect(bot_app)
    except DiscordStartError as err:
        message = str(err)
    else:
        raise AssertionError("started without a gateway")
    assert message.startswith("Discord gateway ws://127.0.0.1:") and "\n" not in message
