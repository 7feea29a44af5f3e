"""The `kubecon-bot` command line.

Each subcommand imports only what it needs, so `ask`, `list` and `check` never load Slack,
Discord, aiohttp or database code and start in a fraction of a second.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.core.content import Content
    from bot.daily.store import Store, Subscription
    from bot.daily.timing import When
    from bot.usage.log import UsageLog

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _setting(name: str) -> str | None:
    """A setting as `run` reads it (bot.config): the environment, else the working directory's
    `.env`; empty is unset. Read here without pydantic-settings, whose import would double the
    start-up of `ask`; `.env` is parsed (python-dotenv, as pydantic-settings does) only when
    there is one. Without this, `suggestions accept` wrote to the bundled file while `run`
    served the one `.env` named."""
    return os.environ.get(name) or _dotenv().get(name) or None


@functools.cache
def _dotenv() -> dict[str, str | None]:
    from bot.envfile import ENV_FILE, name_the_file

    if not Path(ENV_FILE).is_file():
        return {}
    from dotenv import dotenv_values

    name_the_file()
    return {key.upper(): value for key, value in dotenv_values(ENV_FILE).items()}


def _content_path(args: argparse.Namespace) -> Path:
    """The content file: --content, else CONTENT_PATH, else the bundled file."""
    from bot.core.content import DEFAULT_CONTENT_PATH

    return Path(args.content or _setting("CONTENT_PATH") or DEFAULT_CONTENT_PATH)


def _content(args: argparse.Namespace) -> Content:
    from bot.core.content import load_content

    named_by = "--content" if args.content else "CONTENT_PATH" if _setting("CONTENT_PATH") else ""
    return load_content(
        _content_path(args), recording_url=_setting("RECORDING_URL"), named_by=named_by
    )


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.adapters.terminal.render import as_json, dumps, render
    from bot.core.intents import ONE_SHOT
    from bot.core.responder import Responder

    content = _content(args)
    responder = Responder(content)
    if args.text == ["-"]:
        for line in sys.stdin:
            if not line.strip() and not args.json:  # a blank line asks nothing: no help block
                continue  # (JSON Lines keeps one reply per line read, for scripts to pair)
            reply = responder.respond(line.rstrip("\n"), invocation=ONE_SHOT)
            out = dumps(as_json(reply, content)) + "\n" if args.json else render(reply) + "\n"
            sys.stdout.write(out)
            sys.stdout.flush()
        return EXIT_OK
    reply = responder.respond(" ".join(args.text), invocation=ONE_SHOT)
    sys.stdout.write(dumps(as_json(reply, content)) + "\n" if args.json else render(reply))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from bot.adapters.terminal.render import render
    from bot.core.intents import LIST, ONE_SHOT

    sys.stdout.write(render(LIST.reply(_content(args), ONE_SHOT)))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from bot.core.content import ContentError, load_content
    from bot.core.examples_check import warnings

    if args.path and args.content and Path(args.path) != Path(args.content):
        print(f"kubecon-bot check: two files given ({args.content} with --content, and "
              f"{args.path}): check one at a time", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    try:
        # with RECORDING_URL, as every command that serves the file reads it: a value they
        # refuse must not pass the check an operator runs before deploying
        content = load_content(
            args.path or _content_path(args), recording_url=_setting("RECORDING_URL")
        )
    except ContentError as err:
        print(err, file=sys.stderr)
        return EXIT_ERROR
    for warning in warnings(content):
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{content.path}: ok ({len(content.entries)} entries, "
        f"{len(content.takeaways)} takeaways, version {content.version})"
    )
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.core.evaluation import evaluate, load_cases
    from bot.core.responder import Responder

    content = _content(args)
    report = evaluate(Responder(content), load_cases(args.file, content))
    for label, (ok, n) in (
        ("overall", report.overall),
        ("answerable", report.answerable),
        ("declined", report.declined),
    ):
        # a group with no case has no accuracy: "n/a", not a perfect 1.000
        print(f"{label:<11} {f'{ok / n:6.3f}' if n else '   n/a'}  ({ok}/{n})")
    for miss in report.misses:
        print(
            f"MISS expected {miss.case.expect or 'decline'}, "
            f"got {miss.returned}: {miss.case.text!r}"
        )
    return EXIT_OK if not report.misses or not args.strict else EXIT_ERROR


class _StartUpStopped(BaseException):
    """SIGTERM or SIGINT before `run` installed its own handlers. A BaseException, as
    KeyboardInterrupt is: no `except Exception` on the way may take it for a failure."""


def _stop_start_up(signum: int, _frame: object) -> None:
    import signal

    raise _StartUpStopped(signal.Signals(signum).name)


def cmd_run(args: argparse.Namespace) -> int:
    """Serve until stopped. A stop signal is honoured as soon as this command runs: before the
    runner's handlers are in place (importing the platforms and opening the database take
    seconds), SIGTERM killed it with no word and, in a container where it is PID 1 and a
    signal without a handler is ignored, was lost until `docker stop` killed it. (The
    interpreter's own start and the import of this module, a few tens of milliseconds, come
    before any handler can be.) What it says then is said once the usual handlers are back: a
    second signal while it speaks stops it as a signal would."""
    import logging
    import signal

    previous = {sig: signal.signal(sig, _stop_start_up) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        from bot.serve.runner import main as run

        return run(args.content)
    except _StartUpStopped as stop:
        stopped = stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    from bot.serve import logs

    said = f"kubecon-bot run: {stopped} during start-up: stopped before anything was started"
    logs.say(said, logs.wanted_format(), logger=__name__, level=logging.INFO)
    # The stop may have landed inside a log handler's constructor, after logging listed the
    # handler for its exit-time flush and before the handler had a stream: that flush then
    # printed a traceback after the line above. Nothing is logged after this line, so what
    # logging's exit finds broken is left unsaid (its documented setting for production)
    logging.raiseExceptions = False
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.adapters.terminal.chat import chat
    from bot.core.app import BotApp
    from bot.core.responder import Responder

    if args.database and not args.record:
        print("kubecon-bot chat: --database is where --record records; add --record",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    responder = Responder(_content(args))
    if not args.record:
        return chat(BotApp(responder), sys.stdin, sys.stdout, interactive)
    import datetime as dt

    from bot.usage.journal import Journal

    settings = _usage_settings()  # before the database: a bad value creates nothing
    texts = settings.record_questions
    database = _database(args)
    usage = _usage_log(database, texts)
    lost: list[int] = []
    # it prunes records as `run` does, so it keeps them as long as `run` would
    keep = dt.timedelta(days=settings.usage_retention_days)
    journal = Journal(usage, keep_text=texts, retention=keep, on_lost=lost.append)
    asked: list[object] = []  # what was asked at all: an empty input records nothing
    observers = [journal.observe, lambda incoming, reply, seconds: asked.append(incoming)]
    bot_app = BotApp(responder, usage=usage, observers=observers)
    done = chat(bot_app, sys.stdin, sys.stdout, interactive, journal=journal)
    if not asked:
        print(f"nothing was asked: nothing recorded in {database.where}", file=sys.stderr)
        return done
    if lost:  # each loss was logged with its reason as it happened
        print(f"kubecon-bot chat: {sum(lost)} question record(s) not saved (see above); the "
              f"others are in {database.where}", file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    print(
        f"recorded in {database.where}: see kubecon-bot report, kubecon-bot suggestions",
        file=sys.stderr,
    )
    return done


def cmd_healthcheck(args: argparse.Namespace) -> int:
    from bot.config import ConfigError, load_settings
    from bot.serve.health import probe

    try:
        ok, detail = probe(load_settings(), args.path)
    except ConfigError as err:
        ok, detail = False, str(err)
    if ok:
        print(detail)
        return EXIT_OK
    from bot.serve import logs

    # one line per bad setting, each saying whose it is; one JSON log line with LOG_FORMAT=json
    said = "\n".join(f"kubecon-bot healthcheck: {line}" for line in detail.splitlines())
    logs.say(said, logs.wanted_format(), logger=__name__)
    return EXIT_ERROR


def _endpoint(path: str) -> str:
    """`healthcheck --path`: one of the endpoints `run` serves, named with or without its
    slash; the probe builds the URL from HOST and the port, so a URL or another path here
    would be glued onto it."""
    from bot.serve.health import ENDPOINTS

    named = "/" + path.strip().lstrip("/")
    if named not in ENDPOINTS:
        raise argparse.ArgumentTypeError(f"{path!r} is not one of {', '.join(ENDPOINTS)}")
    return named


class CommandError(Exception):
    """A subcommand failed for a reason one line explains (exit 1, no traceback)."""


def _usage_settings():  # -> UsageSettings, imported lazily
    """RECORD_QUESTIONS and USAGE_RETENTION_DAYS as `run` reads them: every command that
    records or shows question text follows them (bot.config.UsageSettings), and a value that
    is not one stops it."""
    from bot.config import ConfigError, UsageSettings, load_settings

    try:
        return load_settings(UsageSettings)
    except ConfigError as err:
        raise CommandError(err) from None


def _record_questions() -> bool:
    return _usage_settings().record_questions


def _usage_log(database: Any, texts: bool | None = None):  # -> UsageLog, imported lazily
    """The usage tables of `database`, written and read as RECORD_QUESTIONS says."""
    from bot.usage.log import UsageLog

    return UsageLog(database.engine, texts=_record_questions() if texts is None else texts)


class MissingDatabaseError(CommandError):
    """A read-only command's database is not there yet (no SQLite file, no kubecon-bot
    schema): nothing was ever recorded there. `where`: the database it looked in."""

    def __init__(self, message: object, where: str) -> None:
        super().__init__(message)
        self.where = where

    @property
    def none_yet(self) -> str:
        """ "(and no database yet …)", where a command found nothing: a misspelt DATABASE_URL
        left a list empty without saying which database it had read."""
        return f" (and no database yet: {self.where})"


class PlatformNames:
    """The `--platform` choices: the platform registry's names, read only when argparse checks
    a value or prints help, so building the parser for `ask` or `check` loads no plugin (and
    an installed plugin that is broken cannot stop them)."""

    def __contains__(self, name: object) -> bool:
        from bot.core.platforms import installed

        return name in installed()

    def __iter__(self) -> Iterator[str]:
        from bot.core.platforms import installed

        return iter(installed().names)


def _database(args: argparse.Namespace, *, create: bool = True):  # -> Database, imported lazily
    """The database of --database or DATABASE_URL, migrated; `create` False: a SQLite file that
    does not exist is an error (read-only commands never leave an empty database behind)."""
    from bot.config import ConfigError, DatabaseSettings, database_named, load_settings
    from bot.storage.database import (
        SQLITE_UNWRITABLE,
        Database,
        DatabaseError,
        NoDatabaseYetError,
        what_to_fix,
    )

    try:
        settings = None if args.database else load_settings(DatabaseSettings)
    except ConfigError as err:
        raise CommandError(err) from None
    url = args.database if settings is None else settings.database_url
    try:
        return Database.open(url, create=create)
    except NoDatabaseYetError as err:
        raise MissingDatabaseError(err, err.where) from None
    except DatabaseError as err:  # the URL itself: say where it came from
        named = "--database" if settings is None else database_named(settings)
        hints = (*_UNREACHED, SQLITE_UNWRITABLE)  # the last: a read-only directory or volume
        fix = what_to_fix(err) or next((f for said, f in hints if said in str(err)), None)
        raise CommandError(f"{named}: {err}{f'; {fix}' if fix else ''}") from None


# a server that was not reached, as libpq says it, and what to look at: the command's one line
# said what failed and not where to look
_UNREACHED = (
    ("Connection refused", "is PostgreSQL running, and listening at that host and port?"),
    ("timeout expired", "is that host reachable from here, and PostgreSQL listening on it?"),
    ("could not translate host name", "check the host name in the URL"),
    ("Name or service not known", "check the host name in the URL"),
)


def _store(args: argparse.Namespace, *, create: bool = True):  # -> Store, imported lazily
    """The daily posts' store (subscriptions and their ledger) on `_database`."""
    from bot.daily.store import Store

    return Store(_database(args, create=create))


# A schedule in this command's syntax, for "Give one time, e.g. …" (chat's said `subscribe …`)
CLI_EXAMPLE = "kubecon-bot subscriptions add slack C0123 09:00 Europe/Berlin"


def cmd_subscriptions(args: argparse.Namespace) -> int:
    from bot.core.platforms import installed
    from bot.daily.timing import ScheduleError, parse_when

    if args.action != "list":  # checked before the database is opened: nothing is changed
        problem = installed()[args.platform].channel_problem(args.channel)
        if problem:
            end = " " if problem.endswith(("?", ".")) else ". "
            said = f"channel {problem}{end}Nothing was changed."
            print(f"kubecon-bot subscriptions {args.action}: {said}", file=sys.stderr)
            return EXIT_USAGE
    if args.action == "add":
        try:  # checked before the database is opened too; read again beside the channel's own
            parse_when(" ".join(args.when), CLI_EXAMPLE)
        except ScheduleError as err:
            print(f"kubecon-bot subscriptions add: {err} Nothing was changed.", file=sys.stderr)
            return EXIT_USAGE
    configured = _configured_subscriptions()
    try:  # only adding creates a database: listing or removing finds nothing to act on
        store = _store(args, create=args.action == "add")
    except MissingDatabaseError as err:
        if args.action == "list":
            _list_subscriptions([], configured, err.none_yet)
            return EXIT_OK
        return _not_subscribed(args.platform, args.channel, configured, err.none_yet)
    try:
        if args.action == "list":
            _list_subscriptions(store.subscriptions(), configured)
            return EXIT_OK
        if args.action == "add":
            return _subscribe(store, args.platform, args.channel, args.when, configured)
        return _unsubscribe(store, args.platform, args.channel, configured)
    finally:
        store.close()


def _configured_subscriptions() -> list[tuple[str, str, When]]:
    """The channels SUBSCRIPTIONS_FILE and DAILY_SUBSCRIPTIONS configure, read as `run` reads
    them (a mistake in them stops the command with the same message)."""
    from bot.config import ConfigError, SubscriptionSettings, load_settings
    from bot.daily.subscriptions import ConfigSubscriptionError, configured

    try:
        settings = load_settings(SubscriptionSettings)
        return configured(settings.subscriptions_file, settings.daily_subscriptions)
    except (ConfigError, ConfigSubscriptionError) as err:
        raise CommandError(err) from None


def _list_subscriptions(
    subs: list[Subscription], configured: list[tuple[str, str, When]], why: str = ""
) -> None:
    """`subscriptions list`: the database's, then the configured channels `run` has not yet
    subscribed (it does when it starts), so a configuration is seen before the first start."""
    from bot.daily.digest_schedule import DAYS
    from bot.daily.store import CHAT, DIGEST

    for sub in subs:
        state = f"paused: {sub.paused_reason}" if sub.paused else "active"
        when = f"{sub.when}" if sub.weekday is None else f"{DAYS[sub.weekday]} {sub.when}"
        if sub.kind == DIGEST:  # the editors' digest (DIGEST_CHANNEL): no rotation
            print(f"{sub.platform:<8} {sub.channel_id:<24} {when:<28} digest  {state}")
            continue
        # who set it: chat's `subscribe` and this command share a source, said as both
        source = "chat/cli" if sub.source == CHAT else sub.source
        print(
            f"{sub.platform:<8} {sub.channel_id:<24} {when:<28} {source:<8} "
            f"last={sub.position or '-'}  {state}"
        )
    known = {(sub.platform, sub.channel_id) for sub in subs}
    waiting = [(p, c, w) for p, c, w in configured if (p, c) not in known]
    for platform, channel, when in waiting:
        print(
            f"{platform:<8} {channel:<24} {when!s:<28} config   last=-  "
            "configured: `kubecon-bot run` starts it"
        )
    if not subs and not waiting:
        print(f"no subscriptions{why}", file=sys.stderr)


def _not_subscribed(
    platform: str, channel: str, configured: list[tuple[str, str, When]], why: str = ""
) -> int:
    """`subscriptions remove` of a channel the database does not have: one the configuration
    sets is removed there (`run` would subscribe it again), any other is no subscription."""
    from bot.daily.subscriptions import set_in_configuration

    when = _configured_when(platform, channel, configured)
    if when is not None:
        return _removal_refused(platform, channel, set_in_configuration(when))
    print(f"no subscription for {platform} {channel}{why}", file=sys.stderr)
    return EXIT_ERROR


def _removal_refused(platform: str, channel: str, where: str) -> int:
    """`subscriptions remove` of a configured channel, in the database or not yet: the
    configuration owns it, and `run` would subscribe it again."""
    said = f"{platform} {channel} is {where}: remove it there (`kubecon-bot run` adds it back)"
    print(f"kubecon-bot subscriptions remove: {said}. Nothing was changed.", file=sys.stderr)
    return EXIT_ERROR


def _change_refused(platform: str, channel: str, where: str) -> int:
    """`subscriptions add` of a configured channel at another time, in the database or not
    yet: the configuration owns it, as `_removal_refused` says for a removal."""
    said = f"{platform} {channel} is {where}: change it there. Nothing was changed."
    print(f"kubecon-bot subscriptions add: {said}", file=sys.stderr)
    return EXIT_ERROR


def _configured_when(
    platform: str, channel: str, configured: list[tuple[str, str, When]]
) -> When | None:
    """The time the configuration sets for a channel, or None when it sets none."""
    return next((w for p, c, w in configured if p == platform and c == channel), None)


def _subscribe(
    store: Store,
    platform: str,
    channel: str,
    schedule: list[str],
    configured: list[tuple[str, str, When]],
) -> int:
    """`subscriptions add`: the store decides what chat and the CLI may change (a configured
    subscription is the configuration's); this says it in the CLI's words. A channel the
    configuration sets that `run` has not subscribed yet is the configuration's too: added
    here at another time, `run` would set it back without a word. What `schedule` leaves
    out (the time or the timezone) stays as the channel has it, as in chat."""
    from bot.core.clock import utcnow
    from bot.daily.store import CONFIG, ConfiguredError
    from bot.daily.subscriptions import CONFIGURED_IN, set_in_configuration
    from bot.daily.timing import parse_when

    before = store.get(platform, channel)
    when = parse_when(" ".join(schedule), CLI_EXAMPLE, before.when if before else None)
    owned = _configured_when(platform, channel, configured)
    if owned is not None and (before is None or before.source != CONFIG):
        if owned == when:
            print(
                f"unchanged: {platform} {channel} at {when}, set in the configuration "
                f"({CONFIGURED_IN}): `kubecon-bot run` starts it"
            )
            return EXIT_OK
        return _change_refused(platform, channel, set_in_configuration(owned))
    try:
        sub, new = store.subscribe(platform, channel, when, now=utcnow())
    except ConfiguredError as err:
        return _change_refused(platform, channel, set_in_configuration(err.sub.when))
    if sub.source == CONFIG:  # resumed if paused, and still the configuration's
        done = "resumed" if before is not None and before.paused else "unchanged"
        print(f"{done}: {platform} {channel} at {when}, set in the configuration ({CONFIGURED_IN})")
        return EXIT_OK
    # where: a misspelt DATABASE_URL falls back to the default file, and "added" said nothing
    # of which database it was added to
    print(f"{'added' if new else 'updated'}: {platform} {channel} at {when} "
          f"(in {store.database.where})")  # fmt: skip
    return EXIT_OK


def _unsubscribe(
    store: Store, platform: str, channel: str, configured: list[tuple[str, str, When]]
) -> int:
    """`subscriptions remove`: refused for a configured subscription, which `run` brings back."""
    from bot.core.clock import utcnow
    from bot.daily.store import ConfiguredError
    from bot.daily.subscriptions import set_in_configuration

    owned = _configured_when(platform, channel, configured)
    if owned is not None:  # whoever added the row, `run` would subscribe it again
        return _removal_refused(platform, channel, set_in_configuration(owned))
    try:
        ended = store.unsubscribe(platform, channel, now=utcnow())
    except ConfiguredError as err:
        return _removal_refused(platform, channel, set_in_configuration(err.sub.when))
    if ended:
        print(f"removed: {platform} {channel} (from {store.database.where})")
        return EXIT_OK
    return _not_subscribed(platform, channel, configured)


def cmd_report(args: argparse.Namespace) -> int:
    """Usage over the last N days, from the recorded questions and votes."""
    import datetime as dt
    import json

    from bot.core.clock import utcnow
    from bot.core.responder import Responder
    from bot.usage import report

    responder = Responder(_content(args))
    database = _database(args, create=False)
    try:
        until = utcnow()
        since = until - dt.timedelta(days=args.days)
        usage = _usage_log(database)
        asked = usage.asked_since(since)
        built = report.build(
            asked,
            usage.votes_since(since),
            responder,
            since=since,
            until=until,
            top_groups=args.top,
        )
        if args.html is not None:  # the page also lists what `suggestions list` would
            from bot.usage import suggestions

            found = suggestions.since(usage, responder, since)
            proposed = suggestions.as_json(found, responder.content, days=args.days)
    finally:
        database.close()
    if args.html is not None:
        from bot.usage import report_page

        page = report_page.render(report.as_json(built), days=args.days, suggestions=proposed)
        try:
            args.html.write_text(page, encoding="utf-8")
        except OSError as err:
            print(f"kubecon-bot report: cannot write {args.html}: {err.strerror}", file=sys.stderr)
            return EXIT_ERROR
        print(f"wrote {args.html}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_json(built), ensure_ascii=False, indent=2))
    else:
        print(report.as_text(built, days=args.days))
    return EXIT_OK


def _label(content: Content, entry_id: str | None, kind: str = "") -> str:
    from bot.usage.suggestions import DECLINE

    if kind == DECLINE:
        return "decline"
    entry = content.entry(entry_id) if entry_id else None
    return f"Q{entry.number}" if entry else "new entry?"


def _evidence(s: Any, content: Content) -> str:
    """Why the bot proposes it, in a few words."""
    if not s.acceptable:
        return f"{s.asked}× unanswered"
    said = [f"{s.picks}× picked"] if s.picks else []
    said += [f"{s.redirects}× 👎 then {_label(content, s.entry_id)}"] if s.redirects else []
    if s.corrections:
        instead = content.entry(s.instead_of) if s.instead_of else None
        was = f" of Q{instead.number}" if instead else ""
        said.append(f"{s.corrections}× admin correction{was}")
    return ", ".join(said)


def _list_suggestions(pending: Sequence[Any], responder: Any, days: int) -> None:
    from bot.core.examples_check import one_word
    from bot.usage.suggestions import PHRASING

    content = responder.content
    if not pending:
        print(f"No pending suggestions in the last {days} days.")
        return
    by_id = {s.id: s for s in pending}
    for s in pending:
        label = _label(content, s.entry_id, s.kind)
        print(f"{s.id}  {label:<10} {_evidence(s, content)}  “{s.text}”")
        entry = content.entry(s.entry_id) if s.kind == PHRASING and s.entry_id else None
        held = responder.holds_back(s.text, entry) if entry else None
        if held:  # as `show` and `accept` warn: seen before anyone accepts it
            print(f"{'':10}⚠ asks {held}: taught, {label} is posted in the channel for it")
        word = one_word(s.text, responder, entry.id) if entry else None
        if word is not None:
            print(f"{'':10}⚠ one content word ({word!r}): taught, {label} is posted for it alone")
        if s.rivals:
            clearly = _clearly(s, by_id, content)
            print(f"{'':10}disagrees with {_rivals(s, by_id, content)}: accept one{clearly}")
    print("\nkubecon-bot suggestions show ID | accept ID… [--dry-run] | reject ID…")
    if any(not s.acceptable for s in pending):
        print("(a new entry? is written by an editor, not accepted: see `show ID`)")


def _rivals(s: Any, by_id: dict[str, Any], content: Content) -> str:
    """The other suggestions for `s`'s phrasing, each with what it proposes: "1a2b3c4d (Q2)"."""
    return ", ".join(
        f"{i} ({_label(content, by_id[i].entry_id, by_id[i].kind)})" for i in s.rivals if i in by_id
    )


def _clearly(s: Any, by_id: dict[str, Any], content: Content) -> str:
    """What follows "accept one" when one of `s` and its rivals has more than half of their
    evidence (`suggestions.clear_rival`): "; people clearly chose 1a2b3c4d (Q2): 2 of 3".
    Nothing when people disagree."""
    from bot.usage.suggestions import clear_rival

    found = clear_rival(s, by_id)
    if found is None:
        return ""
    chosen, total = found
    label = _label(content, chosen.entry_id, chosen.kind)
    return f"; people clearly chose {chosen.id} ({label}): {chosen.evidence} of {total}"


def _show_suggestion(s: Any, content: Content, by_id: dict[str, Any]) -> None:
    from bot.usage.suggestions import DECLINE

    if s.kind == DECLINE:
        print(f"{s.id}: “{s.text}”\n  should not be answered: `accept` adds it to the "
              f"content's declines:\n  {_evidence(s, content)}, "
              f"last {s.last_at:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    elif s.acceptable:
        entry = content.entry(s.entry_id)
        assert entry is not None
        print(f"{s.id}: “{s.text}”\n  a phrasing of Q{entry.number}. {entry.question}\n"
              f"  {_evidence(s, content)}, last {s.last_at:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    if s.acceptable:
        if s.rivals:
            print(f"  disagrees with {_rivals(s, by_id, content)}: the bot gives a phrasing one "
                  "verdict, so accepting one of them settles the others"
                  f"{_clearly(s, by_id, content)}")  # fmt: skip
        return
    closest = content.entry(s.closest) if s.closest else None
    print(f"{s.id}: “{s.text}”: asked {s.asked}× and not answered; no entry takes it")
    for text in s.examples:
        print(f"  also: “{text}”")
    if closest is not None:
        print(f"  closest entry: Q{closest.number}. {closest.question}")
    print(f"  last {s.last_at:%Y-%m-%d %H:%M} UTC\n  {NEW_ENTRY_HELP}")


NEW_ENTRY_HELP = (
    "an editor writes the entry (question, answer, keywords) in the content file; then the bot "
    "answers these questions and this suggestion goes away (or `reject` it: out of scope)"
)


def _accept(
    args: argparse.Namespace, chosen: Sequence[Any], path: Path, usage: Any, content: Content
) -> int:
    """`suggestions show|accept`: the phrasings written into a copy of the content file, the
    diff and the check's warnings about them shown; saved (validated, refused if the file
    changed on disk) only for `accept` without `--dry-run`."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.core.clock import utcnow
    from bot.core.content import bundled_in_package, parse_content
    from bot.core.content_edit import ContentFile
    from bot.core.examples_check import new_warnings
    from bot.usage.suggestions import ACCEPTED, PHRASING, disagreeing, write

    entries = [s for s in chosen if not s.acceptable]
    if entries and args.action == "accept":
        for s in entries:
            print(f"kubecon-bot suggestions: {s.id} (“{s.text}”) needs a new entry, which "
                  "cannot be accepted: " + NEW_ENTRY_HELP, file=sys.stderr)  # fmt: skip
        print("nothing written", file=sys.stderr)
        return EXIT_ERROR
    if args.action == "show" and disagreeing(chosen):
        # shown, each saying whom it disagrees with: one diff cannot show them all
        print("(they disagree: show them one at a time to see the change each would make)")
        return EXIT_OK
    if _disagree(chosen, content):
        return EXIT_ERROR
    edit = ContentFile(path)
    for s in chosen:
        if s.acceptable:
            write(edit, s)
    if not edit.changed:
        return EXIT_OK
    sys.stdout.write(edit.diff())
    sys.stdout.flush()  # the diff, then what `check` will say of it
    edited = parse_content(edit.text, str(path))
    # against the file as this edit read it: `content` was loaded earlier, and an edit made in
    # between (another editor's accept) is not this one's to warn of
    for warning in new_warnings(parse_content(edit.original, str(path)), edited):
        print(f"warning: {warning}", file=sys.stderr)
    if args.dry_run:
        print("(dry run: nothing written)")
    if args.action == "show" or args.dry_run:
        return EXIT_OK
    if bundled_in_package(path):
        print(f"kubecon-bot suggestions: {path} is the copy packaged inside the installed "
              "kubecon-bot, which the next upgrade replaces: copy it out (cp "
              f"{path} qa.yaml), point CONTENT_PATH (or --content) at the copy, for the bot "
              "too, and accept again; nothing written", file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    try:
        # the decision is written first and committed after the file is saved: a database
        # this user cannot write fails before the file changes
        with usage.deciding(args.ids, ACCEPTED, utcnow()):
            warning = edit.save(parse_content)
    except SQLAlchemyError as err:
        if edit.changed:
            raise
        # saved, then the commit failed: the phrasings are taught, and the bot answers them
        # itself now, so their suggestions are settled all the same
        print(f"kubecon-bot suggestions: {path} was written, but "
              f"{_unrecorded(usage.engine, err)}; the suggestions are settled anyway, as the "
              "file now teaches their phrasings", file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    taught = sum(s.kind == PHRASING for s in chosen)
    declined = len(chosen) - taught
    what = [f"{taught} example(s)"] * bool(taught) + [f"{declined} decline(s)"] * bool(declined)
    print(f"{path}: {' and '.join(what)} added; a running bot reloads it")
    return EXIT_OK


def _unrecorded(engine: Any, err: BaseException) -> str:
    """An editor's decision the database would not take, as one line naming the database
    (password hidden) and the driver's reason: never a traceback."""
    from bot.storage.database import first_line, shown

    return f"the decision could not be recorded in {shown(engine.url)}: {first_line(err)}"


def _disagree(chosen: Sequence[Any], content: Content) -> bool:
    """Refuse suggestions chosen together that propose one phrasing two ways (for two
    entries, or for an entry and as a decline), naming them; True if any did."""
    from bot.usage.suggestions import disagreeing

    groups = disagreeing(chosen)
    for group in groups:
        which = ", ".join(f"{s.id} ({_label(content, s.entry_id, s.kind)})" for s in group)
        print(f"kubecon-bot suggestions: {which} disagree about one phrasing "
              f"(“{group[0].text}”), and the bot gives a phrasing one verdict: accept one of "
              "them (that settles the others)", file=sys.stderr)  # fmt: skip
    if groups:
        print("nothing written", file=sys.stderr)
    return bool(groups)


def _suggestions_misused(args: argparse.Namespace) -> str | None:
    """What is wrong with the arguments given to `suggestions ACTION`, or None. A flag the
    action has no use for is refused, not ignored: `accept --json` wrote the file and printed
    no JSON."""
    if args.json and args.action not in ("list", "show"):
        return "--json is for list and show"
    if args.dry_run and args.action not in ("accept", "reject", "reopen"):
        return "--dry-run is for accept, reject and reopen (list and show never write)"
    if args.action == "list" and args.ids:
        return "takes no ID (to see one: suggestions show ID)"
    if args.action != "list" and not args.ids:
        return "which? Give one or more IDs (kubecon-bot suggestions list shows them)"
    return None


def cmd_suggestions(args: argparse.Namespace) -> int:
    """What the bot proposes from use: phrasings for entries' `examples:` (did-you-mean picks,
    👎 then another entry), which `accept` writes into the content file, and questions asked
    again and again that need a new entry, which only an editor can write."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.core.content import ContentError
    from bot.core.content_edit import EditError

    misused = _suggestions_misused(args)
    if misused:
        print(f"kubecon-bot suggestions {args.action}: {misused}", file=sys.stderr)
        return EXIT_USAGE
    args.ids = _once(args.ids)
    path = _content_path(args)
    content = _content(args)
    database = _database(args, create=False)
    try:
        return _act_on_suggestions(args, _usage_log(database), content, path)
    except ContentError as err:
        print(err, file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `suggestions | head`: the reader has what it wanted
        raise
    except (EditError, OSError) as err:
        print(f"kubecon-bot suggestions: {err}", file=sys.stderr)
        return EXIT_ERROR
    except SQLAlchemyError as err:  # a database this user cannot write, or one held locked
        print(f"kubecon-bot suggestions: {_unrecorded(database.engine, err)}; nothing written",
              file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    finally:
        database.close()


def _act_on_suggestions(args: argparse.Namespace, usage: Any, content: Content, path: Path) -> int:
    """`suggestions ACTION` on the usage log and the content file it was given."""
    import datetime as dt
    import json

    from bot.core.clock import utcnow
    from bot.core.responder import Responder
    from bot.usage import suggestions
    from bot.usage.suggestions import REJECTED, as_json

    if args.action == "reopen":  # decisions only: no need to work out what is pending
        return _reopen(args.ids, usage, dry_run=args.dry_run)
    responder = Responder(content)
    since = utcnow() - dt.timedelta(days=args.days)
    found = suggestions.since(usage, responder, since)
    by_id = {s.id: s for s in found}
    if args.action == "list":
        if args.json:
            print(json.dumps(as_json(found, content, days=args.days), ensure_ascii=False,
                             indent=2))  # fmt: skip
        else:
            _list_suggestions(found, responder, args.days)
            for entry_id in suggestions.gone(usage, content, since):
                print(
                    f"(phrasings proposed for “{entry_id}”, which is no longer in the content, "
                    "are not listed: give an entry that id again to see them)"
                )
        return EXIT_OK
    unknown = [i for i in args.ids if i not in by_id]
    if unknown:
        ever = suggestions.since(usage, responder, dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
        _not_pending(unknown, usage.decisions(), {s.id: s for s in ever}, args.days)
        if not usage.texts:
            print("kubecon-bot suggestions: RECORD_QUESTIONS is off: suggestions made from "
                  "people's questions are not shown, so none of those can be acted on",
                  file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    chosen = [by_id[i] for i in args.ids]
    if args.action == "reject":
        if not args.dry_run:
            usage.decide(args.ids, REJECTED, utcnow())
        print(f"{'would reject' if args.dry_run else 'rejected'}: {', '.join(args.ids)}")
        return EXIT_OK
    if args.action == "show" and args.json:  # as `list --json` prints them, these only
        shown = as_json(chosen, content, days=args.days)["pending"]
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return EXIT_OK
    if args.action == "show":
        for s in chosen:
            _show_suggestion(s, content, by_id)
    return _accept(args, chosen, path, usage, content)


def _once(ids: Sequence[str]) -> list[str]:
    """`ids` without repeats, in the order first given (already lower-cased by the parser, so
    "1A2B3C4D 1a2b3c4d" is one ID). An ID pasted twice is one suggestion: every verb acts on it
    and names it once, and `accept` does not take it for two suggestions that disagree."""
    return list(dict.fromkeys(ids))


def _reopen(ids: list[str], usage: UsageLog, *, dry_run: bool) -> int:
    """`suggestions reopen`: rejections taken back, the suggestions pending again. An accepted
    one is not reopened: its phrasing is in the content file, where an editor removes it."""
    from bot.usage.suggestions import REJECTED

    decided = usage.decisions()
    wrong = [i for i in ids if decided.get(i) != REJECTED]
    for i in wrong:
        why = "accepted: its phrasing is in the content file" if i in decided else "not rejected"
        print(f"kubecon-bot suggestions reopen: {i}: {why}", file=sys.stderr)
    if wrong:
        return EXIT_ERROR
    if not dry_run:
        usage.undecide(ids)
    print(f"{'would reopen' if dry_run else 'reopened'}: {', '.join(ids)}")
    return EXIT_OK


def _not_pending(
    ids: Iterable[str], decided: dict[str, str], ever: dict[str, Any], days: int
) -> None:
    """Why each ID is not one to act on: decided already (an editor may be looking for a
    suggestion someone else dealt with; a rejection can be taken back), pending but used only
    before the last `days` days (`ever`: the pending suggestions of any age), or no pending
    suggestion at all (never one, or settled since: the content now teaches its phrasing)."""
    from bot.core.clock import utcnow

    for i in ids:
        if i in decided:
            back = f"; kubecon-bot suggestions reopen {i} takes it back"
            why = f"already {decided[i]}{back if decided[i] == 'rejected' else ''}"
        elif i in ever:
            ago = (utcnow() - ever[i].last_at).days  # whole days: --days one more reaches it
            why = (
                f"pending, but last used {ago} days ago, outside the last {days}: "
                f"add --days {ago + 1}"
            )
        else:
            why = (
                "no pending suggestion (never one, or settled since: the content file now "
                "teaches its phrasing, or another suggestion for it was accepted)"
            )
        print(f"kubecon-bot suggestions: {i}: {why} (see kubecon-bot suggestions list)",
              file=sys.stderr)  # fmt: skip


def cmd_digest(args: argparse.Namespace) -> int:
    """The editors' digest as `kubecon-bot run` would post it, for the period ending now: what
    editors look at before they set DIGEST_CHANNEL. Posts nothing."""
    import datetime as dt

    from bot.adapters.terminal.render import render
    from bot.config import ConfigError, DigestSettings, load_settings
    from bot.core.clock import utcnow
    from bot.core.responder import Responder
    from bot.daily.digest_schedule import configured_digest, period_days
    from bot.daily.subscriptions import ConfigSubscriptionError
    from bot.usage.digest import Digest

    try:
        settings = load_settings(DigestSettings)
        target = configured_digest(settings)  # every refused DIGEST_* setting at once
        days = period_days(settings.digest_day)
    except (ConfigError, ConfigSubscriptionError) as err:
        raise CommandError(err) from None
    responder = Responder(_content(args))
    database = _database(args, create=False)
    try:
        until = utcnow()
        reply = Digest(_usage_log(database), lambda: responder)(
            until - dt.timedelta(days=days), until
        )
    finally:
        database.close()
    where = f"posted to {target}" if target else "not posted: DIGEST_CHANNEL is unset"
    print(f"preview, nothing posted (`kubecon-bot run`: {where})", file=sys.stderr)
    sys.stdout.write(render(reply))
    return EXIT_OK


def cmd_takeaway(args: argparse.Namespace) -> int:
    """What a channel gets on a date: the ledger's item for a day already claimed, else the
    rotation walked forward one item per day from the channel's last post."""
    import datetime as dt

    from bot.adapters.terminal.render import render
    from bot.core.clock import utcnow
    from bot.daily.rotation import daily_reply, item_after, rotation
    from bot.daily.timing import local_date

    content = _content(args)
    items = rotation(content)
    now = utcnow()
    last, tz, first_day = None, "UTC", now.date()
    if args.channel and ":" in args.channel and args.platform is None:
        # "slack:C0123", as DAILY_SUBSCRIPTIONS and DIGEST_CHANNEL write a channel
        platform, _, channel = args.channel.partition(":")
        if platform.strip().lower() in PlatformNames():
            args.platform, args.channel = platform.strip().lower(), channel.strip()
    if args.channel:
        from bot.daily.store import DAILY

        try:  # reads only: never leaves a database behind
            store = _store(args, create=False)
        except MissingDatabaseError as err:
            print(f"no subscription for channel {args.channel}{err.none_yet}", file=sys.stderr)
            return EXIT_ERROR
        try:
            subs = [
                s
                for s in store.subscriptions(kind=DAILY)
                if s.channel_id == args.channel and args.platform in (None, s.platform)
            ]
            if not subs:
                print(f"no subscription for channel {args.channel}", file=sys.stderr)
                return EXIT_ERROR
            sub = subs[0]
            tz, last, args.platform = sub.when.tz, sub.position, sub.platform
            first_day = local_date(now, tz)
            day = args.date or first_day
            recorded = store.delivery(sub.id, day)
            if store.delivery(sub.id, first_day) is not None:
                first_day += dt.timedelta(days=1)
        finally:
            store.close()
        if recorded is not None:
            item = next((i for i in items if i.key == recorded.item_key), None)
            if item is None:
                print(f"{day}: {recorded.item_key} ({recorded.status}), no longer in the content")
                return EXIT_OK
            print(f"{day}: {recorded.status} (ledger)", file=sys.stderr)
            sys.stdout.write(render(daily_reply(content, item, _invocation(args.platform))))
            return EXIT_OK
    day = args.date or first_day
    if day < first_day:
        said = (
            "nothing was posted in that channel on that day"
            if args.channel
            else f"a new subscription's first post is today's ({first_day})"
        )
        print(f"{day}: {said}", file=sys.stderr)
        return EXIT_ERROR
    item = item_after(items, last, (day - first_day).days)
    sys.stdout.write(render(daily_reply(content, item, _invocation(args.platform))))
    return EXIT_OK


def _invocation(platform: str | None) -> str:
    """How the channel's users address the bot, as its daily post says it ("Ask `/kubecon 3`"
    on Slack, with SLACK_COMMAND; "`/kubecon ask 3`" on Discord, which has no "/kubecon 3"):
    the preview shows the post as that channel gets it. A channel not named: the first
    platform's. The settings `run` reads give it; when they are incomplete (no tokens here),
    their defaults do, as the preview posts nothing."""
    from bot.config import ConfigError, Settings, load_settings
    from bot.core.platforms import installed

    try:
        settings = load_settings(Settings)
    except ConfigError:
        settings = Settings.model_construct()
    platforms = installed()
    chosen = platforms[platform] if platform else next(iter(platforms.values()))
    return chosen.invocation(settings)


def cmd_discord_invite_url(args: argparse.Namespace) -> int:
    from bot.adapters.discord.invite import application_id_from_token, invite_url
    from bot.config import ConfigError, DiscordAppSettings, load_settings

    try:
        settings = load_settings(DiscordAppSettings)
    except ConfigError as err:
        raise CommandError(err) from None
    token = settings.discord_token
    app_id = settings.discord_application_id or (
        application_id_from_token(token.get_secret_value()) if token else None
    )
    if app_id is None and token is not None:
        raise CommandError(
            "DISCORD_TOKEN is malformed: a bot token starts with the application id in base64 "
            "(copy it again from the Developer Portal), or set DISCORD_APPLICATION_ID"
        )
    if app_id is None:
        raise CommandError("set DISCORD_APPLICATION_ID (or DISCORD_TOKEN) to build the URL")
    print(invite_url(app_id))
    return EXIT_OK


Command = Callable[[argparse.Namespace], int]


def _add_suggestions(sub: Any, database: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "suggestions",
        parents=[database],
        help="what the bot proposes from use (phrasings for examples:, entries to write): "
        "review, accept, or reject",
    )
    actions = ("list", "show", "accept", "reject", "reopen")
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=actions,
        help="list (the default): pending suggestions and their IDs; show ID…: those in "
        "full; accept ID…: write them into the content file, showing the diff; reject ID…: "
        "never propose them again; reopen ID…: take a rejection back",
    )
    # IDs are printed in lower case; one copied in capitals is the same ID
    p.add_argument("ids", nargs="*", metavar="ID", type=str.lower, help="IDs as list prints them")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="accept, reject: show what would change, write nothing",
    )
    p.add_argument("--days", type=_days, default=90, help="use in the last N days (90)")
    p.add_argument("--json", action="store_true", help="list, show: print the suggestions as JSON")
    p.set_defaults(func=cmd_suggestions)


def _add_digest(sub: Any, database: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "digest",
        parents=[database],
        help="print the editors' digest for the period ending now, as DIGEST_CHANNEL gets it",
    )
    p.add_argument(
        "--preview",
        action="store_true",
        help="print it without posting (what this command always does; `run` posts it)",
    )
    p.set_defaults(func=cmd_digest)


def _add_learning(sub: Any, database: argparse.ArgumentParser) -> None:
    """The editors' commands that read what the bot learned from use (beside `report`)."""
    _add_suggestions(sub, database)
    _add_digest(sub, database)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubecon-bot",
        description="Answers the KubeCon '25 Takeaways webinar questions in Slack, Discord "
        "and the terminal.",
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="print the installed version and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ask", help="answer one question, as the bot would in chat")
    p.add_argument(
        "text", nargs="+", help="the question; '-' reads one question per line from stdin"
    )
    p.add_argument(
        "--json", action="store_true", help="print one JSON object (JSON Lines with '-')"
    )
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("list", help="list the questions the bot can answer")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "check", help="validate a content file (exit 1 with file:line: field: error)"
    )
    p.add_argument(
        "path", nargs="?", type=_path, help="the file (default: the content the bot serves)"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "eval", help="score the matcher on a labelled set (as content/eval/examples.yaml)"
    )
    p.add_argument("file", type=_path, help="the labelled set (format: docs/content.md)")
    p.add_argument("--strict", action="store_true", help="exit 1 if any case is missed")
    p.set_defaults(func=cmd_eval)

    _chat_parser(sub)

    p = sub.add_parser(
        "run", help="serve the configured platforms (Slack, Discord) and the daily posts"
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "healthcheck", help="exit 0 if the bot running on this host answers /healthz"
    )
    p.add_argument(
        "--path",
        type=_endpoint,
        default="/healthz",
        help="endpoint to probe: /healthz (default), /readyz or /metrics",
    )
    p.set_defaults(func=cmd_healthcheck)
    database = _database_option(default=None)
    p = sub.add_parser(
        "subscriptions", parents=[database], help="list, add or remove daily-takeaway channels"
    )
    # the actions take --database too (`subscriptions list --database URL`); SUPPRESS keeps
    # an action's unset option from overwriting one given before the action
    in_action = _database_option(default=argparse.SUPPRESS)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser(
        "list", parents=[in_action], help="every subscription, with its schedule and state"
    )
    a = actions.add_parser(
        "add", parents=[in_action], help="subscribe a channel: PLATFORM CHANNEL [HH:MM] [TZ]"
    )
    _platform_argument(a, "platform")
    a.add_argument("channel")
    a.add_argument("when", nargs="*", default=[], help="time and IANA timezone (default 09:00 UTC)")
    a = actions.add_parser("remove", parents=[in_action], help="unsubscribe a channel")
    _platform_argument(a, "platform")
    a.add_argument("channel")
    p.set_defaults(func=cmd_subscriptions)

    p = sub.add_parser(
        "report",
        parents=[database],
        help="match rate, most asked entries, helpfulness, and what the bot could not answer",
    )
    p.add_argument("--days", type=_days, default=30, help="the last N days (default 30)")
    p.add_argument("--top", type=_positive, default=10, help="unanswered groups shown (10)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--html",
        metavar="FILE",
        type=Path,
        help="also write the report as one self-contained page with charts (opens offline)",
    )
    p.set_defaults(func=cmd_report)

    _add_learning(sub, database)

    p = sub.add_parser(
        "takeaway", parents=[database], help="print the takeaway a channel gets on a date"
    )
    p.add_argument("--date", type=_date, help="YYYY-MM-DD (default: today in its timezone)")
    p.add_argument(
        "--channel",
        help="a subscribed channel: its id, or platform:id as DAILY_SUBSCRIPTIONS writes it "
        "(default: a new subscription)",
    )
    _platform_argument(p, "--platform")
    p.set_defaults(func=cmd_takeaway)

    p = sub.add_parser(
        "discord-invite-url", help="print the URL that adds the bot to a Discord server"
    )
    p.set_defaults(func=cmd_discord_invite_url)
    _content_option(parser, [c for name, c in sub.choices.items() if name in READS_CONTENT])
    return parser


# the commands that read the content file, and so take --content after their name too
READS_CONTENT = frozenset(
    {"ask", "list", "check", "eval", "chat", "run", "report", "suggestions", "digest", "takeaway"}
)


class _Version(argparse.Action):
    """`--version`: the installed distribution's version, read only when asked (importing
    importlib.metadata for every command would slow `ask`'s cold start)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("kubecon-bot")
        except PackageNotFoundError:  # run from a checkout without `pip install`
            installed = "(not installed)"
        print(f"{parser.prog} {installed}")  # stdout, as argparse's own version action
        parser.exit()


def _content_option(
    parser: argparse.ArgumentParser, commands: Iterable[argparse.ArgumentParser]
) -> None:
    """`--content PATH` before the command or after it (`kubecon-bot ask --content x.yaml …`):
    SUPPRESS keeps a command's unset option from overwriting one given before the command."""
    help = "the Q&A content file (default: $CONTENT_PATH or the bundled content/qa.yaml)"
    parser.add_argument("--content", type=_path, metavar="PATH", help=help)
    for command in commands:
        command.add_argument(
            "--content", type=_path, metavar="PATH", default=argparse.SUPPRESS, help=help
        )


def _platform_argument(parser: argparse.ArgumentParser, name: str) -> None:
    """An argument naming a platform, one of the registry's. The choices are set after
    `add_argument`, which formats them once to check the argument's shape: that would read the
    registry whenever the parser is built, for every command."""
    help = "the chat platform: slack, discord, or one an installed plugin adds"
    # in any case, as a timezone is: "Slack" was an invalid choice
    parser.add_argument(name, type=str.lower, help=help).choices = PlatformNames()


def _chat_parser(sub: Any) -> None:
    p = sub.add_parser("chat", help="talk to the bot in this terminal (no token needed)")
    p.add_argument(
        "--record",
        action="store_true",
        help="record the questions, and the picks from 'did you mean', in the database as "
        "`run` does (platform 'terminal'): to try `report` and `suggestions` without Slack",
    )
    p.add_argument(
        "--database",
        metavar="URL",
        help="where --record records (default: $DATABASE_URL, else SQLite)",
    )
    p.set_defaults(func=cmd_chat)


def _database_option(default: object) -> argparse.ArgumentParser:
    """`--database URL`, as a parent parser for every command that opens the database."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--database",
        metavar="URL",
        default=default,
        help="database URL (default: $DATABASE_URL, else SQLite)",
    )
    return parent


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _path(text: str) -> Path:
    """A file's path as given; an empty one (an unset variable in a script: `check "$FILE"`)
    is a usage error, where it read as "." and was refused as "cannot read: Is a directory"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path: give a file")
    return Path(text)


def _days(text: str) -> int:
    """A period back from now, in days: at most MAX_DAYS, as long as records are ever kept, so
    a mistyped figure is a usage error naming the option rather than a date overflow."""
    from bot.config import MAX_DAYS

    value = _positive(text)
    if value > MAX_DAYS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too many days: at most {MAX_DAYS} (USAGE_RETENTION_DAYS cannot keep "
            "records longer)"
        )
    return value


def _date(text: str):  # -> datetime.date
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _parsed(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line parsed, the suggestions' IDs wherever they stand among its options:
    argparse takes a command's positionals at their first stretch, so `suggestions accept
    --dry-run ID` left the ID over and failed with "unrecognized arguments: ID", though
    `accept ID --dry-run` worked. Anything else left over is the usage error it always was."""
    args, extra = parser.parse_known_args(argv)
    suggesting = getattr(args, "func", None) is cmd_suggestions
    if extra and suggesting and not any(word.startswith("-") for word in extra):
        args.ids += [word.lower() for word in extra]
        return args
    if extra:
        chosen = _chosen_parser(parser, args)
        said = f"unrecognized arguments: {' '.join(extra)}"
        close = _close_option(chosen, extra)
        chosen.error(f"{said} (did you mean {close}?)" if close else said)
    return args


def _chosen_parser(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The (sub)parser of the command `args` chose (`report`, `subscriptions add`): its usage
    and its options are the ones to show for a word it does not know, where the top level's
    usage ("kubecon-bot [-h] [--version] … COMMAND") named none of them."""
    chosen = parser
    while True:
        subparsers = [a for a in chosen._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(args, subparsers[0].dest, None) if subparsers else None
        if name is None or name not in subparsers[0].choices:
            return chosen
        chosen = subparsers[0].choices[name]


def _close_option(parser: argparse.ArgumentParser, extra: Sequence[str]) -> str | None:
    """The option of `parser` an unknown option in `extra` was most likely meant as
    (`--jsn` → `--json`), or None."""
    import difflib

    known = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    for word in extra:
        if word.startswith("--"):
            close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.75)
            if close:
                return close[0]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    from bot.core.platforms import PlatformError
    from bot.envfile import EnvFileError

    parser = build_parser()
    try:
        args = _parsed(parser, argv)
    except PlatformError as err:  # a broken plugin, met while checking a --platform choice
        print(f"{parser.prog}: {err}", file=sys.stderr)
        return EXIT_ERROR
    func: Command | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    from bot.core.content import ContentError

    try:
        return func(args)
    except ContentError as err:
        print(err, file=sys.stderr)
        return EXIT_ERROR
    except (CommandError, PlatformError, EnvFileError) as err:
        # several refused settings are a line each, each saying whose it is
        for line in str(err).splitlines() or [""]:
            print(f"kubecon-bot {args.command}: {line}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
