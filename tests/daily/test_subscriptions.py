"""Subscribing from chat through the bot's front door, and from configuration."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.core.app import BotApp, Incoming
from bot.core.content import Content
from bot.core.platforms import installed
from bot.core.replies import Kind, Visibility
from bot.core.responder import Responder
from bot.daily.store import CONFIG, Store
from bot.daily.subscriptions import (
    ConfigSubscriptionError,
    Subscriptions,
    configured,
    load_file,
    parse_env,
)
from bot.daily.timing import When
from bot.serve.compose import compose
from bot.serve.metrics import Metrics
from tests.conftest import clean_env, run_bot
from tests.daily.conftest import utc

NOW = utc(2026, 11, 28, 10, 0)  # a Saturday


@pytest.fixture
def app(store: Store, content: Content) -> BotApp:
    return BotApp(Responder(content), subscriptions=Subscriptions(store, clock=lambda: NOW))


def says(text: str, *, manager: bool = True, channel: str = "C1") -> Incoming:
    return Incoming(
        platform="slack",
        text=text,
        channel_id=channel,
        user_id="U1",
        workspace_id="T1",
        can_manage=manager,
    )


async def test_subscribe_with_time_and_zone_confirms_the_next_post(app, store) -> None:
    reply = await app.handle(says("subscribe 08:30 Europe/Berlin"))
    assert reply.kind is Kind.NOTICE and reply.visibility is Visibility.PRIVATE
    assert "08:30 Europe/Berlin" in reply.text
    assert "Next post: Sun 29 Nov 2026, 08:30 CET" in reply.text  # 10:00 UTC is past 08:30 CET
    sub = store.get("slack", "C1")
    assert sub.when == When(dt.time(8, 30), "Europe/Berlin") and sub.workspace_id == "T1"


async def test_subscribe_defaults_to_nine_utc(app, store) -> None:
    reply = await app.handle(says("subscribe"))
    assert "09:00 UTC" in reply.text
    assert store.get("slack", "C1").when == When()


@pytest.mark.parametrize("args", ["25:61", "09:00 Mars/Base", "09:00 @everyone"])
async def test_bad_input_is_a_private_error_and_nothing_is_stored(app, store, args) -> None:
    reply = await app.handle(says(f"subscribe {args}"))
    assert reply.kind is Kind.NOTICE and reply.visibility is Visibility.PRIVATE
    assert "Nothing was changed" in reply.text and "@everyone" not in reply.text
    assert store.subscriptions() == []


async def test_changing_the_time_keeps_one_subscription(app, store) -> None:
    await app.handle(says("subscribe 09:00"))
    reply = await app.handle(says("subscribe 17:00 Asia/Tokyo"))
    assert reply.text.startswith("Updated")
    [sub] = store.subscriptions()
    assert sub.when == When(dt.time(17, 0), "Asia/Tokyo")


async def test_only_channel_managers_may_subscribe(app, store) -> None:
    for text in ("subscribe", "unsubscribe", "subscription"):
        reply = await app.handle(says(text, manager=False))
        assert reply.kind is Kind.NOTICE and "manage this channel" in reply.text
    assert store.subscriptions() == []


async def test_status_and_unsubscribe(app, store) -> None:
    none = await app.handle(says("subscription"))
    assert "no daily takeaway subscription" in none.text and "subscribe [HH:MM]" in none.text
    await app.handle(says("subscribe 11:00"))
    status = await app.handle(says("subscription"))
    assert "11:00 UTC" in status.text and "Next post: Sat 28 Nov 2026, 11:00 UTC" in status.text
    gone = await app.handle(says("unsubscribe"))
    assert gone.text.startswith("Unsubscribed") and store.get("slack", "C1") is None
    again = await app.handle(says("unsubscribe"))
    assert "no daily takeaway subscription" in again.text


async def test_paused_status_says_why_and_subscribing_resumes(app, store) -> None:
    await app.handle(says("subscribe"))
    store.pause(store.get("slack", "C1").id, "channel_not_found", NOW)
    status = await app.handle(says("subscription"))
    assert "paused" in status.text and "channel_not_found" in status.text
    await app.handle(says("subscribe"))
    assert not store.get("slack", "C1").paused


async def test_config_subscriptions_cannot_be_removed_from_chat(app, store) -> None:
    store.sync_config([("slack", "C1", When())], NOW)
    reply = await app.handle(says("unsubscribe"))
    assert "configuration" in reply.text
    assert store.get("slack", "C1").source == CONFIG


async def test_without_a_store_the_bot_says_daily_posts_are_off(content) -> None:
    """`chat` in a terminal has no channel to subscribe: "not enabled on this bot" left the
    asker thinking `run` would not post them either. It says where subscriptions are made."""
    reply = await BotApp(Responder(content)).handle(says("subscribe 9am"))
    assert reply.kind is Kind.NOTICE and reply.text.startswith("Daily takeaways are not enabled")
    assert "`kubecon-bot subscriptions add PLATFORM CHANNEL [HH:MM] [timezone]`" in reply.text


async def test_questions_still_reach_the_responder(app) -> None:
    reply = await app.handle(says("what about SBOMs?"))
    assert reply.kind is not Kind.NOTICE


def test_config_file_and_env_are_merged(tmp_path: Path) -> None:
    file = tmp_path / "subs.yaml"
    file.write_text(
        "- {platform: slack, channel: C1, time: '08:00', tz: Europe/Berlin}\n"
        "- {platform: discord, channel: '123'}\n",
        encoding="utf-8",
    )
    env = "discord:123 18:00 America/New_York; slack:C9 Asia/Tokyo"
    got = {(p, c): w for p, c, w in configured(file, env)}
    assert got == {
        ("slack", "C1"): When(dt.time(8, 0), "Europe/Berlin"),
        ("discord", "123"): When(dt.time(18, 0), "America/New_York"),
        ("slack", "C9"): When(dt.time(9, 0), "Asia/Tokyo"),
    }


@pytest.mark.parametrize(
    ("yaml_text", "fragment"),
    [
        ("- {platform: teams, channel: C1}\n", "entry 1: platform must be one of"),
        ("- {platform: slack}\n", "channel is required"),
        ("- {platform: slack, channel: C1, tz: Nowhere/Town}\n", "not a timezone"),
        ("- {platform: slack, channel: C1, when: '9'}\n", "unknown key(s) when"),
        ("platform: slack\n", "expected a list"),
    ],
)
def test_bad_config_file_names_the_entry(tmp_path: Path, yaml_text: str, fragment: str) -> None:
    file = tmp_path / "subs.yaml"
    file.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigSubscriptionError, match=re.escape(fragment)) as err:
        configured(file, None)
    assert str(file) in str(err.value)


def test_bad_env_entry_is_named() -> None:
    with pytest.raises(ConfigSubscriptionError, match="DAILY_SUBSCRIPTIONS entry 2"):
        parse_env("slack:C1; slack:C2 31:00")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("discord:general", "'general' is not a Discord channel id: a Discord channel id is"),
        ("slack:general", "'general' is not a Slack channel id: a Slack channel id is C, G or D"),
        # pasted in lower case: the id meant is named
        (
            "slack:c0123",
            "'c0123' is not a Slack channel id: Slack channel ids are in capitals;"
            " did you mean 'C0123'?",
        ),
        ("discord:12a4", "'12a4' is not a Discord channel id"),
    ],
)
def test_a_malformed_channel_id_in_the_variable_is_refused(entry: str, expected: str) -> None:
    with pytest.raises(ConfigSubscriptionError) as raised:
        parse_env(f"slack:C1; {entry} 00:00 UTC")
    assert str(raised.value).startswith("DAILY_SUBSCRIPTIONS entry 2: channel ")
    assert expected in str(raised.value) and "\n" not in str(raised.value)


def test_a_malformed_channel_id_in_the_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "subs.yaml"
    file.write_text("- {platform: slack, channel: C1}\n- {platform: discord, channel: general}\n")
    with pytest.raises(ConfigSubscriptionError, match="entry 2: channel 'general' is not a Disc"):
        configured(file, None)


def test_well_formed_channel_ids_of_every_kind_are_accepted() -> None:
    env = "slack:C0123ABCD; slack:G01; slack:D9Z; discord:1234567890123456789"
    assert len(configured(None, env)) == 4


async def test_subscribing_a_malformed_channel_from_chat_changes_nothing(app, store) -> None:
    reply = await app.handle(says("subscribe 08:00", channel="general"))
    assert reply.kind is Kind.NOTICE and reply.visibility is Visibility.PRIVATE
    assert "'general' is not a Slack channel id" in reply.text
    assert "Nothing was changed" in reply.text
    assert store.subscriptions() == []


def test_cli_refuses_a_malformed_channel_in_one_line_and_stores_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    add = ("subscriptions", "add", "discord", "general", "00:00", "UTC", "--database", url)
    result = run_bot(*add, cwd=tmp_path, env=clean_env())
    assert result.returncode == 2
    assert result.stderr == (
        "kubecon-bot subscriptions add: channel 'general' is not a Discord channel id: "
        "a Discord channel id is digits only, e.g. 1234567890123456789 "
        "(Copy Channel ID, with Developer Mode on). Nothing was changed.\n"
    )
    listed = run_bot("subscriptions", "list", "--database", url, cwd=tmp_path, env=clean_env())
    assert listed.stdout == "" and "no subscriptions" in listed.stderr
    # removing one says the same, not "no subscription for discord general"
    remove = ("subscriptions", "remove", "discord", "general", "--database", url)
    result = run_bot(*remove, cwd=tmp_path, env=clean_env())
    assert result.returncode == 2
    assert result.stderr.startswith(
        "kubecon-bot subscriptions remove: channel 'general' is not a Discord channel id: "
    )


SLACK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}  # a platform, never reached


def test_run_says_a_yaml_error_in_the_file_as_file_and_line(tmp_path: Path) -> None:
    """PyYAML's own text (`in "<unicode string>", line 3, column 9`) named no file: the error
    is now `FILE:LINE: invalid YAML: …`, as the content file's are, from `kubecon-bot run`."""
    file = tmp_path / "subs.yaml"
    file.write_text("- platform: slack\n  channel: C1\n- {platform: slack, channel: [C2\n")
    result = run_bot("run", cwd=tmp_path, env=clean_env(SUBSCRIPTIONS_FILE=str(file), **SLACK))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"configuration error: {file}:4: invalid YAML: " in result.stderr, result.stderr
    assert "<unicode string>" not in result.stderr


def test_a_subscriptions_file_that_cannot_be_read_names_the_variable(tmp_path: Path) -> None:
    """ "subs.yaml: cannot read" named neither the variable nor where a relative path was
    looked for (CONTENT_PATH's error says both)."""
    env = clean_env(SUBSCRIPTIONS_FILE="subs.yaml", **SLACK)
    result = run_bot("run", cwd=tmp_path, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    expected = f"SUBSCRIPTIONS_FILE: cannot read {tmp_path.resolve() / 'subs.yaml'}: No such file"
    assert expected in result.stderr, result.stderr


def test_an_empty_subscriptions_file_is_refused_and_one_of_comments_is_none(
    tmp_path: Path,
) -> None:
    """A truncated SUBSCRIPTIONS_FILE (or an empty ConfigMap key) was read as no channels:
    `run` removed every configured subscription with one WARNING. An empty file is refused
    at start, saying how to mean it; a file of comments alone (every entry commented out) is
    still no channels."""
    (tmp_path / "subs.yaml").write_text("\n")
    result = run_bot("run", cwd=tmp_path, env=clean_env(SUBSCRIPTIONS_FILE="subs.yaml", **SLACK))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    said = f"SUBSCRIPTIONS_FILE: {tmp_path.resolve() / 'subs.yaml'} is empty: write [] to"
    assert said in result.stderr, result.stderr
    (tmp_path / "subs.yaml").write_text("# - {platform: slack, channel: C0123ABCD}\n")
    assert load_file(tmp_path / "subs.yaml") == []


def test_every_bad_entry_of_the_file_is_named_with_its_line(tmp_path: Path) -> None:
    file = tmp_path / "subs.yaml"
    file.write_text(
        "subscriptions:\n"
        "  - {platform: teams, channel: C1}\n"
        "  - {platform: slack, channel: C2}\n"
        "  - platform: slack\n"
        "    channel: C3\n"
        "    tz: Nowhere/Town\n"
    )
    with pytest.raises(ConfigSubscriptionError) as err:
        configured(file, None)
    first, second = str(err.value).splitlines()
    assert first.startswith(f"{file}:2: entry 1: platform must be one of")
    assert second.startswith(f"{file}:4: entry 3: ") and "not a timezone" in second


def test_a_channel_listed_twice_with_two_times_is_refused(tmp_path: Path) -> None:
    """The later entry silently won: an operator who added a channel again with a new time
    and forgot the old line could not tell which time the bot used. Listed twice alike is
    harmless and accepted."""
    file = tmp_path / "subs.yaml"
    file.write_text(
        "- {platform: slack, channel: C0123, time: '08:30'}\n"
        "- {platform: slack, channel: C0456}\n"
        "- {platform: slack, channel: C0456}\n"
        "- {platform: slack, channel: C0123, time: '09:30'}\n"
    )
    with pytest.raises(ConfigSubscriptionError) as err:
        configured(file, None)
    assert str(err.value) == (
        f"{file}:4: entry 4: slack:C0123 is listed again with another time (first at line 1): "
        "list each channel once"
    )


def test_every_bad_entry_of_the_variable_is_named_and_a_missing_colon_explained() -> None:
    """The variable stopped at its first mistake while the file names them all; and
    "slack C0123" said only "channel is required"."""
    with pytest.raises(ConfigSubscriptionError) as err:
        parse_env("slack C0123; slack:C1 31:00; discord:1234567890123")
    first, second = str(err.value).splitlines()
    assert first == "DAILY_SUBSCRIPTIONS entry 1: 'slack': write platform:channel (slack:C0123)"
    assert second.startswith("DAILY_SUBSCRIPTIONS entry 2: ")


def started(db_url: str, content: Content, file: Path | None = None, env: str = "") -> None:
    """What `kubecon-bot run` does with the configured subscriptions at start-up."""
    given = {"SUBSCRIPTIONS_FILE": file} if file else {}
    settings = load_settings(DATABASE_URL=db_url, DAILY_SUBSCRIPTIONS=env, **given)
    composed = compose(settings, installed(), content, None, Metrics(process=False))
    composed.stages[-1][0].store.close()


def listed(db_url: str, capsys: pytest.CaptureFixture) -> list[str]:
    """`kubecon-bot subscriptions list`, as the operator reads it: platform, channel, time."""
    assert main(["subscriptions", "--database", db_url, "list"]) == 0
    return [" ".join(line.split()[:4]) for line in capsys.readouterr().out.splitlines()]


def test_an_unquoted_time_in_the_file_is_served_as_written(
    db_url: str, content: Content, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """YAML 1.1 reads `17:30` as the base-60 integer 1050 and `0700` as the octal 448: the
    bot served 10:50 and 04:48. The time is now read as the operator wrote it."""
    file = tmp_path / "subs.yaml"
    file.write_text(
        "- {platform: slack, channel: C0771, time: 17:30}\n"
        "- {platform: slack, channel: C0772, time: 9:00, tz: Europe/Berlin}\n"
        "- platform: slack\n"
        "  channel: C0773\n"
        "  time: 0700\n"
    )
    started(db_url, content, file)
    assert listed(db_url, capsys) == [
        "slack C0771 17:30 UTC",
        "slack C0772 09:00 Europe/Berlin",
        "slack C0773 07:00 UTC",
    ]


def run_with(tmp_path: Path, **env: str) -> str:
    """`kubecon-bot run` refusing its configuration: the one line the operator reads."""
    db = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    result = run_bot(
        "run", cwd=tmp_path, env=clean_env(DATABASE_URL=db, HEALTH_PORT="0", **env, **SLACK)
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [said] = [line for line in result.stderr.splitlines() if "configuration error" in line]
    return said.split("configuration error: ", 1)[1]


def test_a_comma_between_entries_of_the_variable_is_named_as_the_mistake(tmp_path: Path) -> None:
    """ "Europe/Berlin, slack:C0999XYZ" was blamed on the timezone ("“Europe/Berlin” is not a
    timezone I know"): the comma, dropped when the value was echoed, was the mistake."""
    said = run_with(
        tmp_path, DAILY_SUBSCRIPTIONS="slack:C0123ABC 08:30 Europe/Berlin, slack:C0999XYZ"
    )
    assert said == (
        'DAILY_SUBSCRIPTIONS entry 1: entries are separated by ";" (or newlines), not ",": '
        "slack:C0123ABC 08:30 Europe/Berlin; slack:C0999XYZ"
    )


def test_a_missing_separator_between_entries_of_the_variable_is_named() -> None:
    with pytest.raises(ConfigSubscriptionError) as err:
        parse_env("slack:C0123ABC 08:30 slack:C0999XYZ")
    assert str(err.value) == (
        'DAILY_SUBSCRIPTIONS entry 1: "slack:C0999XYZ" starts another entry: '
        'separate entries with ";" (or newlines)'
    )


def test_a_channel_listed_twice_in_the_variable_with_two_times_is_refused(
    db_url: str, content: Content, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """The later time silently won in the variable while the file refused the same mistake:
    one rule for both. Listed twice alike is harmless, as in the file."""
    said = run_with(tmp_path, DAILY_SUBSCRIPTIONS="slack:C0123ABC 08:30; slack:C0123ABC 09:30")
    assert said == (
        "DAILY_SUBSCRIPTIONS entry 2: slack:C0123ABC is listed again with another time "
        "(first at entry 1): list each channel once"
    )
    started(db_url, content, env="slack:C0123ABC 08:30; slack:C0456; slack:C0123ABC 8:30 UTC")
    assert listed(db_url, capsys) == ["slack C0123ABC 08:30 UTC", "slack C0456 09:00 UTC"]


def test_schedule_mistakes_are_explained_in_the_syntax_of_where_they_were_written(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture
) -> None:
    """The variable and the CLI answered with chat's syntax (`subscribe 09:00 …`)."""
    said = run_with(tmp_path, DAILY_SUBSCRIPTIONS="slack:C0123ABC 08:30 UTC Europe/Berlin")
    assert said == (
        "DAILY_SUBSCRIPTIONS entry 1: Give one timezone, e.g. `slack:C0123 09:00 Europe/Berlin`."
    )
    add = ["subscriptions", "--database", db_url, "add", "slack", "C01", "8:30", "9:30"]
    assert main(add) == 2
    assert capsys.readouterr().err == (
        "kubecon-bot subscriptions add: Give one time, e.g. "
        "`kubecon-bot subscriptions add slack C0123 09:00 Europe/Berlin`. Nothing was changed.\n"
    )
    file = tmp_path / "subs.yaml"
    file.write_text("- {platform: slack, channel: C1, time: '09:00 UTC', tz: Europe/Berlin}\n")
    said = run_with(tmp_path, SUBSCRIPTIONS_FILE=str(file))
    assert said == f"{file}:1: entry 1: Give one timezone, e.g. `time: '09:00', tz: Europe/Berlin`."


async def test_chat_explains_a_schedule_mistake_in_its_own_syntax(app) -> None:
    reply = await app.handle(says("subscribe 8:30 UTC Europe/Berlin"))
    assert reply.text == (
        "Give one timezone, e.g. `/kubecon subscribe 09:00 Europe/Berlin`. Nothing was changed."
    )


def cli(db_url: str, *args: str) -> int:
    return main(["subscriptions", "--database", db_url, *args])


def test_the_cli_leaves_a_configured_subscription_to_the_configuration(
    db_url: str, content: Content, capsys: pytest.CaptureFixture
) -> None:
    """`remove` said "removed" and `run` brought it back; `add` made it a chat one, so taking
    it out of the configuration no longer removed it. Both now say where it is set."""
    started(db_url, content, env="slack:C0771 17:30")
    assert cli(db_url, "remove", "slack", "C0771") == 1
    assert capsys.readouterr().err == (
        "kubecon-bot subscriptions remove: slack C0771 is set in the configuration "
        "(DAILY_SUBSCRIPTIONS or SUBSCRIPTIONS_FILE), at 17:30 UTC: remove it there "
        "(`kubecon-bot run` adds it back). Nothing was changed.\n"
    )
    assert cli(db_url, "add", "slack", "C0771", "10:00") == 1
    assert capsys.readouterr().err == (
        "kubecon-bot subscriptions add: slack C0771 is set in the configuration "
        "(DAILY_SUBSCRIPTIONS or SUBSCRIPTIONS_FILE), at 17:30 UTC: change it there. "
        "Nothing was changed.\n"
    )
    assert cli(db_url, "add", "slack", "C0771", "17:30") == 0  # what it is already
    assert capsys.readouterr().out == (
        "unchanged: slack C0771 at 17:30 UTC, set in the configuration "
        "(DAILY_SUBSCRIPTIONS or SUBSCRIPTIONS_FILE)\n"
    )
    store = Store.open(db_url)
    store.pause(store.get("slack", "C0771").id, "channel_not_found", NOW)
    store.close()
    assert cli(db_url, "add", "slack", "C0771", "17:30") == 0  # paused: resumes it
    assert capsys.readouterr().out == (
        "resumed: slack C0771 at 17:30 UTC, set in the configuration "
        "(DAILY_SUBSCRIPTIONS or SUBSCRIPTIONS_FILE)\n"
    )
    assert [line.split()[:5] for line in cli_list(db_url, capsys)] == [
        ["slack", "C0771", "17:30", "UTC", "config"]
    ]
    started(db_url, content)  # taken out of the configuration: gone
    assert cli_list(db_url, capsys) == []


def cli_list(db_url: str, capsys: pytest.CaptureFixture) -> list[str]:
    assert cli(db_url, "list") == 0
    return capsys.readouterr().out.splitlines()


async def test_chat_leaves_a_configured_subscription_to_the_configuration(app, store) -> None:
    """Chat's `unsubscribe` already refused; its `subscribe` took the channel over as a chat
    one. Subscribing at the configured time resumes a paused one and changes nothing else."""
    store.sync_config([("slack", "C1", When(dt.time(17, 30)))], NOW)
    reply = await app.handle(says("subscribe 10:00"))
    assert reply.text == (
        "This channel's daily takeaway is set in the bot's configuration "
        "(DAILY_SUBSCRIPTIONS or SUBSCRIPTIONS_FILE), at 17:30 UTC: ask the bot's operator "
        "to change it there. Nothing was changed."
    )
    store.pause(store.get("slack", "C1").id, "channel_not_found", NOW)
    reply = await app.handle(says("subscribe 17:30"))
    assert reply.text == (
        "This channel gets a takeaway every day at 17:30 UTC (set in the bot's configuration). "
        "Next post: Sat 28 Nov 2026, 17:30 UTC."
    )
    sub = store.get("slack", "C1")
    assert (sub.source, sub.when, sub.paused) == (CONFIG, When(dt.time(17, 30)), False)
    # "paused … Subscribe again to resume": a bare `subscribe` (no time: 09:00 UTC for a new
    # one) was refused as a change of the configured 17:30; it resumes it at its own time
    store.pause(store.get("slack", "C1").id, "channel_not_found", NOW)
    assert "Subscribe again to resume" in (await app.handle(says("subscription"))).text
    resumed = await app.handle(says("subscribe"))
    assert resumed.text.startswith("This channel gets a takeaway every day at 17:30 UTC")
    assert not store.get("slack", "C1").paused
    store.sync_config([], NOW)
    assert store.get("slack", "C1") is None


async def test_a_bare_subscribe_keeps_the_channels_time_and_zone(app, store) -> None:
    """ "subscribe 9am America/New_York", then a bare "subscribe" (to check, or to resume a
    paused one): it had reset the channel to 09:00 UTC. It keeps the channel's own schedule,
    says so, and resumes a paused subscription at it."""
    await app.handle(says("subscribe 17:30 America/New_York"))
    again = await app.handle(says("subscribe"))
    assert again.text.startswith("Already subscribed. This channel gets a takeaway every day at")
    assert "17:30 America/New_York" in again.text
    assert store.get("slack", "C1").when == When(dt.time(17, 30), "America/New_York")
    store.pause(store.get("slack", "C1").id, "channel_not_found", NOW)
    resumed = await app.handle(says("subscribe"))
    assert resumed.text.startswith("Resumed: ") and "17:30 America/New_York" in resumed.text
    sub = store.get("slack", "C1")
    assert not sub.paused and sub.when == When(dt.time(17, 30), "America/New_York")


async def test_a_new_time_alone_keeps_the_channels_timezone(app, store) -> None:
    """A New York channel moved with "subscribe 10:00" was told "every day at 10:00 UTC": five
    hours off what the team meant. What is not given stays as the channel has it, the
    timezone when only a time is given and the time when only a timezone is; a channel with
    no subscription starts from 09:00 UTC as before."""
    new_york = "America/New_York"
    await app.handle(says("subscribe 9pm america/new_york"))
    moved = await app.handle(says("subscribe 10:00"))
    assert moved.text.startswith("Updated: ") and f"10:00 {new_york}" in moved.text
    assert store.get("slack", "C1").when == When(dt.time(10), new_york)
    zoned = await app.handle(says("subscribe Europe/Berlin"))
    assert "10:00 Europe/Berlin" in zoned.text
    store.pause(store.get("slack", "C1").id, "channel_not_found", NOW)
    resumed = await app.handle(says("subscribe 0930"))
    assert resumed.text.startswith("Resumed: ") and "09:30 Europe/Berlin" in resumed.text
    await app.handle(says("unsubscribe"))
    fresh = await app.handle(says("subscribe 0930"))
    assert "09:30 UTC" in fresh.text
