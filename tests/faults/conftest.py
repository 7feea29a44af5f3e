"""PostgreSQL behind a TCP proxy the test cuts and restores; the settings of a real
`kubecon-bot run` in Slack HTTP mode against a fake Slack."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa

from bot.storage.database import database_url
from tests.conftest import POSTGRES
from tests.faults.proxy import TcpProxy
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, free_port
from tests.slack.fakeslack import FakeSlack


@pytest.fixture
async def pg_proxy() -> AsyncIterator[tuple[TcpProxy, str]]:
    """(proxy, URL of a fresh schema reached through it). PostgreSQL only: SQLite has no
    network to cut."""
    if not POSTGRES:
        pytest.skip("KUBECON_TEST_POSTGRES_URL is not set")
    url = sa.make_url(database_url(POSTGRES))
    proxy = await TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    through = url.set(host="127.0.0.1", port=proxy.port).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield proxy, through.render_as_string(hide_password=False)
    finally:
        await proxy.stop()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema (no proxy)."""
    if not POSTGRES:
        pytest.skip("KUBECON_TEST_POSTGRES_URL is not set")
    url = sa.make_url(database_url(POSTGRES))
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def midday_zone() -> str:
    """An IANA zone where it is about noon now: a test that checks "one post today" must not
    straddle the zone's midnight (a new local day is due again)."""
    from bot.core.clock import utcnow

    ahead = 12 - utcnow().hour  # hours ahead of UTC, -11 … 12
    return "UTC" if ahead == 0 else f"Etc/GMT{-ahead:+d}"  # Etc/GMT-3 is UTC+3


def slack_http(fake: FakeSlack, **extra: str) -> dict[str, str]:
    """`kubecon-bot run` settings: Slack HTTP mode against `fake`, on a port free just now
    (`running_bot` retries another if it was taken), plus `extra`."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_MODE": "http",
        "SLACK_API_URL": fake.api_url,
        "PORT": str(free_port()),
        **extra,
    }
