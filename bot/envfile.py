"""The working directory's `.env`, which every command reads as `run` does (bot.config through
pydantic-settings, bot.cli through python-dotenv directly, to keep `ask` starting fast).

python-dotenv warns of a line it cannot parse without saying which file ("python-dotenv could
not parse statement starting at line 2"): an operator who set variables in the environment, a
Kubernetes secret and a `.env` had to guess. `name_the_file()` has the warning name it.

Both readers decode the file as UTF-8 and, on a file that is not (Windows PowerShell's `>`
writes UTF-16), raised UnicodeDecodeError from deep inside, a 40-line traceback naming no
file: `name_the_file()` checks first and raises `EnvFileError`, one line naming it.

`early(name)` reads one setting before either reader runs, without a word about the file: how
`run` says what stops it (LOG_FORMAT) must be known before the settings are read and refused.
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dotenv.parser import Binding

ENV_FILE = ".env"
_UNPARSABLE = "python-dotenv could not parse statement"


class _NamesTheFile(logging.Filter):
    """Names the file in python-dotenv's warning, and lets each warning through once: a
    command reads the settings several times (the database's, the usage's, the digest's),
    and each reading said the same line again."""

    def __init__(self) -> None:
        super().__init__()
        self.said: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith(_UNPARSABLE):
            return True
        record.msg = f"{message} of {Path(ENV_FILE).resolve()}: that line is ignored"
        record.args = ()
        if record.msg in self.said:
            return False
        self.said.add(record.msg)
        return True


_FILTER = _NamesTheFile()


class EnvFileError(Exception):
    """The `.env` file cannot be read as its readers read it; one line naming the file."""


def name_the_file() -> None:
    """Install the filter on python-dotenv's logger (once, however often it is called), and
    raise EnvFileError if `.env` is not UTF-8 text."""
    logging.getLogger("dotenv.main").addFilter(_FILTER)  # a filter already there is kept once
    _check_encoding(Path(ENV_FILE))


_SAID: set[str] = set()  # a command reads the settings several times: each line said once


def _first_time(line: str) -> bool:
    """`line` was not said before in this process (and now counts as said)."""
    if line in _SAID:
        return False
    _SAID.add(line)
    return True


def misspelt(known: Collection[str]) -> list[str]:
    """A line for each name in `.env` that no setting has but one nearly does (`DATABSE_URL`):
    read as unset, its value silently gave way to the default (a subscription "added" to
    another database than the one meant). Said once a process, never with the value."""
    path = Path(ENV_FILE)
    if not path.is_file():
        return []
    from dotenv import dotenv_values  # only when there is a file: `ask` starts without it

    wanted = {name.upper(): name for name in known}
    lines = []
    for name in dotenv_values(path):
        if name.upper() in wanted:
            continue
        close = difflib.get_close_matches(name.upper(), wanted, n=1, cutoff=0.85)
        if close:
            line = (
                f"{name} in {path.resolve()} is no setting kubecon-bot reads (did you mean "
                f"{wanted[close[0]]}?): it is ignored"
            )
            if _first_time(line):
                lines.append(line)
    return lines


def _bindings(path: Path) -> list[Binding]:
    """The settings `path` gives, as python-dotenv parses them: none when there is no file, or
    one that cannot be read (which `name_the_file` says)."""
    if not path.is_file():
        return []
    from dotenv.parser import parse_stream  # only when there is a file: `ask` starts without it

    try:
        with path.open(encoding="utf-8") as stream:
            return [b for b in parse_stream(stream) if b.key]
    except (OSError, UnicodeDecodeError):
        return []


def repeated() -> list[str]:
    """A line for each name `.env` sets more than once, with the lines: the last wins, as
    python-dotenv reads it, so uncommenting both of `.env.example`'s DATABASE_URL lines
    silently chose the second. Said once a process, never with the values."""
    path = Path(ENV_FILE)
    at: dict[str, list[int]] = {}
    for binding in _bindings(path):  # pydantic-settings reads names in any case
        at.setdefault(str(binding.key).upper(), []).append(binding.original.line)
    lines = []
    for name, where in at.items():
        if len(where) < 2:
            continue
        numbers = ", ".join(map(str, where[:-1]))
        line = (
            f"{name} is set {len(where)} times in {path.resolve()} (lines {numbers} and "
            f"{where[-1]}): only the last, line {where[-1]}, is used"
        )
        if _first_time(line):
            lines.append(line)
    return lines


def commented() -> list[str]:
    """A line for each setting of `.env` with a comment after its value (`SECRET=abc  # ours`):
    the bot and Compose's `env_file` drop the comment, `docker run --env-file` keeps it as part
    of the value, so a file that works here gave the container a signing secret that no
    signature matched. Said once a process, never with the value."""
    path = Path(ENV_FILE)
    lines = []
    for binding in _bindings(path):
        written = binding.original.string.split("=", 1)[-1].strip()
        if "#" in written.replace(binding.value or "", "", 1):
            line = (
                f"{binding.key} in {path.resolve()} (line {binding.original.line}) has a comment "
                "after its value: `docker run --env-file` keeps it as part of the value (the "
                "bot's own reading and Compose's `env_file` drop it): put it on a line of its own"
            )
            if _first_time(line):
                lines.append(line)
    return lines


def _check_encoding(path: Path) -> None:
    """Say where a file that is not UTF-8 goes wrong, by line: never what it holds (secrets)."""
    try:
        data = path.read_bytes()
    except OSError:  # no file (its readers skip it), or one they will report themselves
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        utf16 = " (it is UTF-16, as Windows PowerShell's > writes)" if _is_utf16(data) else ""
        raise EnvFileError(
            f"{path.resolve()}: not UTF-8 text{utf16}, at line {line}: save it as UTF-8"
        ) from None


def _is_utf16(data: bytes) -> bool:
    return data.startswith((b"\xff\xfe", b"\xfe\xff"))


def early(name: str) -> str | None:
    """`name` as the settings will read it (the environment, else `.env`; empty is unset), read
    before them and saying nothing: the file's readers warn of a line they cannot parse, and
    an early look must not say it a second time. A `.env` that cannot be read is left to them
    to report; this look then finds nothing in it."""
    return os.environ.get(name) or _in_file(Path(ENV_FILE), name) or None


def _in_file(path: Path, name: str) -> str | None:
    """The last value `path` gives `name` (as python-dotenv keeps the last), its name in any
    case as pydantic-settings reads it; unparsable lines are skipped without a warning."""
    from dotenv.parser import parse_stream

    try:
        with path.open(encoding="utf-8") as stream:
            values = [b.value for b in parse_stream(stream) if (b.key or "").upper() == name]
    except (OSError, UnicodeDecodeError):
        return None
    return values[-1] if values else None
