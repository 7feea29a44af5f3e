"""Fixtures shared by every test: the real content file, a responder over it, and real databases
(a SQLite file, and PostgreSQL when KUBECON_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from bot.config import Settings
from bot.core.content import Content, load_content
from bot.core.responder import Responder
from bot.daily.store import Store
from bot.storage.database import database_url

ROOT = Path(__file__).resolve().parents[1]
ALIASES = {f.alias for f in Settings.model_fields.values() if f.alias}
SHARED = ROOT.parent / "shared"
POSTGRES = os.environ.get("KUBECON_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def responder(content: Content) -> Responder:
    return Responder(content)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment minus every variable the bot reads, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in ALIASES}
    env.update(extra)
    return env


def bot_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


def run_bot(
    *args: str, cwd: Path, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`kubecon-bot ARGS` as a real process (the console script's module, same interpreter)."""
    return run_process(bot_cmd(*args), cwd=cwd, env=env, stdin=stdin)


def run_process(
    argv: list[str], *, cwd: Path, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`argv` run to its end (a minute at most), its output kept as text, its exit not
    checked: the test asserts what it expects of it."""
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def signalled_during_start_up(
    sig: int, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`kubecon-bot run` sent `sig` while it still imports what it needs to start: `-X
    importtime` writes a line per import from the first, and the signal goes once
    bot.serve.runner is being imported. What it wrote to stderr, and how it exited."""
    run = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "bot", "run"],
        cwd=cwd,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    next(line for line in run.stderr if "bot.serve.runner" in line)
    run.send_signal(sig)
    try:
        _, err = run.communicate(timeout=10)
    finally:
        run.kill()
    return subprocess.CompletedProcess(run.args, run.returncode, "", err)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    if not POSTGRES:
        pytest.skip("KUBECON_TEST_POSTGRES_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(database_url(POSTGRES))
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in POSTGRES else "?"
    try:
        yield f"{POSTGRES}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()
