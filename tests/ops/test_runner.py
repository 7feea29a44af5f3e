"""`kubecon-bot run`: what an operator sees when starting and stopping it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.core.app import BotApp
from bot.core.platforms import installed
from bot.core.replies import Kind, Reply, Visibility
from bot.core.services import DeliveryError
from bot.serve.compose import CountingPoster
from bot.serve.metrics import Metrics
from bot.serve.runner import EXIT_ERROR, EXIT_OK, Runner, nothing_configured
from tests.conftest import bot_cmd, clean_env, run_bot, run_process, signalled_during_start_up
from tests.waiting import eventually

from .conftest import REPO, FakeService, settings

OPERATIONS = REPO / "docs" / "operations.md"


def test_run_with_nothing_configured_explains_and_points_to_chat(tmp_path: Path) -> None:
    proc = run_bot("run", cwd=tmp_path, env=clean_env())
    assert proc.returncode != 0
    assert "no chat platform is configured" in proc.stderr
    assert "SLACK_BOT_TOKEN" in proc.stderr and "DISCORD_TOKEN" in proc.stderr
    assert "kubecon-bot chat" in proc.stderr


def test_run_reports_each_bad_variable_on_its_own_line_without_the_token(tmp_path: Path) -> None:
    token = "xoxb-1111111111-2222222222-abcdefghijklmnop"
    env = clean_env(SLACK_BOT_TOKEN=token, SLACK_MODE="http", HEALTH_PORT="70000")
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if "configuration error" in line]
    assert any("HEALTH_PORT" in line for line in lines), proc.stderr
    assert token not in proc.stderr + proc.stdout


def test_a_slack_bot_token_alone_asks_for_the_app_token_of_socket_mode(tmp_path: Path) -> None:
    proc = run_bot("run", cwd=tmp_path, env=clean_env(SLACK_BOT_TOKEN="xoxb-1"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "SLACK_APP_TOKEN (Socket Mode)" in proc.stderr
    assert "SLACK_SIGNING_SECRET (HTTP mode)" in proc.stderr


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"SLACK_APP_TOKEN": "xapp-1-hunter2"}, "SLACK_APP_TOKEN is set"),
        ({"SLACK_SIGNING_SECRET": "hunter2"}, "SLACK_SIGNING_SECRET is set"),
        (
            {"SLACK_APP_TOKEN": "xapp-1-hunter2", "SLACK_SIGNING_SECRET": "hunter2"},
            "SLACK_APP_TOKEN and SLACK_SIGNING_SECRET are set",
        ),
    ],
)
def test_half_a_slack_set_up_names_the_missing_bot_token(
    tmp_path: Path, given: dict[str, str], named: str
) -> None:
    """Not "no chat platform is configured": the operator set something for Slack, so say
    what is missing, without echoing what was set."""
    proc = run_bot("run", cwd=tmp_path, env=clean_env(**given))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "no chat platform is configured" not in proc.stderr
    [line] = [x for x in proc.stderr.splitlines() if "SLACK_BOT_TOKEN is not" in x]
    assert named in line, proc.stderr
    assert "hunter2" not in proc.stderr + proc.stdout


def test_a_bad_configured_subscription_stops_start_up_with_one_line(tmp_path: Path) -> None:
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_MODE="http",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        DAILY_SUBSCRIPTIONS="teams:C0123",
    )
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert "DAILY_SUBSCRIPTIONS entry 1: platform must be one of" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unreachable_database_stops_report_and_subscriptions_with_one_line(
    tmp_path: Path,
) -> None:
    # `run` starts and answers without its database: tests/faults/test_db_readiness.py
    url = "postgresql://bot:hunter2@127.0.0.1:9/kubecon"  # nothing listens on port 9
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_MODE="http",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        DATABASE_URL=url,
    )
    for args in (("report",), ("subscriptions", "list")):
        proc = run_bot(*args, cwd=tmp_path, env=env)
        assert proc.returncode == 1, args
        assert "cannot open the database postgresql+psycopg://bot:***@127.0.0.1:9/kubecon" in (
            proc.stderr
        )
        assert "Traceback" not in proc.stderr and "hunter2" not in proc.stderr


def test_a_libpq_connection_string_is_refused_without_its_password(tmp_path: Path) -> None:
    """libpq's "key=value" form is no URL: it was refused quoting itself, password and all."""
    dsn = "host=db user=bot password=hunter2 dbname=kubecon"
    proc = run_bot("report", cwd=tmp_path, env=clean_env(DATABASE_URL=dsn))
    assert proc.returncode == 1 and "not a valid database URL" in proc.stderr, proc.stderr
    assert "hunter2" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://bot@127.0.0.1:9/kubecon?password=hunter2",  # libpq's own keyword
        "postgresql://127.0.0.1:9/kubecon?user=bot&password=hunter2",  # no @ at all
        "postgresql://bot@127.0.0.1:9/kubecon?sslpassword=hunter2&sslmode=require",
    ],
)
def test_a_password_in_the_query_string_is_masked_too(tmp_path: Path, url: str) -> None:
    """libpq takes the password as a query parameter as well as before the @: that form was
    printed in clear, in `run`'s start-up line and in every error naming the database."""
    proc = run_bot("report", cwd=tmp_path, env=clean_env(DATABASE_URL=url))
    assert proc.returncode == 1
    assert "cannot open the database postgresql+psycopg://" in proc.stderr
    assert "password=***" in proc.stderr
    assert "hunter2" not in proc.stderr and "Traceback" not in proc.stderr
    env = clean_env(
        DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", HEALTH_PORT="0"
    )
    run = subprocess.Popen(bot_cmd("run"), cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert run.stderr is not None
        line = next((line for line in run.stderr if " database: " in line), "")
    finally:
        run.kill()
        run.communicate()
    assert "database: postgresql+psycopg://" in line and "password=***" in line
    assert "hunter2" not in line


def test_a_database_migrated_by_a_newer_version_is_one_line_not_a_retry_loop(
    tmp_path: Path,
) -> None:
    """After a rollback, the database's schema is one this version does not know: the CLI
    printed Alembic's 80-line traceback, and `run` retried in the background for ever while
    /readyz said ready. Waiting cannot fix it: one line saying what happened, and exit 1."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    env = clean_env(DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    assert run_bot("subscriptions", "add", "slack", "C0123ABCD", cwd=tmp_path, env=env)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    for args in (("subscriptions", "list"), ("run",)):
        proc = run_bot(*args, cwd=tmp_path, env={**env, "HEALTH_PORT": "0"})
        assert proc.returncode == 1, (args, proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr, args
        assert "schema is at revision 0099, which this version of kubecon-bot does not know" in (
            proc.stderr
        ), args


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"garbage, not a database\n" * 200, "file is not a database")],
)
def test_a_sqlite_file_that_cannot_be_used_stops_run(
    tmp_path: Path, content: bytes, says: str
) -> None:
    """A SQLite file is on this machine: unlike a database server it is not away for a while.
    A file that is no database was retried in the background for ever (1 s, 2 s, 4 s…), the
    bot ready and answering while no daily post could ever be made. One line, exit 1."""
    (tmp_path / "bot.sqlite3").write_bytes(content)
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_APP_TOKEN="xapp-1",
        HEALTH_PORT="0",
    )
    proc = run_bot("run", cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert says in proc.stderr and "retrying in the background" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_bad_setting_is_named_before_nothing_to_run(tmp_path: Path) -> None:
    """With no platform configured, `run` said only "nothing to run": a DIGEST_TZ set wrong
    surfaced once the tokens were set, a second round trip for the operator."""
    proc = run_bot("run", cwd=tmp_path, env=clean_env(DIGEST_TZ="Mars/Olympus"))
    assert proc.returncode == 1
    assert "configuration error: DIGEST_TZ:" in proc.stderr
    assert "nothing to run" in proc.stderr and "Traceback" not in proc.stderr


def test_run_reads_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1-2-3\nSLACK_MODE=http\n")
    proc = run_bot("run", cwd=tmp_path, env=clean_env())
    assert proc.returncode != 0
    assert "SLACK_SIGNING_SECRET is required" in proc.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_start_up_stops_it_with_exit_0(tmp_path: Path, sig: signal.Signals) -> None:
    """SIGTERM before `run` had installed its handlers (while it imports the platforms and
    opens the database) killed it with 143 and no word, and in a container, where it is
    PID 1 and a signal without a handler is ignored, was lost: `docker stop` waited its 10 s
    and killed it. Ctrl-C there printed a traceback."""
    env = clean_env(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", HEALTH_PORT="0")
    run = signalled_during_start_up(sig, tmp_path, env)
    err = run.stderr
    assert run.returncode == 0, err[-2000:]
    assert f"{sig.name} during start-up: stopped before anything was started" in err
    assert "Traceback" not in err


# `kubecon-bot run` as the console script starts it, but with the runner stopped by SIGTERM at
# the worst moment of all: inside a logging handler's constructor, after logging has listed the
# handler and before it has a stream (the signal lands wherever start-up happens to be)
_STOPPED_IN_A_HANDLER = """
import logging, sys
import bot.cli as cli
import bot.serve.runner as runner

class Half(logging.StreamHandler):
    def __init__(self):
        logging.Handler.__init__(self)  # listed for logging.shutdown, no stream yet
        raise cli._StartUpStopped("SIGTERM")

def main(content):
    Half()

runner.main = main
sys.exit(cli.main(["run"]))
"""


def test_a_stop_inside_a_half_built_log_handler_exits_without_a_traceback(
    tmp_path: Path,
) -> None:
    """A stop during start-up that lands while a log handler is being built left it half
    built in logging's list: at exit, logging flushed it and printed "Exception ignored in
    atexit callback" with a traceback after the JSON line saying the run stopped (seen in CI,
    once in a few hundred runs). The stop is still one clean line and exit 0."""
    env = clean_env(LOG_FORMAT="json")
    proc = run_process([sys.executable, "-c", _STOPPED_IN_A_HANDLER], cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "SIGTERM during start-up: stopped before anything was started" in proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr


def test_sigterm_finishes_the_reply_in_flight_and_exits_0(tmp_path: Path) -> None:
    state = tmp_path / "state"
    script = Path(__file__).with_name("fake_run.py")
    env = clean_env(HEALTH_PORT="0", LOG_FORMAT="json")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(state)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (state.exists() and "started" in state.read_text()):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the runner never started the service"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=10)  # the promise: gone within 10 s
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert state.read_text().split() == ["started", "stopping", "posted", "Q5", "stopped"]
    assert '"msg": "SIGTERM: shutting down"' in stderr
    assert '"outcome": "answered"' in stderr


async def test_start_failure_stops_what_started_and_exits_non_zero(
    bot_app: BotApp, metrics: Metrics, caplog: pytest.LogCaptureFixture
) -> None:
    good, bad, later = FakeService("slack"), FakeService("discord", fail=True), FakeService("sch")
    runner = Runner(settings(HEALTH_PORT=0), bot_app, [[good, bad], [later]], metrics)
    with caplog.at_level(logging.INFO):
        code = await runner.run(install_signals=False)
    assert code == EXIT_ERROR
    assert "discord failed to start: gateway refused the connection" in caplog.text
    assert good.events == ["start", "stop"]
    assert later.events == []  # never started: the platforms it posts through failed
    # no "stopped cleanly" after a failure: it read as if the run had gone well
    assert "stopped cleanly" not in caplog.text
    assert "stopped what had started, after the failure above" in caplog.text


async def test_a_service_that_will_not_stop_is_named_and_the_runner_still_exits(
    bot_app: BotApp, metrics: Metrics, caplog: pytest.LogCaptureFixture
) -> None:
    stuck = FakeService("discord", hang_on_stop=True)
    runner = Runner(settings(HEALTH_PORT=0), bot_app, [[stuck]], metrics, grace=0.2)
    task = asyncio.create_task(runner.run(install_signals=False))
    await eventually(lambda: stuck.ready, "the service to be ready")
    runner.request_stop("test")
    with caplog.at_level(logging.ERROR):
        code = await asyncio.wait_for(task, 10)
    assert code == EXIT_ERROR
    assert "not stopped in time: discord" in caplog.text


async def test_a_stop_while_a_service_is_still_connecting_is_honoured(
    bot_app: BotApp, metrics: Metrics
) -> None:
    connecting = FakeService("discord", hang_on_start=True)
    runner = Runner(settings(HEALTH_PORT=0), bot_app, [[connecting]], metrics)
    task = asyncio.create_task(runner.run(install_signals=False))
    await eventually(lambda: connecting.events == ["start"], "the service to start connecting")
    runner.request_stop("test")
    assert await asyncio.wait_for(task, 10) == EXIT_OK
    assert connecting.events == ["start", "stop"]


async def test_sigint_in_process_stops_in_reverse_order(bot_app: BotApp, metrics: Metrics) -> None:
    order: list[str] = []

    class Recording(FakeService):
        async def stop(self) -> None:
            order.append(self.name)
            await super().stop()

    platform, scheduler = Recording("slack"), Recording("scheduler")
    runner = Runner(settings(HEALTH_PORT=0), bot_app, [[platform], [scheduler]], metrics)
    task = asyncio.create_task(runner.run())
    await eventually(lambda: scheduler.ready, "the scheduler to be ready")
    signal.raise_signal(signal.SIGINT)
    assert await asyncio.wait_for(task, 10) == EXIT_OK
    assert order == ["scheduler", "slack"]


class _Poster:
    platform = "slack"

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error

    async def post(self, channel_id: str, reply: Reply) -> None:
        if self.error:
            raise self.error


async def test_daily_posts_are_counted_sent_and_failed(metrics: Metrics) -> None:
    reply = Reply(kind=Kind.DAILY, visibility=Visibility.CHANNEL, text="Takeaway")
    await CountingPoster(_Poster(), metrics).post("C1", reply)
    with pytest.raises(DeliveryError):
        await CountingPoster(_Poster(DeliveryError("429", retryable=True)), metrics).post(
            "C1", reply
        )
    with pytest.raises(DeliveryError):
        gone = DeliveryError("channel_not_found", retryable=False, gone=True)
        await CountingPoster(_Poster(gone), metrics).post("C1", reply)
    text = metrics.exposition().decode()
    assert 'kubecon_bot_daily_posts_total{platform="slack",result="sent"} 1.0' in text
    assert 'kubecon_bot_daily_posts_total{platform="slack",result="retry"} 1.0' in text
    assert 'kubecon_bot_daily_posts_total{platform="slack",result="gone"} 1.0' in text


async def test_every_daily_post_result_is_named_in_the_help_text_and_the_docs(
    metrics: Metrics,
) -> None:
    """The HELP text of /metrics said `(sent, retry, gone, error)`: `failed`, counted for a
    post refused for good and named in docs/operations.md, was missing from it."""
    reply = Reply(kind=Kind.DAILY, visibility=Visibility.CHANNEL, text="Takeaway")
    errors = [
        None,
        DeliveryError("429", retryable=True),
        DeliveryError("channel_not_found", retryable=False, gone=True),
        DeliveryError("invalid_blocks", retryable=False),
        RuntimeError("a bug"),
    ]
    for error in errors:
        with contextlib.suppress(DeliveryError, RuntimeError):
            await CountingPoster(_Poster(error), metrics).post("C1", reply)
    text = metrics.exposition().decode()
    counted = set(
        re.findall(r'kubecon_bot_daily_posts_total\{platform="slack",result="(\w+)"\} 1\.0', text)
    )
    assert len(counted) == len(errors), text
    [help_text] = re.findall(r"# HELP kubecon_bot_daily_posts_total .*\((.*)\)\.", text)
    assert set(help_text.split(", ")) == counted, help_text
    [row] = [
        r for r in OPERATIONS.read_text().splitlines() if "`kubecon_bot_daily_posts_total`" in r
    ]
    assert set(re.findall(r"`(\w+)`", row.split("|")[3])) == counted, row


async def test_a_stuck_service_does_not_eat_the_others_time_to_stop(
    bot_app: BotApp, metrics: Metrics, caplog: pytest.LogCaptureFixture
) -> None:
    """The scheduler hangs in its stop (a slow daily post): the platforms still stop (they
    start stopping at once, with a budget of their own), and the journal flushes after them."""
    order: list[str] = []

    class Platform(FakeService):
        async def stop(self) -> None:
            order.append(f"{self.name} stopping")
            await asyncio.sleep(0.05)  # delivering what it acknowledged
            await super().stop()
            order.append(f"{self.name} stopped")

    class Journal(FakeService):
        async def stop(self) -> None:
            order.append("usage flushing")
            await super().stop()

    journal, slack, discord = Journal("usage"), Platform("slack"), Platform("discord")
    scheduler = FakeService("daily", hang_on_stop=True)
    runner = Runner(
        settings(HEALTH_PORT=0),
        bot_app,
        [[journal], [slack, discord], [scheduler]],
        metrics,
        grace=1.0,
    )
    task = asyncio.create_task(runner.run(install_signals=False))
    while not scheduler.ready:
        await asyncio.sleep(0.01)
    runner.request_stop("test")
    with caplog.at_level(logging.ERROR):
        code = await asyncio.wait_for(task, 10)
    assert code == EXIT_ERROR  # the stuck one is named, and the exit says so
    assert "not stopped in time: daily" in caplog.text
    assert "slack" not in caplog.text and "discord" not in caplog.text
    assert slack.events == discord.events == journal.events == ["start", "stop"]
    assert order.index("usage flushing") > order.index("slack stopped")
    assert order.index("usage flushing") > order.index("discord stopped")


def test_with_nothing_configured_each_platform_says_what_to_set() -> None:
    """The message is built from the platform registry, and reads as it always has."""
    assert nothing_configured(installed()) == (
        "kubecon-bot run: nothing to run, no chat platform is configured.\n"
        "  Slack:   set SLACK_BOT_TOKEN, plus SLACK_APP_TOKEN (Socket Mode)\n"
        "           or SLACK_SIGNING_SECRET (HTTP mode)\n"
        "  Discord: set DISCORD_TOKEN\n"
        "Set them in the environment or in a .env file (start from .env.example).\n"
        "To try the bot without any token: kubecon-bot chat"
    )


def test_the_service_runs_on_uvloop_where_it_is_a_dependency() -> None:
    """pyproject.toml installs uvloop on CPython outside Windows; there `kubecon-bot run` must
    use it (the end-to-end shapes then run on it), elsewhere asyncio's loop."""
    import platform

    from bot.serve.runner import event_loop_factory

    factory = event_loop_factory()
    if sys.platform != "win32" and platform.python_implementation() == "CPython":
        import uvloop

        assert factory is uvloop.new_event_loop
    else:
        assert factory is None
