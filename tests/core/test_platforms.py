"""The platform registry (bot.core.platforms): what it tells the rest of the bot about Slack and
Discord, and the one-line errors an operator gets for a plugin that cannot be used."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint

import pytest

from bot.config import Settings
from bot.core.content import load_content
from bot.core.platforms import GROUP, Platform, PlatformError, discover, installed
from bot.daily.rotation import daily_reply, rotation
from tests.conftest import ROOT, clean_env


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)  # type: ignore[call-arg]


def test_reading_the_registry_loads_no_chat_sdk() -> None:
    code = (
        "import sys; from bot.core.platforms import installed; names = installed().names;"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'slack_bolt', 'slack_sdk', 'discord', 'aiohttp', 'sqlalchemy'});"
        "print(*names, '|', *heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
        env=clean_env(),
    ).stdout  # fmt: skip
    assert out.split() == ["slack", "discord", "|"]


def test_the_settings_say_which_platforms_run_and_what_to_mask() -> None:
    registry = installed()
    slack = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    assert [p.name for p in registry.enabled(settings(**slack))] == ["slack"]
    both = settings(**slack, DISCORD_TOKEN="d-1")
    assert [p.name for p in registry.enabled(both)] == ["slack", "discord"]
    assert registry.enabled(settings()) == []
    assert registry.secrets(both) == ["xoxb-1", "xapp-1", "d-1"]


def test_each_platform_says_how_its_users_address_the_bot() -> None:
    """On Discord the words go after the group's `ask` subcommand: a daily post there says
    "Ask `/kubecon ask 3`", which Discord accepts, not Slack's "/kubecon 3"."""
    custom = settings(SLACK_COMMAND="/ask")
    assert installed().invocations(custom) == {"slack": "/ask", "discord": "/kubecon ask"}
    both = installed().invocations(settings())
    assert both == {"slack": "/kubecon", "discord": "/kubecon ask"}
    content = load_content()
    post = daily_reply(content, rotation(content)[5], both["discord"])  # entry 3
    assert "Ask `/kubecon ask 3` for the full answer." in post.body


def test_the_health_probe_port_is_slacks_in_http_mode_only() -> None:
    http = settings(
        SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", SLACK_MODE="http", PORT="3111"
    )
    assert installed().web_port(http) == 3111
    socket_mode = settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    assert installed().web_port(socket_mode) is None
    assert installed().web_port(settings(DISCORD_TOKEN="d")) is None


def test_an_unknown_platform_is_named_with_the_known_ones() -> None:
    assert installed().unknown("teams") == "platform must be one of slack, discord, not 'teams'"
    assert installed().unknown("slack") is None


def test_a_plugin_that_does_not_load_is_one_line_naming_it() -> None:
    broken = EntryPoint("teams", "a_module_that_is_not_installed:TEAMS", GROUP)
    with pytest.raises(PlatformError) as raised:
        discover([broken])
    assert str(raised.value) == (
        "platform plugin 'teams' (a_module_that_is_not_installed:TEAMS) cannot be loaded: "
        "ModuleNotFoundError: No module named 'a_module_that_is_not_installed'"
    )


def test_a_plugin_that_is_not_a_platform_is_refused() -> None:
    with pytest.raises(PlatformError, match=r"^platform plugin 'odd' \(json:loads\) is a function"):
        discover([EntryPoint("odd", "json:loads", GROUP)])


def test_two_platforms_with_one_name_are_refused_naming_both() -> None:
    clash = EntryPoint("clash", "tests.core.test_platforms:SLACK_AGAIN", GROUP)
    with pytest.raises(PlatformError) as raised:
        discover([clash])
    assert str(raised.value) == (
        "two platforms are named 'slack': (bot.adapters.slack.platform:SLACK, built in) and "
        "(tests.core.test_platforms:SLACK_AGAIN); uninstall one of the packages"
    )


def test_one_declaration_found_twice_is_one_platform() -> None:
    """A package reachable from two sys.path entries (a checkout and its install) must not
    stop the bot: it is the same declaration, not a second platform."""
    twice = [EntryPoint("discord", "bot.adapters.discord.platform:DISCORD", GROUP)] * 2
    assert discover(twice).names == ("slack", "discord")


def test_a_platform_name_people_cannot_type_is_refused() -> None:
    with pytest.raises(ValueError, match="platform name 'Fake Chat'"):
        Platform("Fake Chat", "Fake Chat", bool, SLACK_AGAIN.create_service, "")


SLACK_AGAIN = Platform(
    name="slack",
    label="Slack",
    enabled=lambda s: False,
    create_service=lambda settings, bot_app, /, **_: None,  # type: ignore[arg-type,return-value]
    how_to_enable="",
)
