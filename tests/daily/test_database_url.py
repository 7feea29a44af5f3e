"""What an operator sees for a database URL the bot cannot use, through the real CLI: one line
naming the problem with the password masked (never any part of it), exit 1, no traceback; and
read-only commands that never create a database."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.storage.database import database_url
from tests.conftest import POSTGRES, clean_env, run_bot

SECRET = "LEAKME99"
BAD_URLS = {
    "malformed": f"postgresql://bot:s3cr@t:{SECRET}@db:5432/kb",  # unescaped @ and : in it
    # an unescaped @ alone parses: the password's head as the password, its tail in the host
    "at in password": f"postgresql://bot:s3cr@{SECRET}@127.0.0.1:5432/kb",
    # and with a / after the @ (compose pasting POSTGRES_PASSWORD=s3cr@LEAK/ME99 unencoded):
    # the password's head, then a host, and its tail read as the database's name
    "at and slash in password": "postgresql://bot:s3cr@LEAK/ME99@127.0.0.1:5432/kb",
    "mysql": f"mysql://bot:{SECRET}@db:3306/kb",
    "asyncpg": f"postgresql+asyncpg://bot:{SECRET}@db:5432/kb",
    "unknown scheme": f"garbage://bot:{SECRET}@db/kb",  # no SQLAlchemy dialect of that name
}
COMMANDS = {
    "report": ("report",),
    "subscriptions": ("subscriptions", "list"),
    "run": ("run",),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", BAD_URLS)
def test_an_unusable_database_url_is_one_masked_line(tmp_path: Path, kind: str, command: str):
    env = clean_env(DATABASE_URL=BAD_URLS[kind], DISCORD_TOKEN="x" * 59, HEALTH_PORT="0")
    done = run_bot(*COMMANDS[command], cwd=tmp_path, env=env)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out and "Error:" not in out.replace("DatabaseError", "")
    for part in ("LEAKME", "LEAK", "EME9", "s3cr", SECRET[-4:]):  # no piece of the password
        assert part not in out
    problems = [line for line in out.splitlines() if "database" in line.lower()]
    assert len(problems) == 1, out
    assert f"kubecon-bot {command}: " in problems[0]  # the same form as every other error
    assert "DATABASE_URL: " in problems[0]  # where the URL came from
    if kind in ("malformed", "at in password", "at and slash in password"):
        assert "not a valid database URL" in problems[0]
        assert "%40" in problems[0]  # how to write the @ instead
    else:
        assert "only SQLite and PostgreSQL" in problems[0]


READ_ONLY = {
    "report": ("report",),
    "subscriptions list": ("subscriptions", "list"),
    # removing or looking up a subscription finds none: it created the file to say so
    "subscriptions remove": ("subscriptions", "remove", "slack", "C0123ABCD"),
    "takeaway --channel": ("takeaway", "--channel", "C0123ABCD"),
}


@pytest.mark.parametrize("command", READ_ONLY)
def test_read_only_commands_do_not_create_a_database(tmp_path: Path, command: str):
    where = tmp_path / "no" / "such" / "dir" / "x.sqlite3"
    done = run_bot(
        *READ_ONLY[command], "--database", f"sqlite:///{where}", cwd=tmp_path, env=clean_env()
    )
    if command == "report":  # nothing to report on: say where, and what records use
        assert done.returncode == 1
        assert f"no database at {where} yet: a running bot (kubecon-bot run)" in done.stderr
    else:  # nothing found, and where it looked: a misspelt DATABASE_URL is seen at once
        none_yet = f"(and no database yet: SQLite at {where})\n"
        if command == "subscriptions list":  # listing no subscriptions is no error
            assert done.returncode == 0 and done.stderr == f"no subscriptions {none_yet}"
        else:
            assert done.returncode == 1 and done.stderr.endswith(f"C0123ABCD {none_yet}")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command", READ_ONLY)
def test_read_only_commands_leave_a_database_the_bot_never_used_untouched(
    tmp_path: Path, db_url: str, command: str
):
    """An operator who points `report` at the team's PostgreSQL database (or at an empty
    SQLite file) before the bot ever ran there: the bot's tables were created in it. Now it
    is found as a missing SQLite file is (nothing recorded there yet), and left as it was."""
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as conn:  # a database that exists, and is someone else's
        conn.execute(sa.text("CREATE TABLE theirs (id INTEGER PRIMARY KEY)"))
    done = run_bot(*READ_ONLY[command], "--database", db_url, cwd=tmp_path, env=clean_env())
    if command == "report":
        assert done.returncode == 1
        assert "no kubecon-bot tables in " in done.stderr, done.stderr
        assert "yet: a running bot (kubecon-bot run)" in done.stderr
    elif command == "subscriptions list":
        assert done.returncode == 0 and done.stderr.startswith("no subscriptions (and no database")
    else:
        assert done.returncode == 1
        assert "C0123ABCD (and no database yet: " in done.stderr
    assert "Traceback" not in done.stderr
    assert sa.inspect(engine).get_table_names() == ["theirs"]
    engine.dispose()


def test_a_server_not_reached_is_said_with_where_to_look(tmp_path: Path):
    """ "Connection refused" named the failure, not what to check: the line now says it."""
    with socket.socket() as sock:  # a port nothing listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        url = f"postgresql://bot:{SECRET}@127.0.0.1:{port}/kb"
        done = run_bot("report", cwd=tmp_path, env=clean_env(DATABASE_URL=url))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("kubecon-bot report: DATABASE_URL: cannot open the database")
    assert "; is PostgreSQL running, and listening at that host and port?" in done.stderr
    assert SECRET not in done.stderr


@pytest.mark.skipif(not POSTGRES, reason="KUBECON_TEST_POSTGRES_URL is not set")
def test_a_database_that_does_not_exist_is_said_with_the_fix(tmp_path: Path):
    url = sa.make_url(database_url(POSTGRES or "")).set(database="no_such_kubecon_db")
    shown = url.render_as_string(hide_password=False)
    done = run_bot("report", "--database", shown, cwd=tmp_path, env=clean_env())
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert 'database "no_such_kubecon_db" does not exist' in done.stderr
    assert "; create the database, or correct its name" in done.stderr


def test_a_bad_database_option_is_named_as_the_option(tmp_path: Path):
    done = run_bot("report", "--database", BAD_URLS["mysql"], cwd=tmp_path, env=clean_env())
    assert done.returncode == 1
    assert done.stderr.startswith("kubecon-bot report: --database: unsupported database")
    assert SECRET not in done.stderr


@pytest.mark.parametrize(("channel", "when"), [("C0123ABCD", "25:00"), ("not-a-channel", "08:00")])
def test_a_refused_subscription_creates_no_database(tmp_path: Path, channel: str, when: str):
    """ "Nothing was changed" is true: the line is checked before the database is opened."""
    where = tmp_path / "new" / "x.sqlite3"
    done = run_bot(
        "subscriptions",
        "--database",
        f"sqlite:///{where}",
        "add",
        "slack",
        channel,
        when,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert done.returncode == 2 and done.stderr.startswith("kubecon-bot subscriptions add: ")
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_sqlite_url_naming_a_directory_is_refused_at_once(tmp_path: Path, command: str):
    """`sqlite:////data` (the volume, not a file in it) can never open: `run` started, said it
    was ready and retried "unable to open database file" for ever. Now one line naming the
    variable and the directory, and exit 1."""
    volume = tmp_path / "data"
    volume.mkdir()
    env = clean_env(DATABASE_URL=f"sqlite:///{volume}", DISCORD_TOKEN="x" * 59, HEALTH_PORT="0")
    done = run_bot(*COMMANDS[command], cwd=tmp_path, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"DATABASE_URL: {volume} is a directory" in done.stderr


def test_the_default_database_is_not_called_database_url(tmp_path: Path):
    """The default SQLite file, with DATABASE_URL unset, was reported as "DATABASE_URL: …":
    an operator looked for a setting they never made. The default says it is the default."""
    (tmp_path / "kubecon-bot.sqlite3").write_bytes(bytes(range(256)) * 8)  # no database
    done = run_bot("report", cwd=tmp_path, env=clean_env())
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(
        "kubecon-bot report: the default database (DATABASE_URL is not set): cannot open "
    )
    named = run_bot(
        "report", cwd=tmp_path, env=clean_env(DATABASE_URL="sqlite:///kubecon-bot.sqlite3")
    )
    assert named.returncode == 1 and "kubecon-bot report: DATABASE_URL: cannot open" in (
        named.stderr
    )
    # and `run`, which said "DATABASE_URL:" of the default too
    token = clean_env(DISCORD_TOKEN="x" * 59, HEALTH_PORT="0")
    ran = run_bot("run", cwd=tmp_path, env=token)
    assert ran.returncode == 1 and "Traceback" not in ran.stderr, ran.stderr
    assert "configuration error: the default database (DATABASE_URL is not set): cannot open" in (
        ran.stderr
    )


def test_spaces_around_the_database_url_are_no_part_of_it(tmp_path: Path):
    """DATABASE_URL=' sqlite:///x.db' (pasted with a space) was "not a valid database URL:
    sqlite:///x.db", the space invisible in the message. Spaces and line breaks around it
    are dropped, as around a token."""
    env = clean_env(DATABASE_URL=" sqlite:///x.sqlite3\n")
    done = run_bot("subscriptions", "add", "slack", "C0123ABCD", "09:00", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.sqlite3").is_file()


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://", "sqlite:///:memory:"])
@pytest.mark.parametrize("command", [*COMMANDS, "subscriptions add"])
def test_an_in_memory_sqlite_url_is_refused(tmp_path: Path, command: str, url: str):
    """`sqlite:///$UNSET` is `sqlite:///`, an in-memory database each connection gets afresh:
    `subscriptions add` said "added" and `list` then found none, and `run` answered while
    every question record failed. Refused, naming the variable, with what to write."""
    args = COMMANDS.get(command, ("subscriptions", "add", "slack", "C0123ABCD", "08:30", "UTC"))
    env = clean_env(DATABASE_URL=url, DISCORD_TOKEN="x" * 59, HEALTH_PORT="0")
    done = run_bot(*args, cwd=tmp_path, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"DATABASE_URL: {url} is an in-memory SQLite database" in done.stderr
    assert "sqlite:///kubecon-bot.sqlite3" in done.stderr
    assert "added" not in done.stdout


# URLs too malformed to parse, and what a message may show of them
NO_SECRET_POSSIBLE = ["kubecon-bot.sqlite3", "sqlite//kubecon.db", "data/bot.db"]
MAY_HOLD_A_SECRET = {
    "user:password, no host": f"postgresql://bot:{SECRET}",
    "key=value": f"host=db user=bot password={SECRET} dbname=kb",
    "no scheme": f"bot:{SECRET}@db/kb",
    "the password itself, pasted here": SECRET,
    "a word, no scheme": "notaurl",
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("url", NO_SECRET_POSSIBLE)
def test_a_malformed_url_that_can_hold_no_password_is_shown(
    tmp_path: Path, url: str, command: str
) -> None:
    """`DATABASE_URL=kubecon-bot.sqlite3` said "not a valid database URL: ***": hidden in case
    it held a password, so the operator could not see what was wrong with it. A file name with
    no @, : or = can hold none: shown, with what a URL the bot can use looks like."""
    env = clean_env(DATABASE_URL=url, DISCORD_TOKEN="x" * 59, HEALTH_PORT="0")
    done = run_bot(*COMMANDS[command], cwd=tmp_path, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    line = next(line for line in done.stderr.splitlines() if "DATABASE_URL" in line)
    assert f"DATABASE_URL: not a valid database URL: {url} (it has no scheme://" in line, line
    assert "***" not in line
    assert "sqlite:///kubecon-bot.sqlite3" in line and "postgresql://" in line


@pytest.mark.parametrize("kind", MAY_HOLD_A_SECRET)
def test_a_malformed_url_that_may_hold_a_password_says_why_it_is_not_shown(
    tmp_path: Path, kind: str
) -> None:
    """Hidden, saying why and what a URL looks like. A value with no scheme:// that is no file
    name may be the password itself, pasted into the wrong variable (the review found one
    printed in clear): only its length is said."""
    done = run_bot("report", cwd=tmp_path, env=clean_env(DATABASE_URL=MAY_HOLD_A_SECRET[kind]))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "not a valid database URL: " in done.stderr
    assert "not shown: with an @, : or = in it, or no scheme://, it may hold a password" in (
        done.stderr
    )
    assert "sqlite:///kubecon-bot.sqlite3" in done.stderr
    for part in ("LEAKME", "EME9", SECRET[-4:], "notaurl"):
        assert part not in done.stderr


def test_a_directory_sqlite_cannot_write_in_is_said_with_what_to_check(tmp_path: Path):
    """A read-only working directory or volume: SQLite's "unable to open database file" named
    no cause. The line says what to check and the way out (a file elsewhere), and `run` stops
    on it: its directory is named "locked", which `run` once read as SQLite's "database is
    locked" (a wait cures that) and started without a database it could never open. The
    directory is made immutable (`chattr +i`), which stops root too (CI runs as root)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    if (
        shutil.which("chattr") is None
        or subprocess.run(
            ["chattr", "+i", str(locked)], check=False, capture_output=True
        ).returncode
    ):
        pytest.skip("chattr +i is not available here")
    try:
        env = clean_env(DATABASE_URL=f"sqlite:///{locked / 'x.sqlite3'}")
        done = run_bot("subscriptions", "add", "slack", "C0123ABCD", cwd=tmp_path, env=env)
        token = {**env, "DISCORD_TOKEN": "x" * 59, "HEALTH_PORT": "0"}
        ran = run_bot("run", cwd=tmp_path, env=token)
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    said = (
        "unable to open database file; can this user write to that file's directory? Else set "
        "DATABASE_URL to a file in one"
    )
    assert said in done.stderr, done.stderr
    assert ran.returncode == 1 and "waiting will not fix it: can this user write" in ran.stderr
