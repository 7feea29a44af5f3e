"""A migration on SQLite completes or leaves nothing behind, and SQLite files are migrated by one
process at a time (bot.storage.database.migrate).

Before, sqlite3 committed each CREATE on its own: a first start interrupted part-way (disk full,
kill -9) left tables but no alembic_version row, and every later start failed for ever with
"table subscriptions already exists"; two processes starting on a fresh file together both
created alembic_version, and one failed. Real SQLite files and real processes throughout; the
failures are injected from SQLAlchemy events (here, or in tests/storage/migrator.py)."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.daily.store import Store
from bot.daily.timing import When
from bot.storage.database import Database, DatabaseError, _engine, migrate
from tests.conftest import clean_env

ROOT = Path(__file__).resolve().parents[2]
HEAD = "0009"
T = dt.datetime(2026, 11, 1, 8, 0)  # raw rows, as an earlier release wrote them
NOW = T.replace(tzinfo=dt.UTC)


class DiskFullError(sqlite3.OperationalError):
    """What SQLite says when the disk fills up mid-migration."""

    def __init__(self) -> None:
        super().__init__("database or disk is full")


@contextmanager
def disk_full_after(prefix: str) -> Iterator[None]:
    """The first statement starting with `prefix` runs, then the disk is full (in this
    process, on every engine, for the duration of the block)."""
    fired: list[str] = []

    def after(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not fired and statement.lstrip().startswith(prefix):
            fired.append(statement)
            raise DiskFullError

    sa.event.listen(Engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        sa.event.remove(Engine, "after_cursor_execute", after)
    assert fired, f"no statement started with {prefix!r}"


def version(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {r[0] for r in rows}


def works(url: str) -> None:
    """The app works on the database: a subscription is added and read back."""
    store = Store.open(url)
    try:
        store.subscribe("slack", "C0X", When(dt.time(8, 30), "UTC"), now=NOW)
        assert store.get("slack", "C0X") is not None
    finally:
        store.close()


@pytest.mark.parametrize(
    "prefix",
    ["CREATE TABLE subscriptions", "CREATE TABLE deliveries", "CREATE INDEX ix_votes_at"],
    ids=["first-table", "second-migration", "mid-third-migration"],
)
def test_a_first_migration_failing_part_way_leaves_nothing_and_the_next_start_works(
    tmp_path: Path, prefix: str
) -> None:
    path = tmp_path / "bot.sqlite3"
    url = f"sqlite:///{path}"
    with disk_full_after(prefix), pytest.raises(DatabaseError, match="disk is full"):
        Database.open(url)
    assert version(path) is None
    assert tables(path) == set(), "a failed migration left tables behind"
    database = Database.open(url)
    database.close()
    assert version(path) == HEAD
    works(url)


def test_an_upgrade_failing_part_way_keeps_the_old_schema_and_its_rows(tmp_path: Path) -> None:
    """0007 rebuilds subscriptions on SQLite and sets the ledger aside meanwhile: a failure
    after the ledger was dropped must not lose it (before, each DROP and CREATE was committed
    on its own, and the next start failed on the leftover `_ledger_0007`)."""
    path = tmp_path / "bot.sqlite3"
    url = f"sqlite:///{path}"
    engine = _engine(url)
    migrate(engine, "0006")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO subscriptions (id, platform, channel_id, workspace_id, at, tz,"
                " source, paused, since, created_at, updated_at) VALUES (1, 'slack', 'C1', 'T1',"
                " '08:30', 'UTC', 'chat', false, :t, :t, :t)"
            ),
            {"t": T},
        )
        conn.execute(
            sa.text(
                "INSERT INTO deliveries (subscription_id, local_date, item_key, status, holder,"
                " attempts, claimed_at, sent_at, updated_at) VALUES (1, '2026-11-01', 'k1',"
                " 'sent', 'a', 1, :t, :t, :t)"
            ),
            {"t": T},
        )
    with (
        disk_full_after("CREATE TABLE _alembic_tmp_subscriptions"),
        pytest.raises(sa.exc.OperationalError),
    ):
        migrate(engine)
    engine.dispose()
    assert version(path) == "0006"
    assert "_ledger_0007" not in tables(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM deliveries").fetchone() == (1,)
    store = Store.open(url)
    try:
        assert store.get("slack", "C1") is not None
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT item_key FROM deliveries")).all()
        assert [r.item_key for r in rows] == ["k1"]
    finally:
        store.close()
    assert version(path) == HEAD


def wrapped(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.storage.migrator", *args]


def add(channel: str) -> tuple[str, ...]:
    return ("subscriptions", "add", "slack", channel)


def env() -> dict[str, str]:
    return clean_env(PYTHONPATH=str(ROOT))


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_process_killed_during_its_first_migration_leaves_a_file_the_next_start_can_use(
    tmp_path: Path,
) -> None:
    """The operator's report: `kubecon-bot subscriptions add` killed (-9) just after creating
    its first table; every later command failed on "table subscriptions already exists"."""
    path = tmp_path / "k.db"
    url = f"sqlite:///{path}"
    marker = tmp_path / "created"
    proc = subprocess.Popen(
        wrapped("stall", str(marker), "--", *add("C0X"), "--database", url),
        cwd=tmp_path,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "never reached CREATE TABLE subscriptions"
            time.sleep(0.01)
    finally:
        proc.kill()  # SIGKILL: no cleanup of any kind
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    added = cli("subscriptions", "add", "slack", "C0X", "--database", url, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    listed = cli("subscriptions", "list", "--database", url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "C0X" in listed.stdout
    assert version(path) == HEAD


@pytest.mark.timeout(90)
def test_two_processes_migrating_one_fresh_file_together_both_succeed(tmp_path: Path) -> None:
    """Both start at once (a rendezvous) and, were nothing to stop them, would both be about to
    create alembic_version at once (a second rendezvous, which gives up after a few seconds
    when the other process is not coming: it waits for the first one's lock)."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    where = tmp_path / "rendezvous"
    procs = [
        subprocess.Popen(
            wrapped("race", str(where), "2", "--", *add(channel), "--database", url),
            cwd=tmp_path,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for channel in ("C0A", "C0B")
    ]
    results = [proc.communicate(timeout=80) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _out, err in results]
    listed = cli("subscriptions", "list", "--database", url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "C0A" in listed.stdout and "C0B" in listed.stdout


def test_several_opening_one_fresh_file_at_once_all_open_it(tmp_path: Path) -> None:
    """Replicas (or `subscriptions add` beside a starting `run`) opening a new file together:
    each connection turns the file to WAL first, which on a file still in rollback mode takes
    an exclusive lock; SQLite refuses one of two such connections at once, "database is
    locked", without waiting out the busy timeout (waiting would deadlock). CI saw one of two
    processes fail so; here four threads race on a fresh file, round after round."""
    failures: list[str] = []

    def open_it(url: str, start: threading.Barrier) -> None:
        start.wait()
        try:
            Database.open(url).close()
        except DatabaseError as err:
            failures.append(str(err))

    for round_ in range(40):
        url = f"sqlite:///{tmp_path / f'bot{round_}.sqlite3'}"
        start = threading.Barrier(4)
        threads = [threading.Thread(target=open_it, args=(url, start)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert version(tmp_path / f"bot{round_}.sqlite3") == HEAD
    assert failures == []


def test_opening_a_migrated_file_neither_takes_nor_waits_for_the_write_lock(
    tmp_path: Path,
) -> None:
    """Every command opens the database through `migrate`, which on SQLite took the file's one
    write lock (BEGIN IMMEDIATE) even when the schema was up to date: `report` or `subscriptions
    list` waited for whatever held it (failing with "database is locked" after the 30 s busy
    timeout), and held up `run`'s writes while it checked. In WAL mode a read needs no lock:
    here another connection holds the write lock throughout, and the read-only open and a read
    go through at once."""
    path = tmp_path / "bot.sqlite3"
    url = f"sqlite:///{path}"
    Database.open(url).close()
    holding, done = threading.Event(), threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM seen_events")
        holding.set()
        done.wait(10)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    try:
        store = Store(Database.open(url, create=False))
        assert store.subscriptions() == []
        store.close()
    finally:
        waited = time.monotonic() - started
        done.set()
        thread.join()
    assert waited < 5, f"opening waited {waited:.1f} s for another connection's write lock"
