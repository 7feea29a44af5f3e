"""Slack HTTP mode on a port another process holds: `kubecon-bot run` exits 1 with one line
naming the address and the variables to change, as the health server does, not a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.e2e.running import StartError, running_bot
from tests.faults.conftest import slack_http
from tests.slack.fakeslack import FakeSlack


async def test_a_taken_port_is_one_line_naming_host_and_port(tmp_path: Path) -> None:
    fake = await FakeSlack().start()
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(StartError) as failed:
            async with running_bot(slack_http(fake, PORT=str(port)), tmp_path):
                pass
    finally:
        holder.close()
        await fake.stop()
    log = failed.value.log
    assert f"slack failed to start: cannot listen on 127.0.0.1:{port} (HOST, PORT): " in log
    assert "address already in use" in log.lower()
    assert "Traceback" not in log
