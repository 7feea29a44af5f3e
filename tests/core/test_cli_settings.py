"""Operator commands read only the settings they use, and take their options where people type
them (real `kubecon-bot` processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_DATABASE_URL, load_settings
from bot.daily.store import Store
from tests.conftest import ALIASES, ROOT, clean_env, run_bot

# a Slack bot token without the app token or signing secret: `run` must refuse it, but a
# report, a subscription change or an invite URL has no use for Slack settings
HALF_SLACK = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}


@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("subscriptions", "list"),
        ("takeaway",),
    ],
)
def test_database_commands_ignore_inconsistent_slack_settings(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    Store.open(url).close()  # read-only commands refuse to create a database
    env = clean_env(**HALF_SLACK, DATABASE_URL=url)
    result = run_bot(*args, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "SLACK" not in result.stderr


def test_discord_invite_url_ignores_inconsistent_slack_settings() -> None:
    env = clean_env(**HALF_SLACK, DISCORD_APPLICATION_ID="123456789012345678")
    result = run_bot("discord-invite-url", cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert "client_id=123456789012345678" in result.stdout


def test_run_still_refuses_inconsistent_slack_settings() -> None:
    result = run_bot("run", cwd=ROOT, env=clean_env(**HALF_SLACK))
    assert result.returncode == 1
    assert "configuration error: SLACK_" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("subscriptions", "list", "--database", "{url}"),
        ("subscriptions", "add", "slack", "C0123", "08:30", "UTC", "--database", "{url}"),
        ("subscriptions", "add", "--database", "{url}", "slack", "C0123"),
        ("subscriptions", "remove", "slack", "C0123", "--database", "{url}"),
        ("report", "--database", "{url}"),
    ],
)
def test_every_database_command_takes_database_after_its_action(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'given.sqlite3'}"
    default = tmp_path / "cwd"
    default.mkdir()
    if args[:2] in (("subscriptions", "list"), ("report", "--database")):
        Store.open(url).close()  # read-only commands refuse to create a database
    if args[:2] == ("subscriptions", "remove"):
        run_bot("subscriptions", "add", "slack", "C0123", "--database", url, cwd=default,
                env=clean_env())  # fmt: skip
    result = run_bot(*(a.format(url=url) for a in args), cwd=default, env=clean_env())
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "given.sqlite3").is_file()
    assert list(default.iterdir()) == []  # not the default ./kubecon-bot.sqlite3


def test_database_before_the_action_still_counts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'given.sqlite3'}"
    env = clean_env()
    run_bot("subscriptions", "--database", url, "add", "discord", "1234", cwd=tmp_path, env=env)
    result = run_bot("subscriptions", "--database", url, "list", cwd=tmp_path, env=env)
    assert "discord" in result.stdout and "1234" in result.stdout


@pytest.mark.parametrize(
    ("shards", "says"),
    [
        ({"SHARD_COUNT": "2", "SHARD_IDS": "a,b"}, "SHARD_IDS: must be shard numbers"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,5"}, "SHARD_IDS: shard 5 does not exist"),
        ({"SHARD_IDS": "1"}, "SHARD_IDS needs SHARD_COUNT"),
    ],
)
def test_run_refuses_shard_ids_it_cannot_honour(shards: dict[str, str], says: str) -> None:
    """A typo in SHARD_IDS was a traceback; ids without SHARD_COUNT ran every shard, so two
    processes meant to split the guilds both answered every message."""
    result = run_bot("run", cwd=ROOT, env=clean_env(DISCORD_TOKEN="x" * 59, **shards))
    assert result.returncode == 1
    assert f"configuration error: {says}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_run_says_at_once_which_slack_token_is_the_wrong_kind() -> None:
    """Swapped tokens were three attempts and ten seconds of "Slack unreachable"; now one line
    per variable, naming what it holds, and no token value."""
    swapped = clean_env(SLACK_BOT_TOKEN="xapp-1-A1-secretvalue", SLACK_APP_TOKEN="xoxb-1-secret")
    result = run_bot("run", cwd=ROOT, env=swapped)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "SLACK_BOT_TOKEN: must start with xoxb-: that is the app-level token" in result.stderr
    assert "SLACK_APP_TOKEN: must start with xapp-: that is the bot token" in result.stderr
    assert "secret" not in result.stderr


def test_run_refuses_admins_given_by_name_instead_of_member_id() -> None:
    """A name or an email in SLACK_ADMIN_USER_IDS made nobody an admin, without a word: the
    admin's "Fix this answer" was then refused as if they were anyone else."""
    admins = "U0ADMIN1, bob, xoxb-123-456-pastedbymistake"
    env = clean_env(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", SLACK_ADMIN_USER_IDS=admins)
    result = run_bot("run", cwd=ROOT, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "configuration error: SLACK_ADMIN_USER_IDS: item 2 of 3 is not a Slack member id" in (
        result.stderr
    )
    assert "pastedbymistake" not in result.stderr  # a token pasted there is never echoed


def test_an_empty_signing_secret_is_no_secret() -> None:
    """`SLACK_SIGNING_SECRET=` (a Kubernetes secret key with no value, a .env template) passed
    the check: the bot started, said it was ready, and refused every request from Slack as
    unsigned. An empty variable is an unset one, so the missing secret is named at start."""
    env = clean_env(SLACK_BOT_TOKEN="xoxb-1", SLACK_MODE="http", SLACK_SIGNING_SECRET="")
    result = run_bot("run", cwd=ROOT, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "configuration error: SLACK_SIGNING_SECRET is required" in result.stderr


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_empty_variables_count_as_unset(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`DISCORD_TOKEN=` beside a working Slack set-up turned Discord on, which then failed to
    log in and took the whole process (and Slack) down; `DATABASE_URL=` was an error instead
    of the default. Empty is unset, in the environment as in a .env file."""
    empty = {"DISCORD_TOKEN": "", "DATABASE_URL": "", "CONTENT_PATH": "", "SLACK_APP_TOKEN": ""}
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    if where == ".env":
        (tmp_path / ".env").write_text("".join(f"{k}=\n" for k in empty))
    else:
        for name, value in empty.items():
            monkeypatch.setenv(name, value)
    settings = load_settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s3cret")
    assert not settings.discord_enabled
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.content_path is None
    assert settings.effective_slack_mode == "http"


def test_secrets_pasted_with_a_newline_are_used_without_it(monkeypatch: pytest.MonkeyPatch):
    """`echo $SECRET > file` and `kubectl create secret --from-file` keep the newline: the
    signing secret then verified no request (every one refused as unsigned), the bot token
    was accepted. No token or secret contains whitespace, so it is dropped from all of them."""
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret\n")
    monkeypatch.setenv("SLACK_BOT_TOKEN", " xoxb-1\n")
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi\r\n")
    settings = load_settings()
    assert settings.slack_signing_secret is not None and settings.slack_bot_token is not None
    assert settings.slack_signing_secret.get_secret_value() == "s3cret"
    assert settings.slack_bot_token.get_secret_value() == "xoxb-1"
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "abc.def.ghi"


@pytest.mark.parametrize("command", [("report",), ("suggestions", "list")])
def test_days_beyond_what_retention_can_keep_is_a_usage_error(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    """`--days 100000000` was a traceback ending in "date value out of range": now argparse's
    one line, naming the option and the largest period (the longest retention)."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    Store.open(url).close()
    env = clean_env(DATABASE_URL=url)
    result = run_bot(*command, "--days", "100000000", cwd=ROOT, env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "argument --days: '100000000' is too many days: at most 36500" in result.stderr
    widest = run_bot(*command, "--days", "36500", cwd=ROOT, env=env)
    assert widest.returncode == 0, widest.stderr


def test_run_refuses_a_retention_longer_than_a_date_can_reach_back() -> None:
    """USAGE_RETENTION_DAYS=99999999 passed the check, then every prune logged "date value out
    of range" at ERROR, for as long as the bot ran, and nothing was ever forgotten."""
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", USAGE_RETENTION_DAYS="99999999"
    )
    result = run_bot("run", cwd=ROOT, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "kubecon-bot run: configuration error: USAGE_RETENTION_DAYS: " in result.stderr
    assert "36500" in result.stderr


def test_a_host_that_cannot_be_bound_is_named_with_its_variable(tmp_path: Path) -> None:
    """`HOST=not-a-host` was reported as a HEALTH_PORT problem."""
    env = clean_env(DISCORD_TOKEN="x" * 59, HOST="not-a-host.invalid", HEALTH_PORT="0")
    result = run_bot("run", cwd=tmp_path, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot serve health endpoints on not-a-host.invalid:0 (HOST, HEALTH_PORT)" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "command",
    [("ask", "what about SBOMs?"), ("subscriptions", "list"), ("report",), ("digest",)],
)
def test_a_line_of_env_that_cannot_be_parsed_is_named_with_its_file_once(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """python-dotenv says only "line 2": with variables also set in the environment and in a
    Kubernetes secret, the operator had to guess which file. Both readers of .env (`ask`
    through python-dotenv, the database commands through pydantic-settings) name it, once:
    each reading of the settings said it again, three or four times a command."""
    (tmp_path / ".env").write_text("RECORD_QUESTIONS=false\nthis line has no equals sign\n")
    proc = run_bot(*command, cwd=tmp_path, env=clean_env())
    expected = f"could not parse statement starting at line 2 of {(tmp_path / '.env').resolve()}"
    assert proc.stderr.count(expected) == 1, proc.stderr
