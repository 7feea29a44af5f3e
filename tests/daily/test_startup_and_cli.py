"""Start-up (database + configured subscriptions) and the operator commands."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from bot.adapters.terminal.render import render
from bot.cli import main
from bot.config import load_settings
from bot.core.content import Content
from bot.core.platforms import installed
from bot.daily.rotation import daily_reply, rotation
from bot.daily.store import CHAT, CONFIG, Store
from bot.daily.timing import When
from bot.serve.compose import compose
from bot.serve.metrics import Metrics
from tests.daily.conftest import utc


def test_startup_merges_configured_subscriptions_with_chat_ones(
    db_url: str, content: Content, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.serve.compose")
    chat = Store.open(db_url)
    chat.subscribe("discord", "CHAT", When(), now=utc(2026, 11, 1, 0, 0))
    chat.close()
    file = tmp_path / "subs.yaml"
    file.write_text("- {platform: slack, channel: CFG, time: '07:00', tz: Asia/Tokyo}\n")
    settings = load_settings(
        DATABASE_URL=db_url, SUBSCRIPTIONS_FILE=file, DAILY_SUBSCRIPTIONS="slack:CENV 18:00"
    )
    store = (
        compose(settings, installed(), content, None, Metrics(process=False)).stages[-1][0].store
    )
    subs = {s.channel_id: s for s in store.subscriptions()}
    assert {c: s.source for c, s in subs.items()} == {"CHAT": CHAT, "CFG": CONFIG, "CENV": CONFIG}
    assert subs["CFG"].when == When(dt.time(7, 0), "Asia/Tokyo")
    store.close()

    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    # this process serves no platform: the subscriptions are another process's to post, said
    # once (a daily post nobody sends was silent)
    said = [r.getMessage() for r in caplog.records if "posted by a process" in r.getMessage()]
    assert said == [
        "configured daily subscriptions on slack are posted by a process that serves it, "
        "not this one"
    ]
    caplog.clear()

    file.write_text("[]\n")  # removed from the config: gone at the next start-up
    settings = load_settings(DATABASE_URL=db_url, SUBSCRIPTIONS_FILE=file)
    store = (
        compose(settings, installed(), content, None, Metrics(process=False)).stages[-1][0].store
    )
    assert [s.channel_id for s in store.subscriptions()] == ["CHAT"]
    store.close()
    # what a replica started without the shared list does to everyone's: said as a warning
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == ["configured daily subscriptions: 0 listed, 2 removed"]


def test_default_sqlite_file_is_created_where_the_url_says(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Where the URL says, creating its directory if need be; that is a warning, as a
    mistyped volume ("/dta/…" for "/data/…") would start an empty database nobody meant. A
    new file in a directory that is there is no news."""
    url = f"sqlite:///{tmp_path / 'state' / 'kubecon-bot.sqlite3'}"
    with caplog.at_level(logging.WARNING):
        Store.open(url).close()
    assert (tmp_path / "state" / "kubecon-bot.sqlite3").is_file()
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [
        f"created the directory {tmp_path.resolve() / 'state'} for a new SQLite database: if "
        "the bot's data should be there already, check the path in DATABASE_URL"
    ]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        Store.open(f"sqlite:///{tmp_path / 'state' / 'other.sqlite3'}").close()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_directory_that_cannot_be_created_is_not_said_to_be(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A SQLite path under a file (or /proc) cannot have its directory created: the error says
    so, and no warning before it says the directory was being created."""
    (tmp_path / "plain").write_text("a file, not a directory")
    with caplog.at_level(logging.WARNING), pytest.raises(Exception, match="plain"):
        Store.open(f"sqlite:///{tmp_path / 'plain' / 'sub' / 'bot.sqlite3'}")
    assert not [r for r in caplog.records if "directory" in r.getMessage()]


def test_cli_subscriptions_add_list_remove(db_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["subscriptions", "--database", db_url, "add", "slack", "C1", "8:15", "UTC"]) == 0
    assert main(["subscriptions", "--database", db_url, "add", "slack", "C2", "99:00"]) == 2
    assert main(["subscriptions", "--database", db_url, "list"]) == 0
    out = capsys.readouterr()
    assert "08:15 UTC" in out.out and "C2" not in out.out
    assert "kubecon-bot subscriptions add: “99:00” is not a time of day" in out.err
    assert "Nothing was changed." in out.err
    assert main(["subscriptions", "--database", db_url, "remove", "slack", "C1"]) == 0
    assert main(["subscriptions", "--database", db_url, "remove", "slack", "C1"]) == 1
    main(["subscriptions", "--database", db_url, "list"])
    assert "no subscriptions" in capsys.readouterr().err


def test_cli_add_with_a_time_alone_keeps_the_channels_timezone(
    db_url: str, capsys: pytest.CaptureFixture
) -> None:
    """As in chat: moving a Berlin channel to 10:00 means 10:00 in Berlin."""
    add = ["subscriptions", "--database", db_url, "add", "slack", "C1"]
    assert main([*add, "8:15", "Europe/Berlin"]) == 0
    assert main([*add, "10:00"]) == 0
    said = capsys.readouterr().out.splitlines()[-1]
    assert said.startswith("updated: slack C1 at 10:00 Europe/Berlin")
    assert main([*add, "Asia/Tokyo"]) == 0
    assert "at 10:00 Asia/Tokyo" in capsys.readouterr().out
    assert main(["subscriptions", "--database", db_url, "add", "slack", "C2", "10:00"]) == 0
    assert "added: slack C2 at 10:00 UTC" in capsys.readouterr().out


def added_with_dot_env(
    dot_env: str, cwd: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> list[str]:
    """What bot.config warned of while `subscriptions add` ran in `cwd` with this `.env`
    (and no DATABASE_URL in the environment); the command itself must succeed."""
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (cwd / ".env").write_text(dot_env)
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        assert main(["subscriptions", "add", "slack", "C0123ABCD", "09:00"]) == 0
    return [r.getMessage() for r in caplog.records if r.name == "bot.config"]


def test_a_misspelt_setting_in_dot_env_is_said_and_the_database_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`DATABSE_URL=…` in .env was read as no setting: `subscriptions add` said "added" and
    wrote to the default database. The name nearly meant is said (never its value), and
    "added" names the database it went to."""
    said = added_with_dot_env(
        "DATABSE_URL=sqlite:///meant.sqlite3\nUNRELATED=1\n", tmp_path, monkeypatch, caplog
    )
    assert said == [
        f"DATABSE_URL in {tmp_path.resolve() / '.env'} is no setting kubecon-bot reads (did you "
        "mean DATABASE_URL?): it is ignored"
    ]
    default = (tmp_path / "kubecon-bot.sqlite3").resolve()
    assert (
        capsys.readouterr().out == f"added: slack C0123ABCD at 09:00 UTC (in SQLite at {default})\n"
    )


def test_a_setting_given_twice_in_dot_env_is_said_with_its_lines(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Both of `.env.example`'s DATABASE_URL lines uncommented: the last won without a word,
    and the subscription went to the database the operator had not meant. The name and the
    lines are said (never the values), and which line is used."""
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    said = added_with_dot_env(
        f"DATABASE_URL=sqlite:///{first}\n# the team's\ndatabase_url=sqlite:///{second}\n",
        tmp_path,
        monkeypatch,
        caplog,
    )
    assert said == [
        f"DATABASE_URL is set 2 times in {tmp_path.resolve() / '.env'} (lines 1 and 3): only "
        "the last, line 3, is used"
    ]
    assert "first.sqlite3" not in " ".join(said)
    assert capsys.readouterr().out.endswith(f"(in SQLite at {second})\n")


def test_a_comment_after_a_value_in_dot_env_is_said_without_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`SLACK_SIGNING_SECRET=abc  # ours` worked here (the comment dropped) and not in the
    image run with `docker run --env-file`, which keeps it: every signature failed. Said with
    the name and line, never the value; a `#` inside a value or in quotes is no comment."""
    said = added_with_dot_env(
        "# the bot's settings\nSLACK_SIGNING_SECRET=s3cr3t  # ours\nKUBECON_TEST_HASH=a#b\n"
        'KUBECON_TEST_QUOTED="c # d"\n',
        tmp_path,
        monkeypatch,
        caplog,
    )
    assert said == [
        f"SLACK_SIGNING_SECRET in {tmp_path.resolve() / '.env'} (line 2) has a comment after "
        "its value: `docker run --env-file` keeps it as part of the value (the bot's own "
        "reading and Compose's `env_file` drop it): put it on a line of its own"
    ]
    assert "s3cr3t" not in caplog.text


def test_cli_takes_a_platform_in_any_case(db_url: str, capsys: pytest.CaptureFixture) -> None:
    """`subscriptions add Slack C0130` was "invalid choice: 'Slack'", though a timezone is
    read in any case: the platform is too, and stored as its registry names it."""
    assert main(["subscriptions", "--database", db_url, "add", "Slack", "C0130"]) == 0
    assert capsys.readouterr().out.startswith("added: slack C0130 at 09:00 UTC")
    assert main(["subscriptions", "--database", db_url, "remove", "SLACK", "C0130"]) == 0
    assert capsys.readouterr().out.startswith("removed: slack C0130")


def test_cli_takeaway_prints_what_a_channel_gets_on_a_date(
    db_url: str, content: Content, capsys: pytest.CaptureFixture
) -> None:
    items = rotation(content)
    store = Store.open(db_url)
    now = dt.datetime.now(dt.UTC)
    sub, _ = store.subscribe("slack", "C1", When(), now=now)
    today = now.date()
    claim = store.claim(
        sub,
        today,
        now=now,
        holder="t",
        lease=dt.timedelta(minutes=5),
        choose_item=lambda _: items[4].key,
    )
    store.sent(claim, now)
    store.close()
    assert main(["takeaway", "--database", db_url, "--channel", "C1"]) == 0
    assert capsys.readouterr().out.strip() == render(daily_reply(content, items[4])).strip()
    later = (today + dt.timedelta(days=2)).isoformat()
    assert main(["takeaway", "--database", db_url, "--channel", "C1", "--date", later]) == 0
    assert capsys.readouterr().out.strip() == render(daily_reply(content, items[6])).strip()
    # written as DAILY_SUBSCRIPTIONS writes it: "no subscription" before
    assert main(["takeaway", "--database", db_url, "--channel", "slack:C1"]) == 0
    assert capsys.readouterr().out.strip() == render(daily_reply(content, items[4])).strip()
    assert main(["takeaway", "--database", db_url, "--channel", "discord:C1"]) == 1
    assert main(["takeaway", "--database", db_url, "--channel", "NOPE"]) == 1
    assert main(["takeaway", "--database", db_url]) == 0
    assert capsys.readouterr().out.strip() == render(daily_reply(content, items[0])).strip()


def test_cli_takeaway_asks_as_the_channels_platform_is_asked(
    db_url: str,
    content: Content,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The preview is the post as the channel gets it: a Discord channel's says "/kubecon ask
    3" (Discord has no "/kubecon 3"), a Slack channel's says the command SLACK_COMMAND names.
    A date before a new subscription's first post says so, not that a channel missed it."""
    monkeypatch.setenv("SLACK_COMMAND", "/kc")
    store = Store.open(db_url)
    store.subscribe("discord", "118000000000000000", When(), now=dt.datetime.now(dt.UTC))
    store.close()
    # the first day whose post is an entry's, which ends "Ask `… N` for the full answer"
    ahead = next(i for i, item in enumerate(rotation(content)) if item.number is not None)
    day = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=ahead)).isoformat()
    cli = ["takeaway", "--database", db_url, "--date", day]
    assert main([*cli, "--channel", "118000000000000000"]) == 0
    assert "Ask `/kubecon ask " in capsys.readouterr().out
    assert main([*cli, "--platform", "slack"]) == 0
    assert "Ask `/kc " in capsys.readouterr().out
    assert main(["takeaway", "--database", db_url, "--date", "2020-01-01"]) == 1
    assert "a new subscription's first post is today's" in capsys.readouterr().err


def test_subscriptions_add_without_a_channel_asks_for_the_channel_only(
    capsys: pytest.CaptureFixture,
) -> None:
    """The time is optional (09:00 UTC): argparse listed it as required too."""
    with pytest.raises(SystemExit):
        main(["subscriptions", "add", "slack"])
    err = capsys.readouterr().err
    assert err.rstrip().endswith("the following arguments are required: channel")


def test_cli_subscriptions_show_the_configuration_before_the_first_run(
    db_url: str, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DAILY_SUBSCRIPTIONS set, `run` not started yet: `list` shows the configured channels
    (said to start with `run`) beside the database's, and `remove` of one says where it is
    set, as it does once `run` has subscribed it; with no database at all, the same."""
    monkeypatch.setenv("DAILY_SUBSCRIPTIONS", "slack:C0CONF 07:30; discord:123456789012345678")
    assert main(["subscriptions", "--database", db_url, "add", "slack", "C1", "8:15", "UTC"]) == 0
    capsys.readouterr()
    assert main(["subscriptions", "--database", db_url, "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["slack", "C1"],
        ["slack", "C0CONF"],
        ["discord", "123456789012345678"],
    ]
    assert lines[1].endswith("configured: `kubecon-bot run` starts it") and "07:30" in lines[1]
    assert main(["subscriptions", "--database", db_url, "remove", "slack", "C0CONF"]) == 1
    err = capsys.readouterr().err
    assert "slack C0CONF is set in the configuration (DAILY_SUBSCRIPTIONS" in err
    assert "Nothing was changed." in err


def test_cli_subscriptions_add_of_a_configured_channel_before_the_first_run(
    db_url: str, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DAILY_SUBSCRIPTIONS sets a channel `run` has not subscribed yet: `add` at another time
    is refused, as it is once `run` has subscribed it (`run` would set the time back without a
    word), and adds nothing, so `list` still shows the configured time and `remove` is refused
    too; `add` at the configured time changes nothing and says so."""
    monkeypatch.setenv("DAILY_SUBSCRIPTIONS", "slack:C0CONF 07:30 Europe/Berlin")
    cli = ["subscriptions", "--database", db_url]
    assert main([*cli, "add", "slack", "C0CONF", "10:00"]) == 1
    err = capsys.readouterr().err
    assert "slack C0CONF is set in the configuration (DAILY_SUBSCRIPTIONS" in err
    assert "at 07:30 Europe/Berlin: change it there. Nothing was changed." in err
    assert main([*cli, "list"]) == 0
    listed = capsys.readouterr().out.split()
    assert listed[:4] == ["slack", "C0CONF", "07:30", "Europe/Berlin"] and "config" in listed
    assert main([*cli, "remove", "slack", "C0CONF"]) == 1
    assert "Nothing was changed." in capsys.readouterr().err
    assert main([*cli, "add", "slack", "C0CONF", "07:30", "Europe/Berlin"]) == 0
    assert capsys.readouterr().out.startswith("unchanged: slack C0CONF at 07:30 Europe/Berlin")


def test_cli_subscriptions_list_shows_the_configuration_without_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the bot's first start there may be no database at all: the configured channels
    are listed all the same, and none is created."""
    monkeypatch.setenv("DAILY_SUBSCRIPTIONS", "slack:C0CONF 07:30")
    missing = tmp_path / "none.sqlite3"
    assert main(["subscriptions", "--database", f"sqlite:///{missing}", "list"]) == 0
    assert capsys.readouterr().out.split()[:2] == ["slack", "C0CONF"]
    assert (
        main(["subscriptions", "--database", f"sqlite:///{missing}", "remove", "slack", "C0CONF"])
        == 1
    )
    assert "is set in the configuration" in capsys.readouterr().err
    assert not missing.exists()
