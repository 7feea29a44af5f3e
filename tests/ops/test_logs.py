"""Log lines an operator can parse, with no message text unless asked and no tokens ever."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.core.app import BotApp, Incoming
from bot.serve import logs
from bot.serve.compose import standard_observers
from bot.serve.metrics import Metrics

from .conftest import settings

SLACK_BOT = "xoxb-2222222222-3333333333-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_APP = "xapp-1-A0123456789-4444444444444-abcdef0123456789abcdef"
DISCORD = "MTA5ODc2NTQzMjEwOTg3NjU0MzI.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    out = io.StringIO()
    yield out
    for h in list(root.handlers):
        root.removeHandler(h)
    for h in saved[0]:
        root.addHandler(h)
    root.setLevel(saved[1])


def json_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_one_json_line_per_handled_message(bot_app: BotApp, stream: io.StringIO) -> None:
    logs.configure("json", "INFO", stream=stream)
    bot_app.observers.extend(standard_observers(settings(), Metrics(process=False)))
    await bot_app.handle(
        Incoming(
            platform="slack",
            text="what about SBOMs?",
            channel_id="C42",
            workspace_id="T7",
            user_id="U1",
        )
    )
    (line,) = [r for r in json_lines(stream) if r["logger"] == "bot.messages"]
    assert line["platform"] == "slack"
    assert line["workspace"] == "T7"
    assert line["channel"] == "C42"
    assert line["entry"] == bot_app.responder.content.entry_by_number(5).id  # type: ignore[union-attr]
    assert line["outcome"] == "answered"
    assert isinstance(line["score"], float) and isinstance(line["latency_ms"], float)
    assert "SBOMs" not in stream.getvalue()  # what users type is not logged by default


async def test_message_text_is_logged_only_when_enabled(
    bot_app: BotApp, stream: io.StringIO
) -> None:
    logs.configure("text", "INFO", stream=stream)
    bot_app.observers.extend(
        standard_observers(settings(LOG_MESSAGE_TEXT="true"), Metrics(process=False))
    )
    await bot_app.handle(
        Incoming(platform="discord", text="tell me about the weather", channel_id="9")
    )
    line = stream.getvalue()
    assert "outcome=declined" in line and "platform=discord" in line and "channel=9" in line
    assert 'text="tell me about the weather"' in line


def test_tokens_are_redacted_everywhere(stream: io.StringIO) -> None:
    logs.configure("json", "INFO", secrets=["my-signing-secret-value"], stream=stream)
    log = logging.getLogger("slack_bolt.App")
    log.warning("auth.test failed for %s", SLACK_BOT)
    log.info("connecting with %s", SLACK_APP, extra={"url": f"wss://x?token={DISCORD}"})
    log.error("signature with my-signing-secret-value did not match")
    try:
        raise RuntimeError(f"401 Unauthorized: {DISCORD}")
    except RuntimeError:
        log.exception("gateway error")
    text = stream.getvalue()
    for secret in (SLACK_BOT, SLACK_APP, DISCORD, "my-signing-secret-value"):
        assert secret not in text
    records = json_lines(stream)
    assert len(records) == 4
    assert records[0]["msg"] == "auth.test failed for [redacted]"
    assert records[1]["url"] == "wss://x?token=[redacted]"
    assert "RuntimeError: 401 Unauthorized: [redacted]" in str(records[3]["exc"])


def test_a_database_password_is_redacted_wherever_the_url_holds_it(stream: io.StringIO) -> None:
    """`run` redacts the database's password as it does the platforms' secrets, given before
    the @ or as libpq's query parameters, should a driver's message ever quote it."""
    from bot.storage.database import secrets_in

    url = "postgresql://bot:before-the-at@db/kubecon?password=in-the-query&sslpassword=key-pass"
    logs.configure("text", "INFO", secrets=secrets_in(url), stream=stream)
    logging.getLogger("sqlalchemy").error("auth failed: before-the-at in-the-query key-pass")
    assert stream.getvalue().count("[redacted]") == 3, stream.getvalue()


def test_a_database_password_that_is_also_its_user_or_name_redacts_nothing(
    stream: io.StringIO,
) -> None:
    """User, password and database all "postgres" (a common development set-up): redacting the
    password wherever it appears made the start-up line "database: [redacted]ql+psycopg://…"
    and damaged every line naming PostgreSQL. The URL masks the password already."""
    from bot.storage.database import secrets_in

    url = "postgresql://postgres:postgres@db:5432/postgres"
    logs.configure("text", "INFO", secrets=secrets_in(url), stream=stream)
    logging.getLogger("bot").info("database: postgresql+psycopg://postgres:***@db:5432/postgres")
    assert "[redacted]" not in stream.getvalue()


def test_ordinary_ids_are_not_mistaken_for_tokens(stream: io.StringIO) -> None:
    logs.configure("text", "INFO", stream=stream)
    logging.getLogger("bot").info(
        "posted", extra={"channel": "C0123456789", "guild": "1098765432109876543"}
    )
    assert "channel=C0123456789 guild=1098765432109876543" in stream.getvalue()


def test_a_first_start_migrates_in_one_line_per_event(stream: io.StringIO, tmp_path) -> None:
    """Alembic quoted each migration's multi-line docstring at INFO: lines with no time, level
    or logger in a text log. The schema change is one line of ours; nothing when up to date."""
    from bot.storage.database import Database

    alembic_level = logging.getLogger("alembic").level
    try:
        logs.configure("text", "INFO", stream=stream)
        url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        Database.connect(url).migrate()
        lines = stream.getvalue().splitlines()
        assert lines, "the migration said nothing"
        assert all(line[:4].isdigit() and " INFO " in line for line in lines), lines
        assert [line for line in lines if "migrated from nothing to" in line] == lines[-1:]
        Database.connect(url).migrate()  # already at head: nothing to say
        assert stream.getvalue().splitlines() == lines
    finally:
        logging.getLogger("alembic").setLevel(alembic_level)


def test_log_level_debug_still_shows_how_alembic_migrates(stream: io.StringIO, tmp_path) -> None:
    from bot.storage.database import Database

    alembic_level = logging.getLogger("alembic").level
    try:
        logs.configure("text", "DEBUG", stream=stream)
        Database.connect(f"sqlite:///{tmp_path / 'bot.sqlite3'}").migrate()
        assert "alembic.runtime.migration: Running upgrade" in stream.getvalue()
    finally:
        logging.getLogger("alembic").setLevel(alembic_level)


def test_log_level_debug_leaves_out_what_users_typed_unless_allowed(stream: io.StringIO) -> None:
    """LOG_LEVEL=DEBUG wrote each Socket Mode envelope and Discord gateway event whole: what
    users typed and a slash command's response_url (which can post in the channel), though
    the docs say what users typed is logged only with LOG_MESSAGE_TEXT=true. The bot's own
    DEBUG lines stay; the payload lines need LOG_MESSAGE_TEXT."""
    envelope = 'Received message: {"payload": {"text": "my secret project question"}}'
    try:
        logs.configure("text", "DEBUG", stream=stream)
        for name in ("bot.slack.socket", "discord.gateway", "bot.slack.sdk"):
            logging.getLogger(name).debug(envelope)
        logging.getLogger("bot.daily.scheduler").debug("tick: nothing due")
        assert "my secret project question" not in stream.getvalue()
        assert "tick: nothing due" in stream.getvalue()
        logs.configure("text", "DEBUG", stream=stream, message_text=True)
        logging.getLogger("discord.gateway").debug(envelope)
        assert "my secret project question" in stream.getvalue()
    finally:
        logs.configure("text", "INFO", stream=stream)


def test_a_real_server_error_stays_an_error_beside_demoted_bad_http(stream: io.StringIO) -> None:
    """The filter that makes malformed HTTP a DEBUG line (tests/e2e) must not hide a handler
    that raised: aiohttp logs both as "Error handling request", only the exception differs."""
    from aiohttp.http_exceptions import LineTooLong

    server = logging.getLogger("aiohttp.server")
    try:
        logs.configure("text", "INFO", stream=stream)
        for exc in (LineTooLong(b"x" * 20, "8190", "9000"), ValueError("a bug of ours")):
            server.error("Error handling request from %s", "192.0.2.1", exc_info=exc)
        text = stream.getvalue()
        assert text.count("ERROR aiohttp.server: Error handling request from 192.0.2.1") == 1
        assert "ValueError: a bug of ours" in text and "LineTooLong" not in text
    finally:
        for f in [f for f in server.filters if isinstance(f, logs.BadHttpFilter)]:
            server.removeFilter(f)
