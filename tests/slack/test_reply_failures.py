"""The one error path, through the real slack-bolt app: a reply Slack will not take, a core
that raises, and who may manage a channel's subscription (SLACK_ADMIN_USER_IDS)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.core.app import APOLOGY, BotApp
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.daily.subscriptions import Subscriptions
from bot.serve.metrics import Metrics
from tests.doubles import REFUSAL, DatabaseDown
from tests.slack.conftest import command, post_signed
from tests.slack.fakeslack import BOT_USER_ID, Failure, FakeSlack, app_mention, slash_command


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(process=False)


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    yield s
    s.close()


def failed(metrics: Metrics, reason: str) -> float:
    value = metrics.registry.get_sample_value(
        "kubecon_bot_replies_failed_total", {"platform": "slack", "reason": reason}
    )
    return value or 0.0


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_reply_that_never_arrived_is_counted_and_does_not_start_the_cooldown(
    fake: FakeSlack, start_slack, http, *, content, metrics, caplog
):
    """A mention's answer goes by chat.postMessage (a slash command's rides in its ack)."""
    caplog.set_level(logging.INFO)
    service = await start_slack(
        bot_app=BotApp(Responder(content), count_failure=metrics.reply_failed)
    )
    fake.fail("chat.postMessage", *[Failure(500, "oops")] * 3)  # the first try and 2 retries

    async def mention(text: str, n: int, user: str) -> None:
        event = app_mention(
            f"<@{BOT_USER_ID}> {text}", event_id=f"Ev{n}", user=user, ts=f"1700000001.{n:06d}"
        )
        await post_signed(http, service, json.dumps(event), content_type="application/json")

    await mention("what about SBOMs?", 1, "U0000ASK")
    await fake.wait_for(lambda: fake.sent("chat.postEphemeral"))
    await service.handlers.drain(5)
    assert len(fake.sent("chat.postMessage")) == 3  # tried three times, never shown
    [apology] = fake.sent("chat.postEphemeral")
    assert apology["user"] == "U0000ASK" and apology["text"] == APOLOGY
    [line] = errors(caplog)
    assert line.startswith("reply failed platform=slack")
    assert "channel=C0000GEN" in line and "reason=http_500" in line
    assert failed(metrics, "http_500") == 1
    # the next person asking in the channel gets the answer, not "I answered … just above"
    await mention("SBOMs?", 2, "U0000TWO")
    await fake.wait_for(lambda: len(fake.sent("chat.postMessage")) == 4)
    answer = fake.sent("chat.postMessage")[-1]
    assert "just above" not in str(answer) and "SBOM" in str(answer)
    # a delivered answer does hold the next repeat back
    third = slash_command("sbom", fake.response_url("third"), user="U0000TRI", n=3)
    await command(http, service, third)
    await fake.wait_for(lambda: fake.responses("third"))
    assert "just above" in fake.responses("third")[0]["text"]


async def test_a_token_revoked_while_running_is_named_in_the_count_and_commands_still_answer(
    fake: FakeSlack, start_slack, http, *, content, metrics, caplog
):
    """An admin revokes the bot token (or uninstalls the app) while an HTTP-mode bot runs.
    What needs the token fails with Slack's own word for it, once, counted under that reason
    (KubeconBotRepliesFailing says it) with no traceback; what does not need it goes on: a
    slash command's answer rides in its acknowledgement, so the service stays ready."""
    caplog.set_level(logging.INFO)
    service = await start_slack(
        bot_app=BotApp(Responder(content), count_failure=metrics.reply_failed)
    )
    revoked = Failure(200, {"ok": False, "error": "token_revoked"})
    fake.fail("chat.postMessage", revoked)
    fake.fail("chat.postEphemeral", revoked)
    event = app_mention(f"<@{BOT_USER_ID}> what about SBOMs?", event_id="Ev1", user="U0000ASK")
    await post_signed(http, service, json.dumps(event), content_type="application/json")
    await fake.wait_for(lambda: fake.sent("chat.postEphemeral"))
    await service.handlers.drain(5)
    assert len(fake.sent("chat.postMessage")) == 1  # Slack's refusal is not worth a retry
    [line] = errors(caplog)
    assert "platform=slack" in line and "reason=token_revoked" in line
    assert failed(metrics, "token_revoked") == 1
    assert "Traceback" not in caplog.text

    answered = await command(http, service, slash_command("sbom", fake.response_url("cmd")))
    assert answered.status == 200 and b"SBOM" in answered.body
    assert service.ready


async def test_a_core_that_raises_gets_a_private_apology_one_line_and_a_count(
    fake: FakeSlack, start_slack, http, *, content, metrics, caplog
):
    caplog.set_level(logging.INFO)
    bot_app = BotApp(
        Responder(content), subscriptions=DatabaseDown(), count_failure=metrics.reply_failed
    )
    service = await start_slack(bot_app=bot_app)
    await command(http, service, slash_command("subscribe 08:30", fake.response_url("db")))
    await fake.wait_for(lambda: fake.responses("db"))
    [payload] = fake.responses("db")
    assert payload["response_type"] == "ephemeral" and payload["text"] == APOLOGY
    [line] = errors(caplog)
    assert "platform=slack" in line and "channel=C0000GEN" in line and "reason=internal" in line
    assert "Traceback" not in caplog.text
    assert failed(metrics, "internal") == 1


async def test_only_slack_admin_user_ids_may_manage_subscriptions(
    fake: FakeSlack, start_slack, http, content, sqlite_store
):
    bot_app = BotApp(Responder(content), subscriptions=Subscriptions(sqlite_store))
    service = await start_slack(bot_app=bot_app, SLACK_ADMIN_USER_IDS="U0ADMIN1")
    refused = slash_command("subscribe 08:30", fake.response_url("no"), user="U0000ASK")
    await command(http, service, refused)
    await fake.wait_for(lambda: fake.responses("no"))
    [payload] = fake.responses("no")
    assert payload["response_type"] == "ephemeral" and payload["text"] == REFUSAL
    assert sqlite_store.subscriptions() == []
    allowed = slash_command("subscribe 08:30", fake.response_url("yes"), user="U0ADMIN1", n=2)
    await command(http, service, allowed)
    await fake.wait_for(lambda: fake.responses("yes"))
    assert [s.channel_id for s in sqlite_store.subscriptions()] == ["C0000GEN"]
