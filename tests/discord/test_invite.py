"""`kubecon-bot discord-invite-url`: the install link, from the token alone."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse

from tests.conftest import ROOT
from tests.discord.fakediscord import APP_ID, TOKEN


def test_invite_url_has_both_scopes_and_minimum_permissions(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "discord-invite-url"],
        env={**env, "DISCORD_TOKEN": TOKEN},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    query = urllib.parse.parse_qs(urllib.parse.urlparse(out).query)
    assert query["client_id"] == [APP_ID]
    assert query["scope"] == ["bot applications.commands"]
    assert int(query["permissions"][0]) == 64 | 1024 | 2048 | 16384 | 65536  # 64: reactions
    assert TOKEN not in out
    assert ROOT.exists()


def test_without_a_token_it_says_what_to_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "discord-invite-url"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("kubecon-bot discord-invite-url: set DISCORD_APPLICATION_ID")
