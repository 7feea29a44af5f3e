"""The network path to PostgreSQL drops silently (a NAT or firewall forgets the connection, a
node goes away): no reset, no refusal, packets just vanish, here with an iptables rule on the
proxy's port. A pooled connection then used to hang for the kernel's retransmission timeout
(about a quarter of an hour), and every reply, probe and post that needed the database with it;
libpq's TCP keepalives and user timeout (bot.storage.database.POSTGRES_CONNECT) make it an error
within seconds, which the bot already handles as a database that is away."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.storage.database import Database
from tests.faults.proxy import TcpProxy

# the outer bound only keeps a regression from hanging the suite: with the kernel's defaults
# the query below would wait ~15 minutes; it is not a timing the test asserts
GIVE_UP_S = 120


def _iptables(*rule: str) -> None:
    subprocess.run(["iptables", *rule], check=True, capture_output=True)


@pytest.fixture
def drop_rules() -> Iterator[list[list[str]]]:
    """iptables rules the test adds, deleted afterwards whatever happens."""
    if os.geteuid() != 0 or shutil.which("iptables") is None:
        pytest.skip("needs root and iptables to drop packets on a port")
    added: list[list[str]] = []
    yield added
    for rule in added:
        subprocess.run(["iptables", "-D", *rule], check=False, capture_output=True)


async def test_a_silently_dropped_connection_fails_instead_of_hanging(
    pg_proxy: tuple[TcpProxy, str], drop_rules: list[list[str]]
) -> None:
    proxy, url = pg_proxy  # the proxy runs on this event loop: the database is used in threads
    database = Database.connect(url)

    def select_one() -> int:
        with database.engine.connect() as conn:  # pooled, then reused
            return conn.execute(sa.text("SELECT 1")).scalar_one()

    try:
        assert await asyncio.to_thread(select_one) == 1
        for direction in ("--dport", "--sport"):
            rule = ["OUTPUT", "-p", "tcp", "-s", "127.0.0.1", direction, str(proxy.port)]
            _iptables("-I", *rule, "-j", "DROP")
            drop_rules.append([*rule, "-j", "DROP"])
        try:
            result = await asyncio.wait_for(asyncio.to_thread(select_one), GIVE_UP_S)
        except TimeoutError:
            pytest.fail("the query hung on the silently dropped connection")
        except sa.exc.OperationalError:
            return  # an error the bot handles as a database that is away
        pytest.fail(f"the query through a dropped path returned {result!r}")
    finally:
        for rule in drop_rules:
            subprocess.run(["iptables", "-D", *rule], check=False, capture_output=True)
        drop_rules.clear()
        database.close()
