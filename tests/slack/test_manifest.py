"""The app manifests a user pastes into Slack must match what the adapter serves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from bot.adapters.slack.corrections import FIX_CALLBACK
from bot.adapters.slack.service import EVENTS_PATH
from bot.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "slack"


@pytest.mark.parametrize("name", ["manifest.yaml", "manifest-http.yaml"])
def test_manifest_matches_the_adapter(name: str):
    manifest = yaml.safe_load((DEPLOY / name).read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == Settings(_env_file=None).slack_command  # type: ignore[call-arg]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "app_mentions:read", "chat:write"} <= scopes
    # "Fix this answer" on a message's menu: the callback the adapter listens to
    [shortcut] = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", FIX_CALLBACK)
    assert shortcut["name"] == "Fix this answer" and len(shortcut["description"]) <= 150
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_mention"]
    assert settings["interactivity"]["is_enabled"] is True
    http = name == "manifest-http.yaml"
    assert settings["socket_mode_enabled"] is not http
    urls = [
        command.get("url"),
        settings["event_subscriptions"].get("request_url"),
        settings["interactivity"].get("request_url"),
    ]
    if http:
        assert all(urlparse(u).path == EVENTS_PATH for u in urls)
    else:
        assert urls == [None, None, None]
