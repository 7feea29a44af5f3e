"""Telling a `kubecon-bot run` that another one is using its SQLite file.

SQLite is for one process (docs/operations.md). Two runs on one file stay correct (the ledger
posts each daily takeaway once, a migration takes the file's write lock, Slack's redeliveries
are de-duplicated in the file), but each answers what reaches it, the two contend for the
file's write lock, and an operator who started the second by mistake (two terminals, a systemd
unit plus a manual run, a Compose service scaled to 2 on a shared volume) had no sign of it.

How: every `run` on a SQLite file holds a shared `flock` on `<file>.lock` for as long as it
runs; starting, it first asks for the exclusive lock, which it gets only if no other run holds
the file. The kernel drops a process's locks when the process ends, however it ends (SIGKILL,
the OOM killer, a container killed), so a lock is never stale: nothing to clean up before a
restart, nothing an operator must delete. Shared rather than held by the first run alone, so
the check lasts while any other run is left: a unit restarted while a manual run is up is told
of the manual one, though the run that first held the file has gone. The file holds the pid and
host of the last run to start, which the warning names; a run that ends clears it if it still
names that run. Only `run` takes the lock: the other commands that write (`subscriptions add`,
`suggestions accept`, `chat --record`) are short, SQLite's busy timeout serialises them with a
running bot, and docs/operations.md has them share its file; read-only ones (`report`, `digest
--preview`, `healthcheck`…) neither take nor wait for it. PostgreSQL and in-memory URLs take
none.

Warn, not stop. A second run on the file is a mistake in the shapes where one process owns a
connection (two Discord gateway sessions on one token both get every mention: the first to
record its id through the file answers, but the gateway traffic doubles), but not in every
two-process use of one file: Slack gives each Socket Mode event to one of an app's connections
and each HTTP request to one process, its retries and Discord's duplicates are de-duplicated
through the file (bot.storage.seen), and a split deployment serves Slack from one process and
Discord from another (bot.serve.compose). A new process started while the old one still drains
(up to 10 s after SIGTERM) sees the old one's lock too: stopping then would turn a restart into
a failure and a back-off. Nor would stopping prevent double answers: two runs on two files (two
hosts, each with its own) answer twice all the same (each de-duplicates per process), because
the rule (one gateway session per token) is the platform's, not the database's. And a check
that can stop the bot makes a false alarm (a filesystem whose locks misbehave) an outage, where
a warning costs one line. So the run that starts second (of two started in the same instant,
one of them) logs one WARNING saying what is wrong and what to use instead, and runs; the other
says nothing (nothing polls the lock: it never learns of the second).

Not the `filelock` package: its operating-system lock is exclusive only (its reader/writer
locks are SQLite transactions or marker files), and it records no holder for whoever cannot
take it; what this needs, a lock every run shares and the pid of who holds it, is `fcntl.flock`
and a few lines. Where `fcntl` does not exist (Windows) there is no check.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from bot.storage.database import sqlite_directory, sqlite_file

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: no flock, no check
    fcntl = None

log = logging.getLogger(__name__)

SUFFIX = ".lock"
# another run holds the exclusive lock only between its check and its first write of the record
SHARED_TRIES, SHARED_PAUSE_S = 100, 0.01
# what flock(LOCK_NB) says when another holds a conflicting lock (EACCES on some filesystems)
HELD = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})


def lock_file(database: Path) -> Path:
    """Where the runs on `database` hold their lock: beside it, `<file>.lock`."""
    return database.with_name(database.name + SUFFIX)


class RunLock:
    """This run's shared lock on a SQLite file's lock file, held until `release`."""

    def __init__(self, fd: int, record: bytes) -> None:
        self._fd = fd
        self._record = record  # what this run wrote there (empty: it could not write)

    @classmethod
    def take(cls, database: Path) -> RunLock | None:
        """Hold the lock on `database` (resolved: `sqlite_file`), saying in one WARNING line if
        another run holds it too. None where there is no check: no `fcntl`, or a lock file that
        cannot be opened or locked (said in one INFO line: the bot runs all the same)."""
        if fcntl is None:
            log.debug("no fcntl here: not checking for another kubecon-bot run on %s", database)
            return None
        try:
            if database.is_dir():  # no database: opening it says so, and `run` stops
                return None
            fd, writable = _open(lock_file(database))
        except OSError as err:  # a directory this user may not search, a name too long…
            _cannot_check(database, err)  # opening the database says what is wrong, if it is
            return None
        try:
            alone = _try_lock(fd, fcntl.LOCK_EX)
            other = b"" if alone else _read(fd)
            record = _sign(fd) if writable else b""
            held = _share(fd)
            if alone and (not held or (record and _read(fd) != record)):
                # flock turns the exclusive lock into a shared one by letting go first: a run
                # starting at that instant found the file free too, and wrote its record since
                # (or holds the lock yet). Without this, neither of two runs started together
                # warned.
                alone, other = False, _read(fd)
        except OSError as err:
            os.close(fd)
            _cannot_check(database, err)
            return None
        if not alone:
            log.warning(warning(database, other))
        if not held:  # another run kept the exclusive lock throughout: not to be waited for
            os.close(fd)
            return None
        return cls(fd, record)

    def release(self) -> None:
        """Let go of the lock (the kernel would at exit too), clearing the record if it still
        names this run: a run started later is then not told of one that has gone."""
        with contextlib.suppress(OSError):
            if self._record and _read(self._fd) == self._record:
                os.ftruncate(self._fd, 0)
        os.close(self._fd)


@contextlib.contextmanager
def one_run(url: str) -> Iterator[RunLock | None]:
    """For `kubecon-bot run`: the lock on the SQLite file `url` names, held inside the block.
    None for PostgreSQL, in-memory SQLite, and where there is no check."""
    database = sqlite_file(url)
    held = RunLock.take(database) if database is not None else None
    try:
        yield held
    finally:
        if held is not None:
            held.release()


def warning(database: Path, other: bytes) -> str:
    """The one line a run that is not alone on `database` logs; `other` the lock file's record
    of the last run to start (empty, or not ours to read: no pid named)."""
    who = _holder(other)
    return (
        f"another kubecon-bot run{f' ({who})' if who else ''} is using the SQLite database "
        f"{database}, which is meant for one process: starting anyway, and each run answers "
        "what reaches it (Discord sends both every event, answered once through this file); "
        "for several replicas, use PostgreSQL (DATABASE_URL)"
    )


def _holder(record: bytes) -> str:
    """The record `_record` wrote as "pid 4242 on host web-1"; "" for anything else."""
    parts = record.decode("utf-8", "replace").split()
    if len(parts) != 2 or not parts[0].isdigit():
        return ""
    return f"pid {parts[0]} on host {parts[1]}"


def _record() -> bytes:
    """This run as the lock file records it: pid and host (in a container, its id), since a pid
    alone names nothing when the runs are containers sharing a volume."""
    return f"{os.getpid()} {socket.gethostname()}\n".encode()


def _open(path: Path) -> tuple[int, bool]:
    """The lock file's descriptor, created if need be (and its directory, as opening the
    database would), and whether this run may write it: one made by another user's run is
    locked read-only (a lock needs no write access). O_NOFOLLOW: a symlink planted in the
    database's directory is not followed to truncate another file."""
    sqlite_directory(path)
    flags = os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(path, os.O_RDWR | flags, 0o644), True
    except PermissionError:
        return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), False


def _try_lock(fd: int, kind: int) -> bool:
    """`flock(kind)` without waiting: True if granted, False if another run holds a lock that
    conflicts; OSError for anything else (ENOLCK on a filesystem without locks)."""
    assert fcntl is not None
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except OSError as err:
        if err.errno in HELD:
            return False
        raise
    return True


def _share(fd: int) -> bool:
    """Hold the shared lock (from the exclusive one, or from none). Another run starting at the
    same moment holds the exclusive one only until it has written its record: a few tries a
    hundredth of a second apart, never an unbounded wait at start-up."""
    assert fcntl is not None
    for _ in range(SHARED_TRIES):
        if _try_lock(fd, fcntl.LOCK_SH):
            return True
        time.sleep(SHARED_PAUSE_S)
    return False


def _read(fd: int) -> bytes:
    return os.pread(fd, 256, 0)


def _sign(fd: int) -> bytes:
    """Write this run's record in the lock file; what was written (b"" if it could not be: a
    full disk costs the next warning its pid, not this run its lock)."""
    record = _record()
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
    except OSError:
        return b""
    return record


def _cannot_check(database: Path, err: OSError) -> None:
    """One INFO line: not a fault of the bot's, and no reason to stop it."""
    why = err.strerror or str(err)
    log.info("cannot check for another kubecon-bot run on %s: %s", database, why)
