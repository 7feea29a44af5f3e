"""Two real `kubecon-bot run` processes on one SQLite file, as an operator starts them by mistake
(two terminals, a unit plus a manual run, a Compose service scaled to 2 on one volume): the
second says so in one WARNING line naming the first's pid, and both run (bot.storage.runlock
says why it warns rather than stops); the first says nothing. The lock is the operating
system's: a run killed with SIGKILL leaves nothing that makes the next start warn. A run on
another file is not warned about, and read-only commands neither take the lock nor wait on it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.running import Bot, running_bot
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN
from tests.slack.fakeslack import FakeSlack

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the check uses fcntl.flock")

ANOTHER = "another kubecon-bot run"


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    try:
        yield fake
    finally:
        await fake.stop()


def socket_mode(slack: FakeSlack, database: Path) -> dict[str, str]:
    """`run` in the default shape (Slack Socket Mode) on the SQLite file `database`."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{database}",
    }


def warnings_about_others(bot: Bot) -> list[str]:
    return [line for line in bot.log.splitlines() if ANOTHER in line]


def assert_warned_of(bot: Bot, other: Bot, database: Path) -> None:
    """One WARNING line, naming the other run's pid, the file, and what to do instead."""
    lines = warnings_about_others(bot)
    assert len(lines) == 1, bot.log[-3000:]
    line = lines[0]
    assert " WARNING bot.storage.runlock: " in line
    assert f"pid {other.pid} on host {socket.gethostname()}" in line
    assert str(database.resolve()) in line
    assert "meant for one process" in line and "PostgreSQL (DATABASE_URL)" in line


@pytest.mark.timeout(120)
async def test_a_second_run_on_the_file_warns_naming_the_first_and_both_serve(
    tmp_path: Path, slack: FakeSlack
) -> None:
    database = tmp_path / "bot.sqlite3"
    settings = socket_mode(slack, database)
    async with running_bot(settings, tmp_path) as first:
        async with running_bot(settings, tmp_path) as second:
            assert_warned_of(second, first, database)
            # what shares the file beside a run: a write, and read-only commands, run and say
            # nothing of the lock (only `run` takes it)
            for args in (
                ("subscriptions", "add", "slack", "C0123ABCD", "09:00", "UTC"),
                ("subscriptions", "list"),
                ("report",),
                ("suggestions", "list"),
            ):
                code, out = await second.command(*args, cwd=tmp_path)
                assert code == 0, f"kubecon-bot {' '.join(args)}: {out}"
                assert ANOTHER not in out
            await second.stop()  # it ran: SIGTERM, exit 0
        assert warnings_about_others(first) == []
        await first.stop()


@pytest.mark.timeout(120)
async def test_the_warning_lasts_while_any_other_run_is_left(
    tmp_path: Path, slack: FakeSlack
) -> None:
    """A unit restarted while a manual run is still up: the unit's new process is told of the
    manual one, though the run that first held the file has gone."""
    database = tmp_path / "bot.sqlite3"
    settings = socket_mode(slack, database)
    async with running_bot(settings, tmp_path) as unit, running_bot(settings, tmp_path) as manual:
        assert_warned_of(manual, unit, database)
        await unit.stop()
        async with running_bot(settings, tmp_path) as restarted:
            assert_warned_of(restarted, manual, database)
            await restarted.stop()
        await manual.stop()


@pytest.mark.timeout(120)
async def test_a_run_killed_with_sigkill_leaves_no_lock_behind(
    tmp_path: Path, slack: FakeSlack
) -> None:
    database = tmp_path / "bot.sqlite3"
    settings = socket_mode(slack, database)
    async with running_bot(settings, tmp_path) as killed:
        pass  # running_bot kills it: SIGKILL, no clean-up of any kind
    assert killed.returncode == -9
    async with running_bot(settings, tmp_path) as after:
        assert warnings_about_others(after) == []
        # and it holds the file now: a run started beside it is told so
        async with running_bot(settings, tmp_path) as beside:
            assert_warned_of(beside, after, database)
            await beside.stop()
        await after.stop()


@pytest.mark.timeout(120)
async def test_a_run_on_another_file_is_not_warned_about(tmp_path: Path, slack: FakeSlack) -> None:
    one, other = tmp_path / "one.sqlite3", tmp_path / "other.sqlite3"
    async with running_bot(socket_mode(slack, one), tmp_path) as first:
        async with running_bot(socket_mode(slack, other), tmp_path) as elsewhere:
            assert warnings_about_others(elsewhere) == []
            # the same file by another path: the same database, so the same lock
            (tmp_path / "sub").mkdir()
            same = tmp_path / "sub" / ".." / "one.sqlite3"
            async with running_bot(socket_mode(slack, same), tmp_path) as again:
                assert_warned_of(again, first, one)
                await again.stop()
            await elsewhere.stop()
        assert warnings_about_others(first) == []
        await first.stop()
