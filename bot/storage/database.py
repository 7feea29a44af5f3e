"""The bot's database: one SQLAlchemy engine for SQLite (the embedded default, one file) or
PostgreSQL (several replicas), its connection rules, and the Alembic migrations.

`Database.open` applies the migrations shipped in bot/storage/migrations before anything else,
so an upgraded bot never starts on an old schema and never drops a subscription. The features'
repositories (bot.daily.store, bot.usage.log, bot.storage.seen) take the engine.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be opened: unreachable, refused, or not a database URL."""


class LastingDatabaseError(DatabaseError):
    """A database fault no wait will cure, saying what to fix (`Database.lasting`): `run`
    stops at start-up on it, where it would otherwise retry in the background for ever."""


class SchemaTooNewError(LastingDatabaseError):
    """The database was migrated by a newer kubecon-bot (a rollback since): this version
    cannot use it, and waiting will not change that, unlike a database that is away."""


class NoDatabaseYetError(DatabaseError):
    """A read-only command's SQLite file does not exist, or its database has no kubecon-bot
    schema: nothing was ever recorded there. `where`: that database, as a message names it."""

    def __init__(self, message: str, where: str) -> None:
        super().__init__(message)
        self.where = where


# why a read-only command finds nothing, after where it looked
NOTHING_RECORDED_YET = (
    "a running bot (kubecon-bot run) records its use and subscriptions there; chat and ask "
    "record nothing (chat --record does)"
)

SUPPORTED_DRIVERS = {("sqlite", "pysqlite"), ("postgresql", "psycopg")}
SUPPORTED = (
    "sqlite:///PATH (e.g. sqlite:///kubecon-bot.sqlite3; sqlite:////data/bot.sqlite3 for an "
    "absolute path) or postgresql://USER:PASSWORD@HOST:PORT/NAME"
)


MASK = "***"


def _secret_key(key: str) -> bool:
    """A query parameter that holds a secret: libpq takes the password there too
    (`?password=…`), and `sslpassword` unlocks the client key."""
    return "password" in key.lower() or "secret" in key.lower()


def shown(url: sa.URL) -> str:
    """`url` as messages and logs show it: the password masked, wherever the URL holds one
    (before the @, or as a query parameter)."""
    masked = {k: MASK if _secret_key(k) else v for k, v in url.query.items()}
    if masked != dict(url.query):
        url = url.set(query=masked)
    return url.render_as_string(hide_password=True).replace("%2A%2A%2A", MASK)


def secrets_in(url: str) -> list[str]:
    """The secret values a database URL holds (its password, wherever written): what the
    log handler redacts, should a driver's message ever quote one."""
    try:
        parsed = _url(url)
    except (SQLAlchemyError, ValueError):
        return []
    found = [parsed.password] if parsed.password else []
    for key, value in parsed.query.items():
        if _secret_key(key):
            found += [value] if isinstance(value, str) else list(value)
    # a password that is also the user, the host or the database's name ("postgres" thrice)
    # would be redacted from every line naming them; the URL as shown masks it already
    said = shown(parsed)
    return [str(secret) for secret in found if secret and str(secret) not in said]


def _safe(url: str) -> str:
    """The URL with its password masked, for messages; never any part of a password, even
    from a URL too malformed to parse (then only its scheme is shown when it may hold one,
    `_may_hold_secret`: libpq's "key=value" form is no URL, and holds its password in clear).
    A URL holding no secret, parsed or not, is shown as typed."""
    try:
        parsed = _url(url)
    except (SQLAlchemyError, ValueError):
        if not _may_hold_secret(url):
            return url if url.isprintable() else repr(url)
        if "://" not in url:
            return f"a value of {len(url)} characters"
        scheme = url.partition("://")[0]
        plain = scheme.isascii() and scheme.replace("+", "").isalnum()
        return f"{scheme}://***" if plain else "***"
    if parsed.password is None and not any(map(_secret_key, parsed.query)):
        return url
    return shown(parsed)


def _may_hold_secret(url: str) -> bool:
    """Whether an unparsable URL could hold a password, and so is never shown: one written
    before an @ (`user:password@host`), after a : even with no @ (`user:password` with the host
    forgotten), or after an = (`?password=`, libpq's `password=…` form); and a value with no
    scheme:// that is no file name either (`kubecon-bot.sqlite3`, `data/bot.db`), which may be
    the password itself, pasted into the wrong variable. Otherwise the operator sees what was
    typed."""
    if "://" in url:
        return any(mark in url.partition("://")[2] for mark in "@:=")
    path_like = "/" in url or url.lower().endswith((".db", ".sqlite", ".sqlite3"))
    return not path_like or any(mark in url for mark in "@:=")


def _malformed(url: str) -> str:
    """What is wrong with a URL that does not parse, said without quoting a password: the
    operator of a hidden URL can still tell what to fix."""
    has_scheme = "://" in url
    after_scheme = url.partition("://")[2] if has_scheme else url
    notes = [
        note
        for applies, note in (
            (
                _may_hold_secret(url),
                "not shown: with an @, : or = in it, or no scheme://, it may hold a password",
            ),
            (not has_scheme, "it has no scheme://, as sqlite:/// or postgresql://"),
            ("=" in url and not has_scheme, "libpq's key=value form is not a URL"),
            (
                has_scheme and ":" in after_scheme and "@" not in url,
                "a : after the scheme comes before a port number, or a password and then @HOST",
            ),
            ("@" in url, "an @, : or / in the password must be percent-encoded, e.g. @ as %40"),
        )
        if applies
    ]
    said = f" ({'; '.join(notes)})" if notes else ""
    return f"not a valid database URL: {_safe(url)}{said}"


def _url(url: str) -> sa.URL:
    """The URL parsed, or ValueError. An @ left unescaped in a password parses without error,
    the password's head as the password and the rest as part of the host
    ("user:pa@ss@db" is password "pa", host "ss@db"): masking the password would then show
    its tail, and the driver's "cannot resolve host" would repeat it, so such a URL is
    malformed. So is one whose password also holds a / ("user:pa@ss/wd@db/name": password
    "pa", host "ss", the rest read as the database's name)."""
    parsed = make_url(database_url(url))
    if parsed.host and ("@" in parsed.host or "@" in (parsed.database or "")):
        raise ValueError("an @ in the host or the database's name")
    return parsed


def _parsed(url: str) -> sa.URL:
    """The URL, if it names a database we support (SQLite; PostgreSQL through psycopg 3):
    anything else is one DatabaseError line instead of a driver's ModuleNotFoundError, and a
    malformed URL never reaches a traceback that would print part of its password."""
    try:
        parsed = _url(url)
    except (SQLAlchemyError, ValueError):
        raise DatabaseError(f"{_malformed(url)}; use {SUPPORTED}") from None
    try:  # the driver's name loads its dialect: an unknown scheme fails there
        kind = (parsed.get_backend_name(), parsed.get_driver_name())
    except SQLAlchemyError:
        kind = None
    if kind not in SUPPORTED_DRIVERS:
        raise DatabaseError(
            f"unsupported database {parsed.drivername!r} in {_safe(url)}: "
            f"only SQLite and PostgreSQL (psycopg) are supported; use {SUPPORTED}"
        )
    return parsed


def first_line(err: BaseException) -> str:
    """A database error as one line for the log: the driver's own message (SQLAlchemy wraps it
    as `orig`), first line only, never a traceback."""
    cause = getattr(err, "orig", None) or err
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


# PostgreSQL errors no wait will cure, by SQLSTATE (a code first, then its two-character class),
# and what the operator fixes. Every other code waits: class 08 (connection), 57P01-57P03 (admin
# shutdown, crash, starting up), 53 (too many connections, disk full), 40001/40P01
# (serialization, deadlock), 25006 (a standby that failover promotes), and codes not known here.
LASTING_SQLSTATES = {
    "28": "check the user and password in DATABASE_URL, and that the role exists and may log in",
    "3D000": "create the database, or correct its name in DATABASE_URL",
    "3F000": (
        "create the schema the role works in (DATABASE_URL's search_path, else public), or "
        "GRANT USAGE, CREATE ON SCHEMA to the role"
    ),
    "42501": (
        "GRANT the role USAGE and CREATE on its schema and all rights on the bot's tables: "
        "it creates and migrates them"
    ),
    # the bot's tables gone while it ran (the database dropped and created again): `run`
    # creates them at start, so a restart mends it once DATABASE_URL names the right one
    "42P01": (
        "the bot's tables are not there: if this is the bot's database (dropped and created "
        "again?), restart `kubecon-bot run`, which creates them as it starts"
    ),
    "42": "the database refuses the bot's statements: check that it is the bot's database",
    "0A": "this PostgreSQL lacks a feature the bot needs: check its version",
}
# A connection the server refuses at log-in comes without its SQLSTATE: libpq keeps the code
# of a start-up error to itself (psycopg's OperationalError.sqlstate is None), so these are
# told by PostgreSQL's (English) messages, the code each has beside it. A server whose
# lc_messages is another language says them otherwise: those are waited out, as before.
REFUSED_AT_LOGIN = (
    (re.compile(r"password authentication failed|no password supplied"), "28P01"),
    (re.compile(r'role ".*" (does not exist|is not permitted to log in)'), "28000"),
    (re.compile(r"pg_hba\.conf"), "28000"),  # no entry for this host/user/database, or rejects
    (re.compile(r'database ".*" does not exist'), "3D000"),
    (re.compile(r"permission denied for database"), "42501"),
    # a server setting in the URL's options (`?options=-c…`) that does not exist or cannot take
    # its value: every connection is refused the same way until the URL changes
    (re.compile(r"unrecognized configuration parameter|invalid value for parameter"), "OPTIONS"),
)
LOGIN_PERMISSION = "GRANT CONNECT ON DATABASE to the role"
LOGIN_OPTIONS = (
    "check the server settings in DATABASE_URL's options (?options=-c name=value, with %3D "
    "for each = inside it): one is unknown or its value is refused"
)


def what_to_fix(err: BaseException) -> str | None:
    """What the operator must fix, if `err` is a PostgreSQL error no wait will cure: a role
    that may not log in or lacks a right, a database or schema that does not exist. None if
    waiting may cure it (a server that is away, starting up, full or in a deadlock) or it is no
    PostgreSQL error at all.

    Told by SQLSTATE, which says what the server means in any language and version, rather
    than by message; only a connection refused at log-in has no code on this side
    (`REFUSED_AT_LOGIN`). Unknown codes wait: retrying in vain costs a log line a minute,
    stopping a bot whose database would have come back costs its replies."""
    pg = _postgres_error(err)
    if pg is None:
        return None
    code = pg.sqlstate
    if code is None:
        text = str(pg)
        code = next((c for pattern, c in REFUSED_AT_LOGIN if pattern.search(text)), None)
        if code == "42501":
            return LOGIN_PERMISSION
        if code == "OPTIONS":
            return LOGIN_OPTIONS
    if code is None:
        return None
    return LASTING_SQLSTATES.get(code) or LASTING_SQLSTATES.get(code[:2])


def _postgres_error(err: BaseException) -> Any:
    """The psycopg error behind `err`, or None."""
    import psycopg

    return _driver_error(err, psycopg.Error)


def _driver_error(err: BaseException, kind: type[BaseException]) -> Any:
    """The database driver's error of `kind` behind `err` (SQLAlchemy keeps it as `orig`; a
    DatabaseError has the SQLAlchemy error as its cause), or None."""
    seen: BaseException | None = err
    for _ in range(8):  # a chain of causes is short; never follow a cycle for ever
        if seen is None:
            return None
        for candidate in (seen, getattr(seen, "orig", None)):
            if isinstance(candidate, kind):
                return candidate
        seen = seen.__cause__ or seen.__context__
    return None


def database_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use the psycopg 3 driver for them;
    spaces or a line break around it (pasted, `echo … > file`) are no part of it, and an
    error message could not show them."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


# libpq's connection parameters: a server that does not answer a new connection in 5 s is
# away; and a pooled connection whose network path dropped without a reset (a NAT or firewall
# forgetting it, a node gone) is given up after about 15 s of unanswered data (tcp_user_timeout,
# ms) or 10 + 3 x 5 s idle (TCP keepalives), where the kernel's defaults wait minutes to hours
# and every reply, probe and post that needs the database would wait with it
POSTGRES_CONNECT: dict[str, int] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}


# how long a SQLite connection waits for a lock another process holds (several share a file)
SQLITE_BUSY_S = 30


def _engine(url: str, *, create: bool = True) -> Engine:
    """An engine for `url` (nothing is connected yet). `create` False: a SQLite file that does
    not exist is an error, so a read-only command never leaves an empty database behind."""
    parsed = _parsed(url)
    if parsed.get_backend_name() != "sqlite":
        # a URL's own ?connect_timeout=… or ?keepalives_idle=… wins over these defaults
        defaults = {k: v for k, v in POSTGRES_CONNECT.items() if k not in parsed.query}
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args=defaults)
    if _in_memory(parsed):
        # each connection would get a database of its own, empty and gone when it closes: a
        # subscription "added" was never listed, every question record failed (an unset
        # variable in `sqlite:///$DB` gives this URL)
        raise DatabaseError(
            f"{_safe(url)} is an in-memory SQLite database, which keeps nothing between "
            "connections: name a file (e.g. sqlite:///kubecon-bot.sqlite3)"
        )
    path = Path(parsed.database).expanduser()
    if path.is_dir():  # never opens, however often it is retried: said at once
        raise DatabaseError(
            f"{path} is a directory: the URL names the database file in it "
            f"(e.g. sqlite:///{path / 'kubecon-bot.sqlite3'})"
        )
    if not create and not path.is_file():
        # the absolute path: a relative one is read from the current directory, and the
        # command run from another directory than the bot's names where it looked
        where = f"SQLite at {path.resolve()}"
        raise NoDatabaseYetError(
            f"no database at {path.resolve()} yet: {NOTHING_RECORDED_YET}", where
        )
    sqlite_directory(path)
    return _sqlite_engine(parsed)


def sqlite_directory(path: Path) -> None:
    """The directory of the SQLite file `path` (or of its lock file), created if need be. A
    mistyped volume ("/dta/bot.sqlite3" for "/data/…") started an empty database in a
    directory nobody meant, and said only "migrated from nothing": creating one is a warning,
    logged once it is created (a directory that cannot be is the caller's error to tell, and
    "creating…" before it read as if it had been)."""
    if path.parent.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    log.warning(
        "created the directory %s for a new SQLite database: if the bot's data should be "
        "there already, check the path in DATABASE_URL",
        path.parent.resolve(),
    )


def _in_memory(parsed: sa.URL) -> bool:
    """A SQLite URL that names no file: `sqlite://`, `sqlite:///:memory:`, `?mode=memory`."""
    return not parsed.database or parsed.database == ":memory:" or "memory" in parsed.query.values()


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names, resolved as `Database.where` shows it (the working
    directory, `..` and symlinks), so every spelling of one file gives one path: what
    bot.storage.runlock locks beside it. None for PostgreSQL, an in-memory database, a
    `file:` URI (its path is SQLite's to parse) and a URL that names no database we support
    (opening it says why)."""
    try:
        parsed = _parsed(url)
    except DatabaseError:
        return None
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or _in_memory(parsed) or name.startswith("file:"):
        return None
    return Path(name).resolve()


def _sqlite_engine(url: sa.URL, *, begin_immediate: bool = False) -> Engine:
    """A SQLite engine with the bot's connection rules (WAL, foreign keys, a busy timeout).

    `begin_immediate`: the migration's engine (`_migrating`). The app's engine keeps sqlite3's
    own transaction control, which BEGINs only before INSERT/UPDATE/DELETE: a transaction that
    starts with a write takes the write lock then and waits on the busy timeout for it, and
    reads never take a lock or pin a snapshot. Doing our own BEGIN for every transaction (the
    pysqlite recipe below) would change that for the whole app: a deferred BEGIN makes a
    transaction that reads and then writes fail at once with "database is locked" when another
    process wrote in between (a snapshot cannot be upgraded; the busy timeout does not help),
    and BEGIN IMMEDIATE everywhere would make every read (health checks, reports) queue for
    the one write lock. Only the migration needs what the recipe gives; its DDL is exactly
    what sqlite3 would otherwise commit statement by statement."""
    pool = {"poolclass": NullPool} if begin_immediate else {}
    # sqlite3's timeout is SQLite's busy timeout: how long to wait for another process's lock
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_S}, **pool)

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        _to_wal(cur)
        cur.close()
        if begin_immediate:
            # sqlite3 (Python 3.11) never BEGINs before DDL and so commits each CREATE on its
            # own; None stops it BEGINning at all (it still COMMITs and ROLLBACKs what we BEGIN)
            dbapi_conn.isolation_level = None

    if begin_immediate:

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # IMMEDIATE: the write lock from the start, so a second migrator waits (busy
            # timeout) until the first has committed, then reads the revision it left
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _to_wal(cur: Any) -> None:
    """Put the file in WAL mode (readers never wait for the writer), waiting up to the busy
    timeout for the locks that takes.

    On a new file, still in rollback mode, the switch takes an exclusive lock; when two
    connections switch at once (replicas, or `subscriptions add` beside a starting `run`),
    SQLite refuses one at once, "database is locked", without waiting on the busy timeout,
    since waiting would deadlock. Once the file is in WAL mode the switch is a no-op that
    takes no such lock, so the loser's next try, a moment later, goes through."""
    deadline = time.monotonic() + SQLITE_BUSY_S
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


@contextmanager
def _migrating(engine: Engine) -> Iterator[sa.Connection]:
    """A connection in a transaction that migrates `engine`'s database all or nothing, one
    process at a time.

    PostgreSQL: the engine's own (its DDL is transactional), holding an advisory lock until the
    commit, so replicas starting together migrate one by one. SQLite: a short-lived engine on
    the same file that BEGINs IMMEDIATE itself (`_sqlite_engine`): before, sqlite3 committed
    each CREATE on its own, so a first migration interrupted part-way (disk full, kill -9) left
    tables without an alembic_version row and every later start failed on "table ... already
    exists"; and two processes on a fresh file both created alembic_version. An in-memory
    database stays on its own engine (another engine would be another database; and nothing of
    it outlives the process anyway)."""
    own = engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:")
    migrator = engine if own else _sqlite_engine(engine.url, begin_immediate=True)
    try:
        with migrator.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7305142)"))
            yield conn
    finally:
        if migrator is not engine:
            migrator.dispose()


_UNREAD: Any = object()  # `migrate`'s `current` when the caller has not read the revision


def migrate(engine: Engine, revision: str = "head", current: str | None = _UNREAD) -> None:
    """Upgrade the schema to `revision` (Alembic, programmatically, on our own connection).

    What changed is one log line. Alembic's own INFO lines (bot.serve.logs keeps them for
    LOG_LEVEL=DEBUG) quote each migration's docstring, several lines apiece: in a text log
    read one line per event, those lines had no time, level or logger.

    All of it is one transaction (`_migrating`): it completes, or leaves nothing behind.

    A schema already at head is only read, never locked: on SQLite, `_migrating` takes the
    file's one write lock (BEGIN IMMEDIATE), and every command opens the database this way, so
    `report` or `subscriptions list` queued behind any writer (and failed with "database is
    locked" after the busy timeout), and held up `run`'s writes while it checked. `current`:
    the revision the caller has just read, not read again."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    if current is _UNREAD:
        current = _revision(engine)
    if revision == "head" and current == script.get_current_head():
        return
    with _migrating(engine) as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        _known(script, before)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        after = MigrationContext.configure(conn).get_current_revision()
    if after != before:
        log.info("database schema migrated from %s to %s", before or "nothing", after)


def _revision(engine: Engine) -> str | None:
    """The schema's revision as a plain read (None: no schema yet), which on SQLite (WAL)
    neither takes nor waits for a lock."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known(script: ScriptDirectory, revision: str | None) -> None:
    """SchemaTooNewError unless this version's migrations know `revision` (None: no schema)."""
    if revision is None:
        return
    if revision not in {s.revision for s in script.walk_revisions()}:
        raise SchemaTooNewError(
            f"the database's schema is at revision {revision}, which this version of "
            f"kubecon-bot does not know (its newest is {script.get_current_head()}): a newer "
            "version migrated it. Run that version again, or restore the backup taken before "
            "it upgraded the database"
        )


def insert_new(conn: sa.Connection, table: sa.Table, **values: Any) -> sa.Row[Any] | None:
    """INSERT the row unless it would break a unique constraint; the row inserted, or None.

    `INSERT … ON CONFLICT DO NOTHING`, never "insert and catch IntegrityError": on PostgreSQL
    a failed statement aborts the whole transaction (InFailedSqlTransaction on the next one),
    so a lost race must not be an error at all. Both dialects have the clause (and RETURNING)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing()
    return conn.execute(statement.returning(*table.columns)).first()


class LastingFaults:
    """Says a database fault no wait mends (`Database.lasting`) once, as an ERROR saying what
    to fix and what waits meanwhile, and its repeats at DEBUG. The loops that meet one (the
    scheduler's, the usage journal's) keep retrying, so a fix (a GRANT, a migration) takes
    without a restart; one line per attempt, for as long as nobody looked, read as a blip."""

    def __init__(
        self,
        lasting: Callable[[Exception], Exception | None],
        logger: logging.Logger,
        waiting: str,
    ) -> None:
        self._lasting = lasting
        self._log = logger
        self._waiting = waiting  # what waits for the fix, said after the fault
        self._last: str | None = None

    def said(self, err: Exception) -> bool:
        """Log `err` if no wait mends it; False if waiting may, for the caller's own line."""
        lasting = self._lasting(err)
        if lasting is None:
            self._last = None
            return False
        line = first_line(lasting)
        level = logging.DEBUG if line == self._last else logging.ERROR
        self._log.log(level, "%s; %s (retried without a line each time)", line, self._waiting)
        self._last = line
        return True

    def cleared(self) -> None:
        """The database works again: the next lasting fault is news, said as an ERROR."""
        self._last = None


# SQLite's faults that pass without anyone touching the file: another process holding it,
# and a full disk or a failing read, which a disk freed or a volume remounted mends
SQLITE_PASSING = ("locked", "busy", "full", "disk i/o error")
# SQLite that cannot create or open its file (a read-only working directory or volume), and
# what to check: its message names no cause
SQLITE_UNWRITABLE = (
    "unable to open database file",
    "can this user write to that file's directory? Else set DATABASE_URL to a file in one",
)


def _driver_said(err: BaseException) -> str:
    """What sqlite3 itself said of `err` ("database is locked"), lower-cased; else `err`'s own
    text. Our messages add the URL, whose path may hold any word ("locked", "busy", "full")."""
    return str(_driver_error(err, sqlite3.Error) or err).lower()


class Database:
    """The engine, and whether the schema is up to date yet."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        url = engine.url
        # a file on this machine, not a server that can be away for a while (`lasting`)
        self.local = url.get_backend_name() == "sqlite"
        # what an operator checks first when records or subscriptions seem to vanish: which
        # database this is (a misspelt DATABASE_URL falls back to the default SQLite file)
        self.where = f"SQLite at {Path(url.database or '').resolve()}" if self.local else shown(url)
        # set once the schema is up to date: what shares this store while `kubecon-bot run`
        # migrates in the background (the usage journal) waits for it instead of failing
        self.migrated = threading.Event()

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Database:
        """Connect and bring the schema up to date (creating the SQLite file if needed, unless
        `create` is False: read-only commands). DatabaseError, one line naming the database
        (password hidden), when that fails. A read-only command (`create` False) finds a
        database with no kubecon-bot schema as it finds a SQLite file that is not there
        (NoDatabaseYetError): `report` pointed at a PostgreSQL database the bot never ran on
        created the bot's tables in it."""
        database = cls.connect(url, create=create)
        with database._opening():
            current = _revision(database.engine)
        if not create and current is None:
            database.close()
            raise NoDatabaseYetError(
                f"no kubecon-bot tables in {database.where} yet: {NOTHING_RECORDED_YET}",
                database.where,
            )
        database.migrate(current)
        return database

    @contextmanager
    def _opening(self) -> Iterator[None]:
        """A failure to read or migrate the schema as a DatabaseError: one line naming the
        database (password hidden), what every command says and stops on."""
        try:
            yield
        except (SQLAlchemyError, OSError) as err:
            where = shown(self.engine.url)
            raise DatabaseError(f"cannot open the database {where}: {first_line(err)}") from err

    @classmethod
    def connect(cls, url: str, *, create: bool = True) -> Database:
        """A Database that has not talked to its database yet: `kubecon-bot run` starts, and
        answers questions, while the database is away, and calls `migrate` until it is back.
        A URL that can never work (malformed, unsupported) is a DatabaseError right here."""
        try:
            return cls(_engine(url, create=create))
        except (SQLAlchemyError, OSError) as err:
            where = _safe(url)
            raise DatabaseError(f"cannot open the database {where}: {first_line(err)}") from err

    def migrate(self, current: str | None = _UNREAD) -> None:
        """Bring the schema up to date; DatabaseError (one line, password hidden) on failure.
        `current`: the revision just read, if it was (`open`)."""
        with self._opening():
            migrate(self.engine, current=current)
        self.migrated.set()

    def lasting(self, err: Exception) -> LastingDatabaseError | None:
        """The error to stop on, one line naming the database and what to fix, if no wait
        will cure `err` (raised opening, migrating or using the database); None if waiting may.

        A server that is away comes back, and a SQLite file another process holds is let go
        of: the bot starts without them and retries. A schema from a newer version, a SQLite
        file that is no database or that this user cannot open, and a PostgreSQL refusal no
        wait cures (`what_to_fix`: a role without rights, a database that does not exist)
        stay so until someone fixes them: retrying in the background hid them behind a bot
        that looked ready."""
        if isinstance(err, LastingDatabaseError):
            return err
        if self.local:
            said = _driver_said(err)  # not the path: a file in ".../locked/" is not locked
            if any(w in said for w in SQLITE_PASSING):
                return None
            fix = SQLITE_UNWRITABLE[1] if SQLITE_UNWRITABLE[0] in said else None
        elif (fix := what_to_fix(err)) is None:
            return None
        said = (
            str(err)
            if isinstance(err, DatabaseError)
            else f"cannot use {self.where}: {first_line(err)}"
        )
        return LastingDatabaseError(f"{said}; waiting will not fix it{f': {fix}' if fix else ''}")

    def close(self) -> None:
        self.engine.dispose()
