"""Logging for an operator: one structured line per handled message, JSON when asked, and no
secrets in any line.

Redaction is a handler filter, so it covers every logger (ours, slack-bolt's, discord.py's,
aiohttp's), their arguments and tracebacks: a token echoed in a library's error message is
masked before any formatter sees it.

What a command prints itself when it stops before serving (a setting refused, nothing to run)
goes through `say`: with LOG_FORMAT=json it is a log line like the others, not plain text in the
middle of a JSON stream.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from bot.envfile import early

if TYPE_CHECKING:  # at run time only for `message_logger`: `say` must not load the bot's core
    from bot.core.app import Incoming, Observer
    from bot.core.replies import Reply

MESSAGE_LOGGER = "bot.messages"
REDACTED = "[redacted]"

# Slack tokens (xoxb-, xoxp-, xapp-, …) and Discord bot tokens (base64 id . timestamp . hmac).
TOKEN_PATTERN = re.compile(
    r"\bxox[abeoprs]-[A-Za-z0-9-]+"
    r"|\bxapp-[A-Za-z0-9-]+"
    r"|\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}"
)

# attributes every LogRecord has; anything else was passed with `extra=` and is a field
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class RedactFilter(logging.Filter):
    """Masks token-looking strings, and the exact values of configured secrets, in a record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if len(s) >= 8)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(
                "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            )
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, self.redact(value))
        return True


class BadHttpFilter(logging.Filter):
    """On aiohttp's server logger: a request that is not valid HTTP (a header over 8 KB, a
    broken request line) is the client's error, already answered 400 by aiohttp, yet aiohttp
    logs it as "Error handling request" at ERROR with a traceback. Anyone who can reach the
    Slack HTTP-mode or health port could fill the log with those, and an operator would look
    for a bug that is not there. Such a record becomes one DEBUG line without a traceback
    (dropped unless LOG_LEVEL=DEBUG, as the Slack adapter's other unauthenticated garbage is);
    any other error of the server (a handler that raised: a 500) stays at ERROR."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, HttpProcessingError):
            return True
        remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        why = " ".join(str(exc.message).split())  # client bytes: one line, and not too long
        record.msg = "bad HTTP request from %s, answered %s: %s"
        record.args = (remote, exc.code, why[:200] + ("…" if len(why) > 200 else ""))
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        record.exc_info, record.exc_text = None, None
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


def _timestamp(record: logging.LogRecord) -> str:
    when = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, then the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            **fields(record),
        }
        if record.exc_info or record.exc_text:
            out["exc"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`ts LEVEL logger: msg key=value …`, values quoted when they contain spaces."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        for key, value in fields(record).items():
            text = "" if value is None else str(value)
            if not text or any(c.isspace() or c in '"=' for c in text):
                text = json.dumps(text, ensure_ascii=False)
            line += f" {key}={text}"
        if record.exc_info or record.exc_text:
            line += "\n" + (record.exc_text or self.formatException(record.exc_info))  # type: ignore[arg-type]
        return line


# the loggers of the platform libraries, which at DEBUG write each event's whole payload: what
# users typed, their names, a slash command's response_url (which can post in the channel)
PAYLOAD_LOGGERS = ("bot.slack.socket", "bot.slack.bolt", "bot.slack.sdk", "discord")


def configure(
    fmt: str = "text",
    level: str = "INFO",
    secrets: Iterable[str] = (),
    stream: IO[str] | None = None,
    message_text: bool = False,
) -> logging.Handler:
    """Route every logger to one redacting handler on stderr (replacing earlier handlers).
    LOG_LEVEL=DEBUG shows the bot's own DEBUG lines; the platform libraries' payload lines
    (`PAYLOAD_LOGGERS`) stay at INFO unless `message_text` (LOG_MESSAGE_TEXT) allows what users
    typed in the log: turning on DEBUG to look into a problem must not start logging it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Alembic says at INFO how it migrates, quoting each migration's docstring over several
    # lines; bot.storage.database logs what changed in one line instead (LOG_LEVEL=DEBUG
    # shows Alembic's too)
    quiet = root.level > logging.DEBUG
    logging.getLogger("alembic").setLevel(logging.WARNING if quiet else logging.NOTSET)
    capped = not quiet and not message_text
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if capped else logging.NOTSET)
    server = logging.getLogger("aiohttp.server")
    for old_filter in [f for f in server.filters if isinstance(f, BadHttpFilter)]:
        server.removeFilter(old_filter)
    server.addFilter(BadHttpFilter())
    return handler


def wanted_format() -> str:
    """LOG_FORMAT as the settings will read it ("json" or "text"), read before them. A command
    refused for a setting must say so in the format the operator's log collector parses,
    whatever else is wrong; only a LOG_FORMAT that is itself wrong (or unset) means text, and
    the settings then name it."""
    value = early("LOG_FORMAT") or ""
    return "json" if value.strip().lower() == "json" else "text"


def say(text: str, fmt: str, *, logger: str, level: int = logging.ERROR) -> None:
    """Write to stderr what a command says itself rather than logs (why it stops at start-up),
    whether logging is configured yet or not.

    In text, `text` exactly as given: its lines name the command that speaks. In json, one
    object shaped as every log line (`JsonFormatter`: ts, level, logger, msg), the whole text
    in `msg`, line breaks and all: a collector that takes one object per line sees one event,
    not fragments, and never a line that is not JSON. Masked as log lines are (`RedactFilter`),
    though what is said here names settings, never their values."""
    if fmt != "json":
        print(text, file=sys.stderr)
        return
    record = logging.makeLogRecord(
        {"name": logger, "levelno": level, "levelname": logging.getLevelName(level), "msg": text}
    )
    RedactFilter().filter(record)
    print(JsonFormatter().format(record), file=sys.stderr, flush=True)


def message_logger(include_text: bool = False) -> Observer:
    """The BotApp observer writing one line per handled message."""
    log = logging.getLogger(MESSAGE_LOGGER)

    def observe(incoming: Incoming, reply: Reply, seconds: float) -> None:
        if not log.isEnabledFor(logging.INFO):  # LOG_LEVEL=WARNING: nothing to build
            return
        extra: dict[str, Any] = {
            "platform": incoming.platform,
            "workspace": incoming.workspace_id or None,
            "channel": incoming.channel_id or None,
            "entry": reply.entry_id,
            "score": reply.score,
            "outcome": reply.outcome,
            "latency_ms": round(seconds * 1000, 2),
        }
        if include_text:
            extra["text"] = incoming.text
        log.info("message", extra=extra)

    return observe
