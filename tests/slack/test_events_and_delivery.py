"""Mentions, request signatures, Slack's retries and failing Web API calls, over HTTP mode."""

from __future__ import annotations

import json
import logging
import time

import pytest

from bot.core.app import BotApp, notice
from bot.core.pacing import RateLimit
from bot.core.responder import Responder
from bot.core.services import DeliveryError, Poster, Service
from tests.faults.proxy import TcpProxy
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, command, post_signed
from tests.slack.fakeslack import (
    BOT_USER_ID,
    Failure,
    FakeSlack,
    app_mention,
    block_action,
    form,
    sign,
    slash_command,
)

JSON = "application/json"


async def test_mention_is_answered_in_a_thread_under_it(
    fake: FakeSlack, start_slack, http, content
):
    service = await start_slack()
    event = app_mention(f"<@{BOT_USER_ID}> what about SBOMs?", ts="1700000050.000200")
    resp = await post_signed(http, service, json.dumps(event), content_type=JSON)
    assert resp.status == 200
    await fake.wait_for(lambda: fake.sent("chat.postMessage"))
    [posted] = fake.sent("chat.postMessage")
    assert posted["channel"] == "C0000GEN"
    assert posted["thread_ts"] == "1700000050.000200"
    question = content.entry("supply-chain-security-gaps").question.replace("&", "&amp;")
    assert question in json.dumps(posted, ensure_ascii=False)
    assert posted["_auth"] == f"Bearer {BOT_TOKEN}"


async def test_private_replies_to_a_mention_go_only_to_the_asker(
    fake: FakeSlack, start_slack, http
):
    service = await start_slack()
    event = app_mention(f"<@{BOT_USER_ID}> best pizza in town?")
    await post_signed(http, service, json.dumps(event), content_type=JSON)
    await fake.wait_for(lambda: fake.sent("chat.postEphemeral"))
    [ephemeral] = fake.sent("chat.postEphemeral")
    assert ephemeral["user"] == "U0000ASK"
    assert not fake.sent("chat.postMessage")


async def test_a_repeated_mention_points_at_the_earlier_answer(fake: FakeSlack, start_slack, http):
    service = await start_slack()
    first = app_mention(f"<@{BOT_USER_ID}> what about SBOMs?", event_id="Ev1", ts="1700000060.1")
    again = app_mention(f"<@{BOT_USER_ID}> SBOMs?", event_id="Ev2", ts="1700000061.1", user="U0B")
    await post_signed(http, service, json.dumps(first), content_type=JSON)
    await fake.wait_for(lambda: fake.sent("chat.getPermalink"))
    await service.handlers.drain(5)  # the first answer is recorded as posted
    await post_signed(http, service, json.dumps(again), content_type=JSON)
    await fake.wait_for(lambda: len(fake.sent("chat.postMessage")) == 2)
    pointer = fake.sent("chat.postMessage")[1]
    assert "https://fake.slack.test/archives/C0000GEN/p" in json.dumps(pointer)
    assert "kubecon_remove" not in json.dumps(pointer)


async def test_slack_retries_of_an_event_never_produce_a_second_reply(
    fake: FakeSlack, start_slack, http
):
    service = await start_slack()
    body = json.dumps(app_mention(f"<@{BOT_USER_ID}> what about SBOMs?", event_id="EvRetry"))
    assert (await post_signed(http, service, body, content_type=JSON)).status == 200
    for n in (1, 2):
        retry = {"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}
        resp = await post_signed(http, service, body, content_type=JSON, headers=retry)
        assert resp.status == 200
    # a later, different event is answered: proof the retries were processed (and ignored)
    later = app_mention(f"<@{BOT_USER_ID}> takeaways", event_id="EvLater", ts="1700000099.1")
    await post_signed(http, service, json.dumps(later), content_type=JSON)
    await fake.wait_for(lambda: len(fake.sent("chat.postMessage")) >= 2)
    await service.handlers.drain(5)  # a retry taken for new would be in flight from its ack
    threads = [p["thread_ts"] for p in fake.sent("chat.postMessage")]
    assert sorted(threads) == ["1700000001.000100", "1700000099.1"]  # one reply each


async def test_unsigned_wrongly_signed_or_stale_requests_are_refused(
    fake: FakeSlack, start_slack, http
):
    service = await start_slack()
    body = form(slash_command("what about SBOMs?", fake.response_url("nope")))
    url = f"http://127.0.0.1:{service.port}/slack/events"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    async with http.post(url, data=body, headers=headers) as unsigned:
        assert unsigned.status == 401
    wrong = await post_signed(http, service, body, secret="not-the-secret")
    assert wrong.status == 401
    old = sign(body, SIGNING_SECRET, timestamp=int(time.time()) - 600)
    async with http.post(url, data=body, headers={**headers, **old}) as stale:
        assert stale.status == 401  # correctly signed, but five minutes old: a replay
    await command(http, service, slash_command("help", fake.response_url("ok"), n=5))
    await fake.wait_for(lambda: fake.responses("ok"))
    assert not fake.responses("nope")


# answered through the response_url: a subscription command waits on the database, so it is
# acknowledged first (a question's reply rides in the acknowledgement: test_slash_command.py)
THROUGH_RESPONSE_URL = "subscription"


async def test_rate_limited_reply_is_retried_and_delivered_once(fake: FakeSlack, start_slack, http):
    service = await start_slack()
    fake.fail("response_url", Failure(429, "rate_limited", {"Retry-After": "0"}))
    await command(http, service, slash_command(THROUGH_RESPONSE_URL, fake.response_url("rl")))
    await fake.wait_for(lambda: len(fake.responses("rl")) == 2)
    fake.fail(
        "chat.postMessage",
        Failure(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}),
    )
    event = app_mention(f"<@{BOT_USER_ID}> takeaways", event_id="Ev429")
    await post_signed(http, service, json.dumps(event), content_type=JSON)
    await fake.wait_for(lambda: len(fake.sent("chat.postMessage")) == 2)
    await fake.wait_for(lambda: fake.sent("chat.getPermalink"))  # the retry succeeded
    assert not fake.failures["response_url"] and not fake.failures["chat.postMessage"]


class DropsFirst(TcpProxy):
    """A proxy that closes the first `n` connections at once, as a load balancer restarting
    does, then forwards."""

    def __init__(self, target_host: str, target_port: int, n: int) -> None:
        super().__init__(target_host, target_port)
        self.left = n

    async def _accept(self, reader, writer) -> None:
        if self.left > 0:
            self.left -= 1
            writer.transport.abort()
            return
        await super()._accept(reader, writer)


async def test_a_dropped_connection_to_the_response_url_is_retried_and_delivered_once(
    fake: FakeSlack, start_slack, http
):
    service = await start_slack()
    host, port = fake.base.removeprefix("http://").split(":")
    proxy = await DropsFirst(host, int(port), n=1).start()
    try:
        url = fake.response_url("dropped").replace(f":{port}/", f":{proxy.port}/")
        await command(http, service, slash_command(THROUGH_RESPONSE_URL, url))
        await fake.wait_for(lambda: fake.responses("dropped"))
        await service.handlers.drain(5)
        [answer] = fake.responses("dropped")
        assert answer["response_type"] == "ephemeral" and "Daily takeaways" in answer["text"]
        assert proxy.left == 0  # the first attempt really was cut
    finally:
        await proxy.stop()


async def test_a_reply_that_finally_fails_is_logged_with_channel_and_reason(
    fake: FakeSlack, start_slack, http, caplog
):
    caplog.set_level(logging.INFO)
    service = await start_slack()
    fake.fail("response_url", Failure(404, "expired_url"))
    await command(http, service, slash_command(THROUGH_RESPONSE_URL, fake.response_url("gone")))
    fake.fail("chat.postMessage", Failure(200, {"ok": False, "error": "not_in_channel"}))
    event = app_mention(f"<@{BOT_USER_ID}> takeaways", event_id="EvGone")
    await post_signed(http, service, json.dumps(event), content_type=JSON)
    await fake.wait_for(lambda: fake.sent("chat.postMessage") and fake.responses("gone"))
    await service.handlers.drain(5)
    failures = [r.getMessage() for r in caplog.records if "reply failed" in r.getMessage()]
    assert any("channel=C0000GEN" in m and "expired_url" in m for m in failures)
    assert any("channel=C0000GEN" in m and "not_in_channel" in m for m in failures)
    assert BOT_TOKEN not in caplog.text and SIGNING_SECRET not in caplog.text


async def test_daily_post_goes_through_chat_post_message_and_errors_are_classified(
    fake: FakeSlack, start_slack, content
):
    from bot.core.replies import Kind, Link, Reply, Visibility

    service = await start_slack()
    assert isinstance(service, Service) and isinstance(service, Poster)
    daily = Reply(
        kind=Kind.DAILY,
        visibility=Visibility.CHANNEL,
        text="Takeaway of the day: AI & Kubernetes",
        title="Takeaway of the day",
        body=content.takeaways[0],
        links=(Link("Watch the recording", content.recording_url),),
        footer="KubeCon '25 Takeaways · Tom Fenton",
    )
    await service.post("C0DAILY1", daily)
    [posted] = fake.sent("chat.postMessage")
    assert posted["channel"] == "C0DAILY1"
    assert posted["text"] == "Takeaway of the day: AI &amp; Kubernetes"
    assert content.recording_url in json.dumps(posted["blocks"])

    for error, retryable, gone in [
        ({"ok": False, "error": "channel_not_found"}, False, True),
        ({"ok": False, "error": "is_archived"}, False, True),
        ({"ok": False, "error": "invalid_blocks"}, False, False),
    ]:
        fake.fail("chat.postMessage", Failure(200, error))
        try:
            await service.post("C0DAILY1", daily)
        except DeliveryError as err:
            assert (err.retryable, err.gone) == (retryable, gone), error
        else:
            raise AssertionError(f"{error} was not reported")
    fake.fail("chat.postMessage", *[Failure(503, "unavailable")] * 3)
    try:
        await service.post("C0DAILY1", daily)
    except DeliveryError as err:
        assert err.retryable and not err.gone
    else:
        raise AssertionError("a 503 was not reported")


async def test_stop_finishes_replies_in_flight(fake: FakeSlack, start_slack, http):
    service = await start_slack()
    fake.fail("response_url", Failure(429, "rate_limited", {"Retry-After": "0"}))
    await command(http, service, slash_command(THROUGH_RESPONSE_URL, fake.response_url("inflight")))
    await service.stop()
    assert not service.ready
    assert len(fake.responses("inflight")) == 2  # the retry went out before the session closed


async def test_picking_a_suggestion_under_a_mention_answers_in_that_thread(
    fake: FakeSlack, start_slack, http, content
):
    service = await start_slack()
    event = app_mention(f"<@{BOT_USER_ID}> ai operators", ts="1700000070.000300")
    await post_signed(http, service, json.dumps(event), content_type=JSON)
    await fake.wait_for(lambda: fake.sent("chat.postEphemeral"))
    [ephemeral] = fake.sent("chat.postEphemeral")
    assert ephemeral["thread_ts"] == "1700000070.000300"
    buttons = [
        el
        for block in ephemeral["blocks"]
        if block["type"] == "actions"
        for el in block["elements"]
        if el["action_id"].startswith("kubecon_choose")
    ]
    click = block_action(buttons[0]["action_id"], buttons[0]["value"], fake.response_url("pick"))
    await command(http, service, {"payload": json.dumps(click)})
    await fake.wait_for(lambda: fake.sent("chat.postMessage") and fake.responses("pick"))
    [answer] = fake.sent("chat.postMessage")
    assert answer["thread_ts"] == "1700000070.000300"
    assert "Asked by <@U0000ASK>" in json.dumps(answer)
    assert fake.responses("pick") == [{"delete_original": True}]


async def test_someone_asking_too_fast_is_told_privately(fake: FakeSlack, start_slack, http):
    service = await start_slack()
    for n in range(6):
        await command(http, service, slash_command("takeaways", fake.response_url(f"f{n}"), n=n))
    await fake.wait_for(lambda: len(fake.responses()) == 6)
    assert fake.responses("f5")[0]["response_type"] == "ephemeral"
    assert "wait" in fake.responses("f5")[0]["text"]


async def test_slack_url_verification_challenge_is_answered(start_slack, http):
    service = await start_slack()
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "x", "challenge": challenge, "type": "url_verification"})
    url = f"http://127.0.0.1:{service.port}/slack/events"
    headers = {"Content-Type": JSON, **sign(body, SIGNING_SECRET)}
    async with http.post(url, data=body, headers=headers) as resp:
        assert resp.status == 200
        assert (await resp.json())["challenge"] == challenge


async def test_a_failure_in_the_core_still_answers_the_asker_privately_and_is_logged(
    fake: FakeSlack, start_slack, http, content, caplog
):
    class BrokenRateLimit(RateLimit):
        def allow(self, platform: str, user: str) -> bool:
            raise RuntimeError("database is on fire")

    caplog.set_level(logging.ERROR)
    bot_app = BotApp(Responder(content), rate_limit=BrokenRateLimit())
    service = await start_slack(bot_app=bot_app)
    await command(http, service, slash_command("what about SBOMs?", fake.response_url("err")))
    await fake.wait_for(lambda: fake.responses("err"))
    [payload] = fake.responses("err")
    assert payload["response_type"] == "ephemeral"
    assert "went wrong" in payload["text"]
    assert "channel=C0000GEN" in caplog.text


async def test_unreachable_slack_is_a_retryable_delivery_error(fake: FakeSlack, start_slack):
    service = await start_slack()
    await fake.stop()  # Slack goes away after start-up
    reply = notice("Takeaway of the day")
    try:
        await service.post("C0DAILY1", reply)
    except DeliveryError as err:
        assert err.retryable and not err.gone
        assert err.reason.startswith("network") and err.code == "network"
    else:
        raise AssertionError("an unreachable Slack was not reported")


async def test_starting_a_running_service_again_is_refused_and_it_keeps_serving(
    fake: FakeSlack, start_slack, http
):
    """A second start would bind a second server and drop the first one's session unclosed;
    it is refused, and the running service goes on answering."""
    service = await start_slack()
    with pytest.raises(RuntimeError, match="already started"):
        await service.start()
    assert service.ready
    fields = slash_command("what about SBOMs?", fake.response_url("r1"))
    assert (await command(http, service, fields)).status == 200
    await fake.wait_for(lambda: bool(fake.responses("r1")))
