"""Fixtures shared by every test: the real content file and a responder over it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.content import Content, load_content
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]
ALIASES = {f.alias for f in Settings.model_fields.values() if f.alias}
SHARED = ROOT.parent / "shared"


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
    return subprocess.run(
        bot_cmd(*args),
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
