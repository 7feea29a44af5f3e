"""Every deployment shape users run, as the real `kubecon-bot run` process against fakes on
127.0.0.1, on SQLite and on PostgreSQL: Slack Socket Mode (the default), Slack HTTP mode, the
Discord gateway, and Slack and Discord in one process.

Each cell does what a user and an operator would: ask a question on every platform and read the
reply, probe /healthz /readyz /metrics, run `kubecon-bot healthcheck` (the image's HEALTHCHECK)
as another process in the same environment, send SIGTERM and expect exit 0, with no ERROR line
and no secret in the log; then `kubecon-bot report` finds the questions in the database.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from tests.discord.fakediscord import BOT_ID, TOKEN, FakeDiscord
from tests.e2e.running import Bot, running_bot
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.slack.fakeslack import FakeSlack, form, post_signed, slash_command


@dataclass
class Fakes:
    """The platforms a shape talks to, and the settings pointing the bot at them."""

    slack: FakeSlack | None = None
    discord: FakeDiscord | None = None
    settings: dict[str, str] = field(default_factory=dict)


SHAPES: dict[str, dict[str, str]] = {
    "slack-socket": {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN},
    "slack-http": {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_MODE": "http",
    },
    "discord": {"DISCORD_TOKEN": TOKEN},
    "slack-socket+discord": {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "DISCORD_TOKEN": TOKEN,
    },
}
SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, TOKEN)


@pytest.fixture
async def fakes(request: pytest.FixtureRequest) -> AsyncIterator[Fakes]:
    settings = dict(SHAPES[request.param])
    slack = await FakeSlack().start() if "SLACK_BOT_TOKEN" in settings else None
    discord = await FakeDiscord().start() if "DISCORD_TOKEN" in settings else None
    if slack:
        settings["SLACK_API_URL"] = slack.api_url
    if discord:
        settings["DISCORD_API_URL"] = discord.api_url
        settings["DISCORD_GUILD_READY_TIMEOUT"] = "0.1"  # the fake sends no more guilds
    try:
        yield Fakes(slack, discord, settings)
    finally:
        for fake in (slack, discord):
            if fake is not None:
                await fake.stop()


async def ask_slack_socket(slack: FakeSlack, bot: Bot, session: aiohttp.ClientSession) -> None:
    """A slash command over the websocket: acknowledged, then answered through response_url."""
    await slack.send_envelope(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": slash_command("what about SBOMs?", slack.response_url("q")),
        }
    )
    await slack.wait_for(lambda: bool(slack.acks and slack.responses("q")))
    assert slack.acks[0]["envelope_id"] == "env-1"
    answer = slack.responses("q")[0]
    assert answer["response_type"] == "in_channel"
    assert "Antithesis" in json.dumps(answer["blocks"])


async def ask_slack_http(slack: FakeSlack, bot: Bot, session: aiohttp.ClientSession) -> None:
    """A signed slash command POSTed to /slack/events, answered in its acknowledgement."""
    body = form(slash_command("what about SBOMs?", slack.response_url("q")))
    status, _ = await post_signed(session, f"{bot.url}/slack/events", body, SIGNING_SECRET)
    assert status == 200
    await slack.wait_for(lambda: bool(slack.responses("q")))
    answer = slack.responses("q")[0]
    assert answer["response_type"] == "in_channel"
    assert "Antithesis" in json.dumps(answer["blocks"])


async def ask_discord(discord: FakeDiscord, bot: Bot, session: aiohttp.ClientSession) -> None:
    """A mention through the gateway, answered with an embed in the channel."""
    await discord.dispatch("MESSAGE_CREATE", discord.message_create(f"<@{BOT_ID}> devtron 2.0?"))
    await discord.wait_for(lambda: bool(discord.messages()))
    assert discord.messages()[0].json["embeds"][0]["title"].startswith("Q10.")


Ask = Callable[[aiohttp.ClientSession], Awaitable[None]]

# what an operator alerts on, as `rate()`/`increase()` of a series: each must be there at 0
# before its first event, or the first event is no increase (docs/operations.md)
OUTCOMES = ("answered", "suggested", "declined", "intent", "repeat", "picked", "limited",
            "feedback", "correction", "notice")  # fmt: skip
REASONS = ("internal", "database")  # the core's own; delivery codes exist once they happen
RESULTS = ("sent", "retry", "gone", "failed", "error")
RELOADS = ("swapped", "unchanged", "error")


def missing_zeros(metrics: str, platforms: list[str]) -> list[str]:
    """The series of `platforms` that /metrics should show at 0 before any event, and does not."""
    wanted = [f'kubecon_bot_content_reloads_total{{result="{r}"}}' for r in RELOADS]
    for p in platforms:
        wanted.append(f'kubecon_bot_match_latency_seconds_count{{platform="{p}"}}')
        wanted += [f'kubecon_bot_messages_total{{outcome="{o}",platform="{p}"}}' for o in OUTCOMES]
        wanted += [
            f'kubecon_bot_replies_failed_total{{platform="{p}",reason="{r}"}}' for r in REASONS
        ]
        wanted += [f'kubecon_bot_daily_posts_total{{platform="{p}",result="{r}"}}' for r in RESULTS]
    return [series for series in wanted if f"{series} 0.0\n" not in metrics]


def questions(fakes: Fakes, bot: Bot) -> dict[str, Ask]:
    """For each platform in the shape, a question asked and its answer checked."""
    asks: dict[str, Ask] = {}
    if fakes.slack is not None:
        slack = fakes.slack
        how = ask_slack_http if fakes.settings.get("SLACK_MODE") == "http" else ask_slack_socket
        asks["slack"] = lambda session: how(slack, bot, session)
    if fakes.discord is not None:
        discord = fakes.discord
        asks["discord"] = lambda session: ask_discord(discord, bot, session)
    return asks


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fakes", list(SHAPES), indirect=True)
async def test_shape_answers_serves_probes_and_stops_cleanly(
    fakes: Fakes, db_url: str, tmp_path: Path
) -> None:
    settings = {**fakes.settings, "DATABASE_URL": db_url, "LOG_FORMAT": "json"}
    async with running_bot(settings, tmp_path) as bot, aiohttp.ClientSession() as session:
        asks = questions(fakes, bot)
        async with session.get(f"{bot.url}/metrics") as resp:
            assert resp.status == 200
            before = await resp.text()
        assert missing_zeros(before, list(asks)) == []
        for ask in asks.values():
            await ask(session)

        async with session.get(f"{bot.url}/healthz") as resp:
            assert (resp.status, await resp.text()) == (200, "ok\n")
        async with session.get(f"{bot.url}/readyz") as resp:
            assert resp.status == 200
            ready = await resp.json()
        assert ready["ready"] is True
        assert {p: ready["services"][p] for p in asks} == dict.fromkeys(asks, True)
        assert ready["services"]["daily"] is True  # daily posts run in every shape
        async with session.get(f"{bot.url}/metrics") as resp:
            assert resp.status == 200
            metrics = await resp.text()
        for platform in asks:
            answered = f'kubecon_bot_messages_total{{outcome="answered",platform="{platform}"}}'
            assert f"{answered} 1.0" in metrics
            assert f'kubecon_bot_service_ready{{service="{platform}"}} 1.0' in metrics

        code, out = await bot.command("healthcheck", cwd=tmp_path)
        assert code == 0, out
        assert out.strip() == f"{bot.url}/healthz: 200"

        log = await bot.stop()
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert records, log
    assert [r for r in records if r["level"] in ("ERROR", "CRITICAL")] == []
    assert "Traceback" not in log
    assert not [s for s in SECRETS if s in log]
    assert "served by slack" not in log or fakes.settings.get("SLACK_MODE") == "http"
    # which database this is, password hidden: a misspelt DATABASE_URL is seen at once
    [where] = [r["msg"] for r in records if r["msg"].startswith("database: ")]
    sqlite_file = db_url.removeprefix("sqlite:///")
    assert where == f"database: SQLite at {sqlite_file}" or (
        db_url.startswith("postgresql") and "127.0.0.1" in where and "***" not in where
    )

    # what the run recorded is in its database once it has stopped: `report` reads it
    code, out = await bot.command("report", "--json", "--database", db_url, cwd=tmp_path)
    assert code == 0, out
    report = json.loads(out)
    assert report["questions"] == len(asks)
    assert report["platforms"] == dict.fromkeys(asks, 1)
