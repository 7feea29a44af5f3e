"""`kubecon-bot ARGS` as a real process, held at a chosen point of its first migration, for the
migration tests (tests/storage/test_migration_atomic.py). Test-only: the bot has no hook; this
wrapper listens to every SQLAlchemy engine in its own process and then runs the CLI.

    python -m tests.storage.migrator stall MARKER -- ARGS
        after `CREATE TABLE subscriptions` has run: create MARKER, then sleep (to be killed)
    python -m tests.storage.migrator race DIR N -- ARGS
        start once N processes have checked in under DIR; then, just before creating
        alembic_version, wait (up to RACE_WAIT seconds) for all N to be at that very point
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

RACE_WAIT = 3.0  # a migrator that is alone at the point (the others wait for its lock) goes on


def _rendezvous(where: Path, name: str, count: int, timeout: float) -> None:
    """Check in under `where` and wait until `count` processes have (or `timeout` passed)."""
    where.mkdir(parents=True, exist_ok=True)
    (where / f"{name}-{os.getpid()}").touch()
    deadline = time.monotonic() + timeout
    while len(list(where.glob(f"{name}-*"))) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def _stall(marker: Path) -> None:
    @sa.event.listens_for(Engine, "after_cursor_execute")
    def _after(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().startswith("CREATE TABLE subscriptions"):
            marker.touch()
            time.sleep(600)  # the test kills the process here


def _race(where: Path, count: int) -> None:
    @sa.event.listens_for(Engine, "before_cursor_execute")
    def _before(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().startswith("CREATE TABLE alembic_version"):
            _rendezvous(where, "creating", count, RACE_WAIT)

    _rendezvous(where, "start", count, 30)


def main(argv: list[str]) -> int:
    split = argv.index("--")
    mode, *options = argv[:split]
    if mode == "stall":
        _stall(Path(options[0]))
    elif mode == "race":
        _race(Path(options[0]), int(options[1]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    from bot.cli import main as cli

    sys.argv = ["kubecon-bot", *argv[split + 1 :]]
    return cli(argv[split + 1 :])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
