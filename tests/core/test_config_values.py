"""A value no platform could use is refused at start-up, one line naming its variable, rather
than found by the platform's SDK as a traceback, or as retries against a network that is fine
(real `kubecon-bot` processes, as the operator runs them). Secrets are never echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings
from bot.daily.store import Store
from tests.conftest import ALIASES, clean_env, run_bot

# nothing listens on port 9 here: a start-up that got as far as the network fails fast
NOWHERE = {
    "SLACK_API_URL": "http://127.0.0.1:9/api/",
    "DISCORD_API_URL": "http://127.0.0.1:9/api/v10",
    "HEALTH_PORT": "0",
}
DISCORD_TOKEN = "MTE4MDAwMDAwMDAwMDAwMDAwMA.x.y"  # carries application id 1180000000000000000


@pytest.fixture
def no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """load_settings in this process, with no variable of the bot set and no .env."""
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused(result, says: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert says in result.stderr, result.stderr


# each secret with what else `run` needs to get as far as using it
SECRET_SETS = {
    "SLACK_BOT_TOKEN": {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"},
    "SLACK_APP_TOKEN": {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"},
    "SLACK_SIGNING_SECRET": {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"},
    "DISCORD_TOKEN": {"DISCORD_TOKEN": DISCORD_TOKEN},
}


@pytest.mark.parametrize("name", SECRET_SETS)
def test_a_secret_with_a_line_break_inside_is_named_and_never_shown(
    name: str, tmp_path: Path
) -> None:
    """A token pasted across two lines reached the SDK, which failed in an HTTP header
    ("Forbidden control character…", 30 lines of traceback) or was retried as a network
    error. The outer whitespace is dropped as before; inside, it is a mistake to name."""
    settings = dict(SECRET_SETS[name])
    settings[name] += "\npastedtail"
    result = run_bot("run", cwd=tmp_path, env=clean_env(**settings, **NOWHERE))
    _refused(result, f"kubecon-bot run: configuration error: {name}: contains a line break")
    assert "pastedtail" not in result.stderr + result.stdout


@pytest.mark.parametrize("name", SECRET_SETS)
def test_a_placeholder_from_the_example_file_is_named_as_one(name: str, tmp_path: Path) -> None:
    """`.env.example` uncommented as it is: `SLACK_BOT_TOKEN=xoxb-...` passed every check and
    `run` tried to connect with it. Three dots are in no token or secret: a placeholder."""
    settings = dict(SECRET_SETS[name])
    settings[name] = {"SLACK_BOT_TOKEN": "xoxb-...", "SLACK_APP_TOKEN": "xapp-..."}.get(name, "...")
    result = run_bot("run", cwd=tmp_path, env=clean_env(**settings, **NOWHERE))
    _refused(result, f"kubecon-bot run: configuration error: {name}: is a placeholder")


@pytest.mark.parametrize(
    ("inside", "says"),
    [
        (" ", "a space"),
        ("\t", "a tab"),
        ("\r", "a line break"),
        ("\x07", "a control character"),
        ("\u00a0", "a non-ASCII character"),  # a no-break space from a web page
        ("…", "a non-ASCII character"),
    ],
)
def test_every_kind_of_character_no_secret_has_is_named(
    inside: str, says: str, no_settings: Path
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET=f"s3c{inside}ret")
    assert str(raised.value).startswith(f"SLACK_SIGNING_SECRET: contains {says} inside it")
    assert "s3c" not in str(raised.value)


def test_the_invite_url_is_not_built_from_a_token_with_a_line_break(tmp_path: Path) -> None:
    """It printed a URL and exited 0, from a token `run` could never log in with."""
    env = clean_env(DISCORD_TOKEN=f"{DISCORD_TOKEN}\nz")
    result = run_bot("discord-invite-url", cwd=tmp_path, env=env)
    _refused(result, "kubecon-bot discord-invite-url: DISCORD_TOKEN: contains a line break")
    assert result.stdout == "" and "MTE4" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("run",),
        ("ask", "what about SBOMs?"),
        ("list",),
        ("report",),
        ("subscriptions", "list"),
        ("digest",),
        ("discord-invite-url",),
        ("healthcheck",),
    ],
)
def test_an_env_file_that_is_not_utf8_is_named_in_one_line(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    """A .env saved as UTF-16 (Windows PowerShell's `>`) was a 40-line UnicodeDecodeError
    traceback from whichever command read it first, naming no file."""
    (tmp_path / ".env").write_bytes("SLACK_BOT_TOKEN=xoxb-1-secret\n".encode("utf-16"))
    result = run_bot(*command, cwd=tmp_path, env=clean_env(**NOWHERE))
    _refused(result, f"{(tmp_path / '.env').resolve()}: not UTF-8 text")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "secret" not in result.stderr


@pytest.mark.parametrize(
    "platform",
    [
        {"DISCORD_TOKEN": DISCORD_TOKEN},
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret", "PORT": "0"},
    ],
)
def test_a_malformed_host_is_a_configuration_error(platform: dict[str, str], tmp_path) -> None:
    """`HOST=not..a.host` was "UnicodeError: encoding with 'idna' codec failed", uncaught (or
    "slack failed to start: encoding with 'idna'…" in Slack HTTP mode)."""
    result = run_bot("run", cwd=tmp_path, env=clean_env(**platform, **NOWHERE, HOST="not..a.host"))
    _refused(result, "kubecon-bot run: configuration error: HOST: 'not..a.host' is not")
    assert "idna" not in result.stderr


@pytest.mark.parametrize(
    "host",
    [
        *("127.0.0.1", "0.0.0.0", "::", "::1", "localhost", "bot-1.internal", "example.com."),
        *("kubecon_bot", "my_service.internal"),  # Docker Compose service names resolve
    ],
)
def test_hosts_that_can_be_bound_are_accepted(host: str, no_settings: Path) -> None:
    assert load_settings(HOST=host).host == host


def test_an_api_url_may_name_a_compose_service_and_a_bad_port_is_named(
    no_settings: Path,
) -> None:
    """`http://mock_slack:8080/api/` (a Compose service name) was refused as "no host"; a port
    that is no port was blamed on the host."""
    url = "http://mock_slack:8080/api/"
    assert load_settings(SLACK_API_URL=url).slack_api_url == url
    with pytest.raises(ConfigError, match=r"^SLACK_API_URL: the port must be a number"):
        load_settings(SLACK_API_URL="http://localhost:99999/api/")


@pytest.mark.parametrize("host", ["not..a.host", "0.0.0.0:8080", "http://localhost", "a b", "-x"])
def test_hosts_that_are_no_host_are_refused(host: str, no_settings: Path) -> None:
    with pytest.raises(ConfigError, match=r"^HOST: "):
        load_settings(HOST=host)


@pytest.mark.parametrize(
    ("platform", "variable"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_API_URL"),
        ({"DISCORD_TOKEN": DISCORD_TOKEN}, "DISCORD_API_URL"),
    ],
)
@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("notaurl", "must be an http:// or https:// URL"),
        ("ftp://x/", "must be an http:// or https:// URL"),
        ("http:///api/", "must be an http:// or https:// URL"),
        ("http://u:p4ss@127.0.0.1:9/api/", "must not carry a user name or password"),
    ],
)
def test_an_api_url_that_is_no_http_url_is_a_configuration_error(
    platform: dict[str, str], variable: str, url: str, says: str, tmp_path: Path
) -> None:
    """`notaurl` and `ftp://x/` were retried as if the network were down; a user:password
    part was "Cannot combine AUTHORIZATION header…" and a traceback."""
    env = clean_env(**platform, **{**NOWHERE, variable: url})
    result = run_bot("run", cwd=tmp_path, env=env)
    _refused(result, f"kubecon-bot run: configuration error: {variable}: {says}")
    assert "p4ss" not in result.stderr


def test_a_gateway_url_must_be_a_websocket_url(no_settings: Path) -> None:
    with pytest.raises(ConfigError, match=r"^DISCORD_GATEWAY_URL: must be a ws:// or wss:// URL"):
        load_settings(DISCORD_GATEWAY_URL="https://gateway.discord.gg")
    assert load_settings(DISCORD_GATEWAY_URL="ws://127.0.0.1:9").discord_gateway_url


@pytest.mark.parametrize("mode", ["Socket", "SOCKET", " socket "])
def test_slack_mode_is_read_in_any_case(mode: str, no_settings: Path) -> None:
    """`SLACK_MODE=Socket` was refused ("Input should be 'socket' or 'http'")."""
    settings = load_settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", SLACK_MODE=mode)
    assert settings.effective_slack_mode == "socket"
    assert load_settings(LOG_FORMAT="JSON").log_format == "json"


def test_a_refused_value_in_quotes_says_docker_keeps_them(tmp_path: Path) -> None:
    """`SLACK_BOT_TOKEN="xoxb-…"` in an env file: the bot's own .env reading drops the quotes,
    `docker run --env-file` keeps them, and "must start with xoxb-" did not say why a token
    that does was refused. The value itself is still never shown."""
    env = clean_env(SLACK_BOT_TOKEN='"xoxb-1-quotedsecret"', SLACK_APP_TOKEN="xapp-1", **NOWHERE)
    result = run_bot("run", cwd=tmp_path, env=env)
    _refused(result, "SLACK_BOT_TOKEN: must start with xoxb-")
    assert "the value is in quotes, which `docker run --env-file`" in result.stderr
    assert "quotedsecret" not in result.stderr
    unquoted = run_bot("run", cwd=tmp_path, env=clean_env(SLACK_BOT_TOKEN="xoxp-1", **NOWHERE))
    assert "in quotes" not in unquoted.stderr


def test_a_user_token_in_the_bot_token_says_which_token_to_copy(tmp_path: Path) -> None:
    """The OAuth & Permissions page shows a User OAuth Token (xoxp-) above the Bot User OAuth
    Token the docs say to copy: "must start with xoxb-" did not say which one was taken."""
    env = clean_env(SLACK_BOT_TOKEN="xoxp-1-usersecret", SLACK_APP_TOKEN="xapp-1", **NOWHERE)
    result = run_bot("run", cwd=tmp_path, env=env)
    _refused(
        result,
        "configuration error: SLACK_BOT_TOKEN: that is a user token (xoxp-…); copy the Bot "
        "User OAuth Token (xoxb-…) from OAuth & Permissions",
    )
    assert "usersecret" not in result.stderr


@pytest.mark.parametrize(
    ("env", "said"),
    [
        (
            {"DISCORD_TOKEN": "xapp-1-A0-123-topsecret"},
            "configuration error: DISCORD_TOKEN: is a Slack token (xoxb-/xapp-…): the Discord "
            "bot token is on the Developer Portal's Bot page",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "xoxb-1-2-topsecret"},
            "configuration error: SLACK_SIGNING_SECRET: is a token (xoxb-/xapp-…), not the "
            "signing secret: copy the Signing Secret from the app's Basic Information page",
        ),
    ],
)
def test_a_slack_token_in_another_variable_says_which_to_copy(
    env: dict[str, str], said: str, tmp_path: Path
) -> None:
    """A Slack token pasted into DISCORD_TOKEN started the bot, which then failed to log in to
    Discord; one in SLACK_SIGNING_SECRET verified no request. Said at start, value unshown."""
    result = run_bot("run", cwd=tmp_path, env=clean_env(**env, **NOWHERE))
    _refused(result, said)
    assert "topsecret" not in result.stderr


@pytest.mark.parametrize("guild", ["-5", "0", "99999999999999999999999999", "18446744073709551616"])
def test_a_guild_id_no_discord_server_has_is_a_configuration_error(guild: str, tmp_path) -> None:
    """A Discord id (snowflake) is a positive number of 64 bits: these passed the start-up
    checks and failed later, when commands were synced to that server."""
    env = clean_env(DISCORD_TOKEN=DISCORD_TOKEN, **NOWHERE, DISCORD_GUILD_ID=guild)
    result = run_bot("run", cwd=tmp_path, env=env)
    _refused(result, "configuration error: DISCORD_GUILD_ID: not a Discord id")


@pytest.mark.parametrize("guild", ["1", "42", "18446744073709551615"])
def test_any_discord_id_is_a_guild_id_small_ones_too(guild: str, no_settings: Path) -> None:
    settings = load_settings(DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_GUILD_ID=guild)
    assert settings.discord_guild_id == int(guild)


def test_the_invite_url_refuses_an_application_id_no_application_has(tmp_path: Path) -> None:
    env = clean_env(DISCORD_APPLICATION_ID="-5")
    result = run_bot("discord-invite-url", cwd=tmp_path, env=env)
    _refused(result, "kubecon-bot discord-invite-url: DISCORD_APPLICATION_ID: not a Discord id")
    assert result.stdout == ""


@pytest.mark.parametrize("channel", ["0", "99999999999999999999999999"])
def test_a_discord_channel_id_beyond_64_bits_is_not_subscribed(channel: str, tmp_path) -> None:
    """`subscriptions add discord 9999…` was stored, and failed at every daily post."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    add = ("subscriptions", "add", "discord", channel, "--database", url)
    result = run_bot(*add, cwd=tmp_path, env=clean_env())
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        f"kubecon-bot subscriptions add: channel '{channel}' is not a Discord channel id: "
    ), result.stderr
    assert not (tmp_path / "bot.sqlite3").exists()


# every yes-or-no setting, found from the settings themselves: one added later is covered too
BOOLEANS = sorted(
    str(f.alias) for f in Settings.model_fields.values() if f.annotation is bool and f.alias
)


def test_record_questions_that_is_no_yes_or_no_names_the_value_and_what_is_accepted(
    tmp_path: Path,
) -> None:
    """`RECORD_QUESTIONS=maybe kubecon-bot report` said "Input should be a valid boolean,
    unable to interpret input": pydantic's words, not which values would do."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    Store.open(url).close()  # the report gets as far as reading the setting
    env = clean_env(DATABASE_URL=url, RECORD_QUESTIONS="maybe")
    result = run_bot("report", cwd=tmp_path, env=env)
    _refused(result, "kubecon-bot report: RECORD_QUESTIONS: must be true or false")
    line = result.stderr.strip()
    assert "got maybe" in line and "valid boolean" not in line, line
    for accepted in ("yes/no", "on/off", "1/0"):
        assert accepted in line, line


@pytest.mark.parametrize("name", BOOLEANS)
def test_every_yes_or_no_setting_says_what_it_accepts(name: str, tmp_path: Path) -> None:
    result = run_bot("run", cwd=tmp_path, env=clean_env(**{name: "enabled"}, **NOWHERE))
    _refused(result, f"kubecon-bot run: configuration error: {name}: must be true or false, or ")
    assert "got enabled" in result.stderr and "Input should be" not in result.stderr


@pytest.mark.parametrize("value", ["TRUE", "Yes", "on", "1", "t", "y"])
def test_every_spelling_the_message_offers_is_accepted(value: str, no_settings: Path) -> None:
    """What the message lists is what the setting takes: a spelling it offers is never refused."""
    assert load_settings(RECORD_QUESTIONS=value, LOG_MESSAGE_TEXT=value).record_questions


@pytest.mark.parametrize("value", [" yes ", "\tno\n", " OFF"])
def test_whitespace_around_a_yes_or_no_is_dropped(
    value: str, no_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`RECORD_QUESTIONS=' yes '` was refused ("got ' yes '"), though the whitespace around a
    token or a number is dropped: so it is around a yes or no."""
    monkeypatch.setenv("RECORD_QUESTIONS", value)
    assert load_settings().record_questions is (value.strip().lower() == "yes")


def test_a_long_value_in_a_yes_or_no_setting_is_not_echoed(no_settings: Path) -> None:
    """No yes or no is 40 characters long; a token pasted into the wrong variable is."""
    with pytest.raises(ConfigError) as raised:
        load_settings(LOG_MESSAGE_TEXT="xoxb-1234567890-abcdefghijklmnopqrstuvwx")
    assert str(raised.value).startswith("LOG_MESSAGE_TEXT: must be true or false")
    assert "xoxb" not in str(raised.value) and "40 characters" in str(raised.value)


# every numeric setting with bounds, what a value out of them says, and a value beyond them
BOUNDED = {
    "PORT": ("a whole number from 1 to 65535 (the TCP port Slack's HTTP mode", "0"),
    "HEALTH_PORT": ("a whole number from 0 to 65535 (the TCP port of /healthz", "65536"),
    "SHARD_COUNT": ("a whole number of at least 1 (the total number of Discord shards", "0"),
    "USAGE_RETENTION_DAYS": ("a whole number from 1 to 36500 (how many days", "0"),
    "DISCORD_GUILD_READY_TIMEOUT": ("a number of at least 0 (how many seconds", "-1"),
}


def test_every_bounded_number_is_in_the_table() -> None:
    """A bounded setting added later gets its plain message too: this table must name it."""
    bounded = {
        str(f.alias)
        for f in Settings.model_fields.values()
        if any(hasattr(m, bound) for m in f.metadata for bound in ("ge", "gt", "le", "lt"))
    }
    assert bounded == set(BOUNDED)


@pytest.mark.parametrize("name", BOUNDED)
def test_a_number_out_of_range_says_what_the_setting_is_and_its_range(
    name: str, tmp_path: Path
) -> None:
    """`SHARD_COUNT=0`, `PORT=0`: "Input should be greater than or equal to 1", which says
    neither what the setting is nor how far it goes."""
    says, beyond = BOUNDED[name]
    env = clean_env(DISCORD_TOKEN=DISCORD_TOKEN, **{**NOWHERE, name: beyond})
    result = run_bot("run", cwd=tmp_path, env=env)
    _refused(result, f"kubecon-bot run: configuration error: {name}: must be {says}")
    assert result.stderr.rstrip().endswith(f"; got {beyond}"), result.stderr
    assert "Input should be" not in result.stderr


def test_port_zero_says_why_slack_needs_a_port_of_its_own(tmp_path: Path) -> None:
    """`HEALTH_PORT=0` picks a free port; `PORT=0` was refused with the same pydantic line as
    any other number. Slack's Request URL must name the port, so no free port will do: said."""
    env = clean_env(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s3cret", PORT="0")
    result = run_bot("run", cwd=tmp_path, env=env)
    _refused(result, "configuration error: PORT: must be a whole number from 1 to 65535")
    assert "not 0" in result.stderr and "Request URL" in result.stderr


@pytest.mark.parametrize(
    ("value", "shown"),
    [("eighty", "eighty"), ("80.5", "80.5"), ("8080/tcp", "8080/tcp")],
)
def test_a_port_that_is_no_whole_number_says_so(value: str, shown: str, no_settings: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(HEALTH_PORT=value, DISCORD_TOKEN=DISCORD_TOKEN)
    assert str(raised.value).startswith("HEALTH_PORT: must be a whole number from 0 to 65535")
    assert str(raised.value).endswith(f"; got {shown}")


def test_a_discord_id_that_is_no_number_says_where_to_copy_one(no_settings: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(DISCORD_GUILD_ID="my-server", DISCORD_TOKEN=DISCORD_TOKEN)
    assert str(raised.value) == (
        "DISCORD_GUILD_ID: must be a whole number (a Discord id: a server's menu → Copy Server "
        "ID, with Developer Mode on); got my-server"
    )


def test_an_admin_id_in_lower_case_is_named_as_meant(no_settings: Path) -> None:
    """`SLACK_ADMIN_USER_IDS=u0123abc` was "not a Slack member id" with no hint, where a
    channel id in lower case is told its capitals: an id, which is no token, is said as meant."""
    with pytest.raises(ConfigError) as raised:
        load_settings(SLACK_ADMIN_USER_IDS="U0ADMIN1,u0123abc")
    assert str(raised.value).endswith("they are in capitals: did you mean U0123ABC?")
    with pytest.raises(ConfigError) as raised:
        load_settings(SLACK_ADMIN_USER_IDS="bob")
    assert "did you mean" not in str(raised.value)
