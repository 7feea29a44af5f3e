"""Fixtures shared by every test: the real content file and a responder over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.content import Content, load_content
from bot.core.responder import Responder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def responder(content: Content) -> Responder:
    return Responder(content)
