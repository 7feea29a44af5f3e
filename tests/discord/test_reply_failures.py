"""The one error path, through the real discord.py client: a core that raises, a reply Discord
refuses, and who may manage a channel's subscription."""

from __future__ import annotations

import logging

from bot.core.app import APOLOGY, BotApp
from bot.core.content import load_content
from bot.core.responder import Responder
from bot.serve.metrics import Metrics
from tests.discord.fakediscord import BOT_ID, CHANNEL_ID, MANAGE_CHANNELS, OTHER_ID, user
from tests.doubles import REFUSAL, DatabaseDown

MENTION = f"<@{BOT_ID}>"


def failed(metrics: Metrics, reason: str) -> float:
    value = metrics.registry.get_sample_value(
        "kubecon_bot_replies_failed_total", {"platform": "discord", "reason": reason}
    )
    return value or 0.0


def errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_slash_command_with_the_database_down_gets_a_private_apology(
    fake, connect, metrics, caplog
):
    bot_app = BotApp(
        Responder(load_content()), subscriptions=DatabaseDown(), count_failure=metrics.reply_failed
    )
    await connect(bot_app)
    caplog.set_level(logging.INFO)
    await fake.dispatch(
        "INTERACTION_CREATE",
        fake.interaction(fake.slash("subscribe"), permissions=1024 | MANAGE_CHANNELS),
    )
    await fake.wait_for(fake.callbacks)
    data = fake.callbacks()[0].json["data"]
    assert data["content"] == APOLOGY and data["flags"] & 64  # only the asker sees it
    [line] = errors(caplog)
    assert line.getMessage().startswith("reply failed platform=discord")
    assert f"channel={CHANNEL_ID}" in line.getMessage() and "reason=internal" in line.getMessage()
    assert "Traceback" not in caplog.text and "CommandInvokeError" not in caplog.text
    assert failed(metrics, "internal") == 1


async def test_a_mention_with_the_core_failing_gets_the_apology(fake, connect, metrics, caplog):
    bot_app = BotApp(
        Responder(load_content()), subscriptions=DatabaseDown(), count_failure=metrics.reply_failed
    )
    await connect(bot_app)
    caplog.set_level(logging.INFO)
    owner = user(OTHER_ID, "owner")  # may manage: the core is reached, and raises
    await fake.dispatch(
        "MESSAGE_CREATE", fake.message_create(f"{MENTION} subscribe 08:30", author=owner)
    )
    await fake.wait_for(fake.messages)
    assert fake.messages()[0].json["content"] == APOLOGY
    assert len(errors(caplog)) == 1 and "Traceback" not in caplog.text
    assert failed(metrics, "internal") == 1


async def test_a_refused_reply_is_counted_and_does_not_start_the_cooldown(
    fake, service, metrics, caplog
):
    caplog.set_level(logging.INFO)
    fake.fail_next.append((403, {"message": "Missing Permissions", "code": 50013}))
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} what about SBOMs?"))
    await fake.wait_for(lambda: failed(metrics, "http_403") == 1)
    [line] = errors(caplog)
    assert "reply failed platform=discord" in line.getMessage()
    # the answer was never shown: the next asker gets it, not "I answered … just above"
    await fake.dispatch(
        "MESSAGE_CREATE",
        fake.message_create(f"{MENTION} SBOMs?", author=user(OTHER_ID, "other")),
    )
    await fake.wait_for(lambda: len(fake.messages()) == 2)
    second = fake.messages()[1].json
    assert "answered" not in (second.get("content") or "")
    assert second["embeds"][0]["title"].startswith("Q5.")
    # and a delivered answer does hold the next repeat back
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} sbom please"))
    await fake.wait_for(lambda: len(fake.messages()) == 3)
    assert "answered" in fake.messages()[2].json["content"]


async def test_a_member_without_manage_channels_cannot_subscribe_by_mention(fake, service):
    await fake.dispatch("MESSAGE_CREATE", fake.message_create(f"{MENTION} subscribe 08:30"))
    await fake.wait_for(fake.messages)
    assert fake.messages()[0].json["content"] == REFUSAL
    assert service.store.subscriptions() == []
    # the guild's owner may: the refusal is about the permission, not about mentions
    owner = user(OTHER_ID, "owner")
    await fake.dispatch(
        "MESSAGE_CREATE", fake.message_create(f"{MENTION} subscribe 08:30", author=owner)
    )
    await fake.wait_for(lambda: len(fake.messages()) == 2)
    assert [s.channel_id for s in service.store.subscriptions()] == [CHANNEL_ID]


async def test_a_member_without_manage_channels_cannot_subscribe_by_slash_command(fake, service):
    await fake.dispatch(
        "INTERACTION_CREATE", fake.interaction(fake.slash("subscribe", time="08:30"))
    )
    await fake.wait_for(fake.callbacks)
    refused = fake.callbacks()[0].json["data"]
    assert refused["content"] == REFUSAL and refused["flags"] & 64
    assert service.store.subscriptions() == []
