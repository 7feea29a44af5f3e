"""PostgreSQL faults that no wait will cure, made for real on the test server: a role that may
not log in or does not exist, a database or schema that does not exist, a role that may not
create the bot's tables. `kubecon-bot run` stops at start-up with one line saying what to fix,
as it does for an unusable SQLite file, instead of retrying in the background for ever with one
ERROR line per attempt. Faults that do pass (nothing listening, too many connections) are
still waited out; and a lasting fault met after start-up is said once, not once per attempt.

Roles are cluster-wide: each test makes its own, named uniquely, and drops it after."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.core.content import Content
from bot.daily.scheduler import Scheduler
from bot.daily.store import Store
from bot.daily.timing import When
from bot.storage.database import Database, database_url
from tests.conftest import POSTGRES, bot_cmd, clean_env
from tests.daily.conftest import RecordingPoster, utc
from tests.e2e.running import running_bot
from tests.faults.conftest import slack_http
from tests.faults.proxy import TcpProxy
from tests.slack.fakeslack import FakeSlack

PASSWORD = "hunter2-secret"  # trust auth does not check it: it must never be printed


@pytest.fixture
def admin() -> Iterator[sa.Engine]:
    """The test server as its superuser, each statement committed (roles, grants)."""
    if not POSTGRES:
        pytest.skip("KUBECON_TEST_POSTGRES_URL is not set")
    engine = sa.create_engine(database_url(POSTGRES), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def names(admin: sa.Engine) -> Iterator[Callable[[str], str]]:
    """A unique name per call for a role or schema; whatever was made under it is dropped."""
    made: list[str] = []

    def name(kind: str) -> str:
        made.append(f"kb_{kind}_{uuid.uuid4().hex[:10]}")
        return made[-1]

    yield name
    with admin.connect() as conn:
        for made_name in reversed(made):
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {made_name} CASCADE"))
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": made_name}
            ).first()
            if exists:  # its grants go with DROP OWNED BY, in the one database it has any
                conn.execute(sa.text(f"DROP OWNED BY {made_name}"))
                conn.execute(sa.text(f"DROP ROLE {made_name}"))


def url_as(user: str, *, database: str | None = None, schema: str | None = None) -> str:
    """The test server's URL as `user` (with a password), another database or search_path."""
    url = sa.make_url(database_url(POSTGRES or "")).set(username=user, password=PASSWORD)
    if database:
        url = url.set(database=database)
    if schema:
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def schema_of_its_own(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    """(role, schema): a role owning a fresh schema, as the bot's own database would be, for
    a test to take something away from after start-up."""
    role, schema = names("role"), names("schema")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema} AUTHORIZATION {role}"))
    return role, schema


def schema_without_create(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    """(role, schema): a role that may log in and use a fresh schema, but not CREATE in it:
    the usual "the DBA forgot a grant" (and PostgreSQL 15's public schema for any new role)."""
    role, schema = names("role"), names("schema")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        conn.execute(sa.text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
    return role, schema


def run_until_exit(env: dict[str, str], cwd: Path, timeout: float = 30) -> tuple[int, str]:
    """`kubecon-bot run` as a real process: (exit code, stderr). One that is still running
    after `timeout` (retrying in the background) fails the test with what it logged."""
    proc = subprocess.Popen(
        bot_cmd("run"), cwd=cwd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"kubecon-bot run still running after {timeout:g} s:\n{err.decode()[-3000:]}")
    return proc.returncode, err.decode()


def nologin(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    role = names("role")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} NOLOGIN"))
    return url_as(role), "is not permitted to log in"


def no_such_role(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    return url_as(names("role")), "does not exist"


def no_such_database(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    return url_as("postgres", database=names("db")), "does not exist"


def no_create_in_schema(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    role, schema = schema_without_create(admin, names)
    return url_as(role, schema=schema), f"permission denied for schema {schema}"


def no_such_schema(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    return url_as("postgres", schema=names("schema")), "no schema has been selected"


def unknown_server_setting(admin: sa.Engine, names: Callable[[str], str]) -> tuple[str, str]:
    """A server setting in the URL's options that does not exist (here, a mis-escaped
    search_path, "search_path%"): refused at every log-in until the URL changes."""
    url = sa.make_url(url_as("postgres")).update_query_dict({"options": "-csearch_path%=x"})
    return url.render_as_string(hide_password=False), "unrecognized configuration parameter"


LASTING = {
    "role without LOGIN": (nologin, "may log in"),
    "server setting that does not exist": (unknown_server_setting, "DATABASE_URL's options"),
    "role that does not exist": (no_such_role, "may log in"),
    "database that does not exist": (no_such_database, "create the database"),
    "role without CREATE on its schema": (no_create_in_schema, "GRANT"),
    "schema that does not exist": (no_such_schema, "create the schema"),
}


@pytest.mark.parametrize("case", LASTING, ids=list(LASTING))
def test_a_postgres_fault_no_wait_cures_stops_run_with_one_line(
    case: str, admin: sa.Engine, names: Callable[[str], str], tmp_path: Path
) -> None:
    """It was retried in the background for ever (1 s, 2 s, … 60 s), one ERROR line per
    attempt, the bot ready while no daily post or subscription could ever work."""
    make, fix = LASTING[case]
    url, says = make(admin, names)
    env = clean_env(
        DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", HEALTH_PORT="0"
    )
    code, stderr = run_until_exit(env, tmp_path)
    assert code == 1, stderr[-3000:]
    said = [line for line in stderr.splitlines() if says in line]
    assert len(said) == 1, stderr[-3000:]  # one line, naming the fault
    assert said[0].startswith("kubecon-bot run: configuration error: DATABASE_URL: ")
    shown = sa.make_url(url).render_as_string(hide_password=True)
    assert shown in said[0] and fix in said[0], said[0]
    assert PASSWORD not in stderr and "Traceback" not in stderr
    assert "retrying" not in stderr


@pytest.mark.parametrize("fault", ["nothing listening", "too many connections for the role"])
@pytest.mark.timeout(90)
async def test_a_postgres_fault_that_passes_is_still_waited_out(
    fault: str, admin: sa.Engine, names: Callable[[str], str], tmp_path: Path
) -> None:
    """What waiting cures does not stop start-up: the bot starts, answers and retries."""
    if fault == "nothing listening":
        url = url_as("postgres").replace(":5432/", ":9/")
    else:  # refused at connect with 53300, which another replica disconnecting cures
        role = names("role")
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0"))
        url = url_as(role)
    fake = await FakeSlack().start()
    try:
        async with running_bot(slack_http(fake, DATABASE_URL=url), tmp_path) as bot:
            deadline = time.monotonic() + 30
            while "retrying in the background" not in bot.log:
                assert time.monotonic() < deadline, bot.log[-3000:]
                await asyncio.sleep(0.1)
            log = await bot.stop()
    finally:
        await fake.stop()
    assert "Traceback" not in log and PASSWORD not in log


@pytest.mark.timeout(110)
async def test_a_lasting_fault_met_after_start_up_is_said_once_and_cured_without_restart(
    admin: sa.Engine, names: Callable[[str], str], tmp_path: Path
) -> None:
    """The database is away at start (its network cut), so `run` starts and retries; once
    back, the role turns out not to have CREATE on its schema. That was one ERROR line per
    attempt for as long as the bot ran, none saying it would never pass. Now: one ERROR that
    says so and what to grant, its repeats at DEBUG; and once granted, the bot migrates and
    carries on without a restart."""
    role, schema = schema_without_create(admin, names)
    proxy = await TcpProxy("127.0.0.1", 5432).start(open=False)
    url = url_as(role, schema=schema).replace(":5432/", f":{proxy.port}/")
    fake = await FakeSlack().start()
    try:
        async with running_bot(slack_http(fake, DATABASE_URL=url, LOG_LEVEL="DEBUG"), tmp_path) as (
            bot
        ):
            await until(lambda: "daily posts wait, retrying" in bot.log, bot)
            proxy.restore()
            denied = f"permission denied for schema {schema}"
            await until(lambda: bot.log.count(denied) >= 3, bot)  # said once, then repeats
            with admin.connect() as conn:
                conn.execute(sa.text(f"GRANT CREATE ON SCHEMA {schema} TO {role}"))
            await until(lambda: "database schema migrated" in bot.log, bot)
            log = await bot.stop()
    finally:
        await proxy.stop()
        await fake.stop()
    errors = [line for line in log.splitlines() if denied in line and " ERROR " in line]
    assert len(errors) == 1, log[-3000:]
    assert "waiting will not fix it" in errors[0] and "GRANT" in errors[0], errors[0]
    assert "Traceback" not in log and PASSWORD not in log


async def until(done: Callable[[], bool], bot: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, getattr(bot, "log", "")[-3000:]
        await asyncio.sleep(0.1)


async def test_a_lasting_fault_in_the_scheduler_loop_is_one_error_not_one_per_tick(
    admin: sa.Engine,
    names: Callable[[str], str],
    content: Content,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """After start-up, the role loses its rights on the bot's tables (a REVOKE, a restored
    dump with other owners): every tick logged one ERROR, "database unavailable", for ever."""
    role, schema = schema_of_its_own(admin, names)
    store = await asyncio.to_thread(Store.open, url_as(role, schema=schema))
    try:
        when = When(dt.time(9), "UTC")
        await asyncio.to_thread(store.subscribe, "slack", "C1", when, now=utc(2026, 11, 1))
        with admin.connect() as conn:  # the owner's own rights, taken away
            conn.execute(sa.text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}"))
        clock = lambda: utc(2026, 11, 2, 9, 0)  # noqa: E731
        poster = RecordingPoster("slack")
        scheduler = Scheduler(store, {"slack": poster}, content, clock=clock, interval=0.05)
        with caplog.at_level(logging.DEBUG, logger="bot.daily.scheduler"):
            await scheduler.start()
            deadline = time.monotonic() + 20
            while sum("permission denied" in r.getMessage() for r in caplog.records) < 4:
                assert time.monotonic() < deadline, caplog.text[-3000:]
                await asyncio.sleep(0.05)
            await scheduler.stop()
    finally:
        store.close()
    errors = [
        r for r in caplog.records if r.levelno >= logging.ERROR and "denied" in r.getMessage()
    ]
    assert len(errors) == 1, caplog.text[-3000:]
    assert "waiting will not fix it" in errors[0].getMessage()
    assert poster.posts == []


async def test_tables_gone_while_running_say_a_restart_recreates_them(
    admin: sa.Engine,
    names: Callable[[str], str],
    content: Content,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The bot's database dropped and created again while it runs: the advice was "check that
    it is the bot's database", which it was; what mends it is a restart, which migrates."""
    role, schema = schema_of_its_own(admin, names)
    store = await asyncio.to_thread(Store.open, url_as(role, schema=schema))
    try:
        with admin.connect() as conn:  # the tables gone, the schema (the database) still there
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {schema} AUTHORIZATION {role}"))
        scheduler = Scheduler(store, {"slack": RecordingPoster("slack")}, content, interval=0.05)
        with caplog.at_level(logging.ERROR, logger="bot.daily.scheduler"):
            await scheduler.start()
            deadline = time.monotonic() + 20
            while "waiting will not fix it" not in caplog.text:
                assert time.monotonic() < deadline, caplog.text[-3000:]
                await asyncio.sleep(0.05)
            await scheduler.stop()
    finally:
        store.close()
    assert "restart `kubecon-bot run`, which creates them as it starts" in caplog.text


def test_a_full_sqlite_disk_is_waited_out_not_called_lasting(tmp_path: Path) -> None:
    """SQLite's "database or disk is full" (here a real one: the file capped at its size with
    max_page_count) passes once a disk is freed: the scheduler logged it as "waiting will not
    fix it", as if the file were no database."""
    database = Database.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    try:
        with database.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
            conn.exec_driver_sql("CREATE TABLE filler (blob TEXT)")  # needs a page: refused
    except sa.exc.OperationalError as err:
        assert "full" in str(err)
        assert database.lasting(err) is None
    else:
        pytest.fail("SQLite took a table beyond max_page_count")
    finally:
        database.close()
