"""bot.storage.runlock in one process: which URLs take a lock and where, what the warning says,
and that a check which cannot be made never stops `run`. Two real `kubecon-bot run` processes
on one file: tests/e2e/test_sqlite_one_run.py. (flock locks belong to an open file, not to a
process, so two locks taken here conflict as two processes' would.)"""

from __future__ import annotations

import errno
import logging
import os
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.storage import runlock
from bot.storage.database import sqlite_file
from bot.storage.runlock import RunLock, lock_file, one_run, warning

pytestmark = pytest.mark.skipif(runlock.fcntl is None, reason="no fcntl: no check")

ANOTHER = "another kubecon-bot run"


def others(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if ANOTHER in r.getMessage()]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://bot:secret@127.0.0.1:9/kubecon",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///bot.sqlite3?mode=memory",
        "sqlite:///file:bot.sqlite3?uri=true",
        "mysql://bot@127.0.0.1/kubecon",  # refused when opened: no lock before that
    ],
)
def test_no_lock_where_there_is_no_sqlite_file(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with one_run(url) as held:
        assert held is None
    assert list(tmp_path.iterdir()) == []


def test_every_spelling_of_a_file_is_one_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs naming one file differently must meet on one lock file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "sub")
    expected = tmp_path.resolve() / "sub" / "bot.sqlite3"
    for url in (
        "sqlite:///sub/bot.sqlite3",
        "sqlite:///sub/../sub/bot.sqlite3",
        "sqlite:///link/bot.sqlite3",
        f"sqlite:///{tmp_path}/sub/bot.sqlite3",
    ):
        assert sqlite_file(url) == expected, url
    assert lock_file(expected) == expected.with_name("bot.sqlite3.lock")


def test_a_second_lock_warns_once_naming_the_first_and_the_first_says_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "data" / "bot.sqlite3"  # its directory is made, as the database's is
    url = f"sqlite:///{database}"
    with caplog.at_level(logging.DEBUG, logger="bot.storage.runlock"), one_run(url) as first:
        assert first is not None and others(caplog) == []
        with one_run(url) as second:
            assert second is not None
    (record,) = others(caplog)
    assert record.levelno == logging.WARNING
    assert f"(pid {os.getpid()} on host {socket.gethostname()})" in record.getMessage()
    assert str(database) in record.getMessage()


def test_a_run_that_ends_clears_its_record_unless_a_later_run_wrote_since(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.sqlite3"
    path = lock_file(database)
    held = RunLock.take(database)
    assert held is not None
    assert path.read_text() == f"{os.getpid()} {socket.gethostname()}\n"
    held.release()
    assert path.read_text() == ""  # a run started next is not told of this one
    assert path.exists()  # never deleted: a run opening it meanwhile would lock another inode

    held = RunLock.take(database)
    assert held is not None
    path.write_text(f"4242 {socket.gethostname()}\n")  # a run started since
    held.release()
    assert path.read_text() == f"4242 {socket.gethostname()}\n"


@pytest.mark.parametrize("record", [b"", b"garbage", b"12 host extra\n", b"\xff\xfe 3"])
def test_a_record_that_says_nothing_names_no_pid(record: bytes) -> None:
    line = warning(Path("/data/bot.sqlite3"), record)
    assert line.startswith(f"{ANOTHER} is using the SQLite database /data/bot.sqlite3, ")
    assert "meant for one process" in line and "PostgreSQL (DATABASE_URL)" in line


def test_a_directory_named_as_the_database_leaves_no_stray_lock_file(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    assert RunLock.take(tmp_path / "db") is None  # opening the database says what is wrong
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


def test_a_database_path_that_cannot_be_looked_at_is_one_info_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A path the system refuses to look at (here a name longer than a file name may be; a
    directory this user may not search does the same) crashed `run` with a traceback from the
    lock, before opening the database could say in one line what is wrong."""
    database = tmp_path / ("x" * 300) / "bot.sqlite3"
    with caplog.at_level(logging.INFO, logger="bot.storage.runlock"):
        assert RunLock.take(database) is None
    (record,) = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("cannot check for another kubecon-bot run on ")


def test_without_fcntl_there_is_no_check_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(runlock, "fcntl", None)
    with caplog.at_level(logging.INFO, logger="bot.storage.runlock"):
        assert RunLock.take(tmp_path / "bot.sqlite3") is None
    assert list(tmp_path.iterdir()) == []
    assert caplog.records == []  # Windows: documented, not said at every start


def test_a_filesystem_without_locks_is_one_info_line_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """flock failing for another reason than a lock held (ENOLCK: NFS without its lock
    service) must not stop `run`, nor be taken for another run."""
    real = runlock.fcntl
    assert real is not None

    def no_locks(_fd: int, _op: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    flags = {name: getattr(real, name) for name in ("LOCK_EX", "LOCK_SH", "LOCK_NB")}
    monkeypatch.setattr(runlock, "fcntl", SimpleNamespace(flock=no_locks, **flags))
    with caplog.at_level(logging.INFO, logger="bot.storage.runlock"):
        assert RunLock.take(tmp_path / "bot.sqlite3") is None
    (record,) = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("cannot check for another kubecon-bot run on ")
    assert os.strerror(errno.ENOLCK) in record.getMessage()


@pytest.mark.parametrize("then", ["shares", "stalls"])
def test_a_run_starting_in_the_instant_the_first_lets_go_is_not_missed(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    then: str,
) -> None:
    """flock does not turn an exclusive lock into a shared one atomically: it lets go first.
    Another run starting in that instant finds the file free as well and writes its record;
    then it shares the lock too, or (stalled: a starved machine) holds the exclusive lock on.
    Before, neither run warned (and in the second case this one ran without the check)."""
    database = tmp_path / "bot.sqlite3"
    path = lock_file(database)
    other_fd: list[int] = []
    share = runlock._share

    def another_run_in_the_gap(fd: int) -> bool:
        assert runlock.fcntl is not None
        runlock.fcntl.flock(fd, runlock.fcntl.LOCK_UN)  # what the conversion does first
        theirs = os.open(path, os.O_RDWR)
        other_fd.append(theirs)
        runlock.fcntl.flock(theirs, runlock.fcntl.LOCK_EX | runlock.fcntl.LOCK_NB)
        os.ftruncate(theirs, 0)
        os.pwrite(theirs, b"4242 web-2\n", 0)
        if then == "shares":
            runlock.fcntl.flock(theirs, runlock.fcntl.LOCK_SH)
        return share(fd)

    monkeypatch.setattr(runlock, "_share", another_run_in_the_gap)
    monkeypatch.setattr(runlock, "SHARED_TRIES", 3)
    try:
        with caplog.at_level(logging.DEBUG, logger="bot.storage.runlock"):
            held = RunLock.take(database)
        (record,) = others(caplog)
        assert record.levelno == logging.WARNING
        assert "(pid 4242 on host web-2)" in record.getMessage()
        assert (held is not None) == (then == "shares")
        if held is not None:
            held.release()
    finally:
        for fd in other_fd:
            os.close(fd)
