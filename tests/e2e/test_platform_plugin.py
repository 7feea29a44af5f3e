"""A new chat platform is a package, not an edit: FakeChat (tests/e2e/fakechat), installed beside
the bot with a `kubecon_bot.platforms` entry point, is served by the real `kubecon-bot run`.

What an operator adding a platform would check: a question asked on it is answered with the
content's answer; a channel subscribed in DAILY_SUBSCRIPTIONS (validated by the plugin's own
channel rule) gets the day's takeaway, telling people the plugin's own command, exactly once
even across a restart; /readyz and /metrics name it; its token never reaches the log; SIGTERM
exits 0. And what they would run into: a broken plugin or a clashing name stops `run` with one
line, a misspelled platform is refused with the list of known ones, and the CLI accepts the
plugin's name.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.core.clock import utcnow
from bot.core.content import Content
from bot.daily.rotation import daily_reply, next_item, rotation
from bot.daily.store import CONFIG, Store
from bot.daily.timing import When
from bot.serve.logs import REDACTED
from tests.conftest import clean_env, run_bot
from tests.e2e.plugins import install, install_fakechat, on_path
from tests.e2e.running import Bot, running_bot
from tests.faults.conftest import midday_zone
from tests.waiting import eventually

TOKEN = "fakechat-secret-0123456789"
LISTENING = re.compile(r"fakechat listening on http://\S+?:(\d+)")
LAST_POSTED = "takeaway-3"  # the rotation's last key takeaway; entry 1 comes next


@dataclass
class Outbox:
    """The FakeChat server daily posts go to: every post received, with its headers."""

    url: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)

    def to(self, channel: str) -> list[str]:
        return [p["text"] for p in self.posts if p["channel"] == channel]


@pytest.fixture
async def outbox() -> AsyncIterator[Outbox]:
    box = Outbox()

    async def receive(request: web.Request) -> web.Response:
        box.posts.append(await request.json())
        box.authorizations.append(request.headers.get("Authorization", ""))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/posts", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    box.url = f"http://127.0.0.1:{runner.addresses[0][1]}/posts"
    try:
        yield box
    finally:
        await runner.cleanup()


def subscribed_since_yesterday(path: Path, zone: str, *channels: str) -> str:
    """The SQLite database at `path` of a bot that has run with these FakeChat channels
    configured since yesterday, at 00:00 in `zone` (so each one's takeaway is due all of today),
    and has posted the three key takeaways there already (so today's post is an entry, which
    tells people how to ask for it). Returns the DAILY_SUBSCRIPTIONS that configures them
    (unchanged, so still due)."""
    store = Store.open(f"sqlite:///{path}")
    yesterday = utcnow() - dt.timedelta(days=1)
    for channel in channels:
        when = When(dt.time(0, 0), zone)
        store.subscribe("fakechat", channel, when, now=yesterday, source=CONFIG)
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE subscriptions SET position = ? WHERE position IS NULL", (LAST_POSTED,))
    return "; ".join(f"fakechat:{channel} 00:00 {zone}" for channel in channels)


async def fakechat_url(bot: Bot) -> str:
    """Where the running FakeChat takes questions: the port it logged."""
    await eventually(lambda: LISTENING.search(bot.log) is not None, "fakechat's port in the log")
    match = LISTENING.search(bot.log)
    assert match is not None
    return f"http://127.0.0.1:{match.group(1)}"


@pytest.mark.timeout(120)
async def test_a_plugin_platform_answers_posts_daily_once_and_stops_cleanly(
    tmp_path: Path, outbox: Outbox, content: Content
) -> None:
    site = install_fakechat(tmp_path / "site")
    database = tmp_path / "bot.sqlite3"
    zone = midday_zone()  # 00:00 there was hours ago, and its midnight is hours away
    settings = on_path(site, {"DATABASE_URL": f"sqlite:///{database}"})
    settings.update(FAKECHAT_OUTBOX=outbox.url, FAKECHAT_TOKEN=TOKEN)
    settings["DAILY_SUBSCRIPTIONS"] = subscribed_since_yesterday(database, zone, "room-1")
    expected_post = daily_reply(content, next_item(rotation(content), LAST_POSTED), "!ask").text
    assert "Ask `!ask 1` for the full answer." in expected_post  # FakeChat's own command
    sbom = next(e for e in content.entries if e.number == 5)

    async with running_bot(settings, tmp_path) as bot, aiohttp.ClientSession() as session:
        question = {"channel": "room-1", "user": "u1", "text": "what about SBOMs?"}
        async with session.post(f"{await fakechat_url(bot)}/messages", json=question) as resp:
            assert resp.status == 200
            reply = await resp.json()
        assert reply["kind"] == "answer" and reply["public"] is True
        assert sbom.answer.strip() in reply["text"]

        await eventually(lambda: bool(outbox.to("room-1")), "the daily post to room-1", 30)
        assert outbox.to("room-1") == [expected_post]
        assert outbox.authorizations == [f"Bearer {TOKEN}"]

        async with session.get(f"{bot.url}/readyz") as resp:
            assert resp.status == 200
            ready = await resp.json()
        assert ready["ready"] is True
        assert ready["services"] == {"usage": True, "fakechat": True, "daily": True}
        async with session.get(f"{bot.url}/metrics") as resp:
            metrics = await resp.text()
        assert 'kubecon_bot_messages_total{outcome="answered",platform="fakechat"} 1.0' in metrics
        assert 'kubecon_bot_daily_posts_total{platform="fakechat",result="sent"} 1.0' in metrics
        assert 'kubecon_bot_service_ready{service="fakechat"} 1.0' in metrics

        log = await bot.stop()  # SIGTERM: exit 0 (asserted by stop)
    assert f"(token {REDACTED})" in log  # the plugin logged it: its declared secret is masked
    assert TOKEN not in log
    assert "Traceback" not in log and " ERROR " not in log
    assert "slack" not in log.lower() and "discord" not in log.lower()  # nothing else started

    # a restart on the same database does not post room-1 again; room-2, due too, shows that
    # the restart's first pass over the subscriptions has run (it posts both in one pass)
    settings["DAILY_SUBSCRIPTIONS"] = subscribed_since_yesterday(database, zone, "room-1", "room-2")
    async with running_bot(settings, tmp_path) as bot:
        await eventually(lambda: bool(outbox.to("room-2")), "the daily post to room-2", 30)
        await bot.stop()  # the pass in progress finishes before the process exits
    assert outbox.to("room-1") == [expected_post]
    assert outbox.to("room-2") == [expected_post]


def _run(site: Path, tmp_path: Path, *args: str, **settings: str) -> tuple[int, str]:
    proc = run_bot(*args, cwd=tmp_path, env=on_path(site, clean_env(**settings)))
    return proc.returncode, proc.stderr + proc.stdout


def test_configuration_and_the_cli_know_the_plugin(tmp_path: Path) -> None:
    site = install_fakechat(tmp_path / "site")
    database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"

    enabled = {"FAKECHAT_OUTBOX": "http://127.0.0.1:9/"}  # nothing listens: never reached
    code, out = _run(site, tmp_path, "run", **enabled, DAILY_SUBSCRIPTIONS="teams:C1")
    assert code == 1
    assert "DAILY_SUBSCRIPTIONS entry 1: platform must be one of slack, discord, fakechat, " in out
    assert "not 'teams'" in out and "Traceback" not in out

    code, out = _run(site, tmp_path, "run", **enabled, DAILY_SUBSCRIPTIONS="fakechat:lobby")
    assert code == 1
    assert "'lobby' is not a FakeChat channel id: it is room- and digits, e.g. room-7" in out

    code, out = _run(site, tmp_path, "run")  # nothing configured: the plugin says how
    assert code == 1
    assert "  FakeChat: set FAKECHAT_OUTBOX" in out and "SLACK_BOT_TOKEN" in out

    add = ("subscriptions", "add", "--database", database)
    code, out = _run(site, tmp_path, *add, "fakechat", "room-7", "08:00")
    where = f"SQLite at {(tmp_path / 'bot.sqlite3').resolve()}"
    assert (code, out.strip()) == (0, f"added: fakechat room-7 at 08:00 UTC (in {where})")
    code, out = _run(site, tmp_path, *add, "fakechat", "lobby")
    assert code == 2 and "'lobby' is not a FakeChat channel id" in out
    code, out = _run(site, tmp_path, *add, "teams", "C1")
    assert code == 2
    assert "invalid choice: 'teams' (choose from 'slack', 'discord', 'fakechat')" in out


BROKEN = {"broken/__init__.py": "import a_module_that_is_not_installed\n"}
CLASH = {
    "clash/__init__.py": (
        "from bot.core.platforms import Platform\n"
        "SLACK = Platform(name='slack', label='Slack', enabled=lambda s: False,\n"
        "                 create_service=None, how_to_enable='')\n"
    )
}


@pytest.mark.parametrize(
    ("files", "entry", "expected"),
    [
        (
            BROKEN,
            "broken:PLATFORM",
            "kubecon-bot run: platform plugin 'broken' (broken:PLATFORM, broken 0.1) cannot be "
            "loaded: ModuleNotFoundError: No module named 'a_module_that_is_not_installed'",
        ),
        (
            CLASH,
            "clash:SLACK",
            "kubecon-bot run: two platforms are named 'slack': (bot.adapters.slack.platform:SLACK"
            ", built in) and (clash:SLACK, clash 0.1); uninstall one of the packages",
        ),
    ],
    ids=["broken", "same-name"],
)
def test_a_bad_plugin_stops_run_with_one_line_and_leaves_other_commands_alone(
    tmp_path: Path, files: dict[str, str], entry: str, expected: str
) -> None:
    name = entry.partition(":")[0]
    site = install(tmp_path / "site", name, {name: entry}, files)

    code, out = _run(site, tmp_path, "run", DISCORD_TOKEN="x")
    assert (code, out.strip()) == (1, expected)

    code, out = _run(site, tmp_path, "ask", "what about SBOMs?")  # never reads the registry
    assert code == 0 and "SBOM" in out


def test_a_discord_only_run_loads_no_other_platform(tmp_path: Path) -> None:
    """An unconfigured platform costs nothing: building the services of a Discord-only run
    imports neither slack_bolt nor an installed plugin's service, only their declarations."""
    site = install_fakechat(tmp_path / "site")
    code = (
        "import sys\n"
        "from bot.config import Settings\n"
        "from bot.core.content import load_content\n"
        "from bot.core.platforms import installed\n"
        "from bot.serve.compose import compose\n"
        "from bot.serve.metrics import Metrics\n"
        "built = compose(Settings(), installed(), load_content(), None, Metrics())\n"
        "print(*[s.name for stage in built.stages for s in stage])\n"
        "print(*sorted({m.split('.')[0] for m in sys.modules} & {'slack_bolt', 'slack_sdk'}))\n"
        "print('fakechat' in sys.modules, 'fakechat.service' in sys.modules)\n"
    )
    env = on_path(site, clean_env(DISCORD_TOKEN="x", DATABASE_URL=f"sqlite:///{tmp_path}/b.db"))
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    services, sdks, plugin = proc.stdout.splitlines()
    assert services == "usage discord daily"
    assert sdks == ""  # no Slack SDK
    assert plugin == "True False"  # FakeChat declared itself, its service was never imported
