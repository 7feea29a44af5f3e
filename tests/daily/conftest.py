"""Fixtures for the daily-takeaway tests: a real database (SQLite file, and PostgreSQL when
KUBECON_TEST_POSTGRES_URL is set, in a schema of its own per test), the bundled content, and
a Poster that records what it was asked to post and can be told to fail."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from bot.core.content import Content, load_content
from bot.core.replies import Reply
from bot.runtime import DeliveryError
from bot.store import Store, database_url

POSTGRES = os.environ.get("KUBECON_TEST_POSTGRES_URL")


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'daily.sqlite3'}"
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


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@dataclass
class RecordingPoster:
    """A platform that keeps every post; `failures` are raised, one per call, before success."""

    platform: str = "slack"
    posts: list[tuple[str, Reply]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    calls: int = 0

    async def post(self, channel_id: str, reply: Reply) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.posts.append((channel_id, reply))

    def keys(self, channel_id: str | None = None) -> list[str]:
        return [r.meta["daily_item"] for c, r in self.posts if channel_id in (None, c)]


def rate_limited() -> DeliveryError:
    return DeliveryError("429 rate limited", retryable=True)


def channel_not_found() -> DeliveryError:
    return DeliveryError("channel_not_found", retryable=False, gone=True)
