"""The `kubecon-bot` command line.

Each subcommand imports only what it needs, so `ask`, `list` and `check` never load Slack,
Discord, aiohttp or database code and start in a fraction of a second.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.content import Content

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _content(args: argparse.Namespace) -> Content:
    """The content named by --content, else CONTENT_PATH, else the bundled file."""
    from bot.core.content import load_content

    path = args.content or os.environ.get("CONTENT_PATH") or None
    return load_content(path, recording_url=os.environ.get("RECORDING_URL") or None)


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.adapters.terminal import as_json, dumps, render
    from bot.core.responder import Responder

    content = _content(args)
    responder = Responder(content)
    if args.text == ["-"]:
        for line in sys.stdin:
            reply = responder.respond(line.rstrip("\n"), invocation="kubecon-bot ask")
            out = dumps(as_json(reply, content)) + "\n" if args.json else render(reply) + "\n"
            sys.stdout.write(out)
            sys.stdout.flush()
        return EXIT_OK
    reply = responder.respond(" ".join(args.text), invocation="kubecon-bot ask")
    sys.stdout.write(dumps(as_json(reply, content)) + "\n" if args.json else render(reply))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from bot.adapters.terminal import render
    from bot.core.responder import Responder

    sys.stdout.write(render(Responder(_content(args)).question_list("kubecon-bot ask")))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from bot.core.content import ContentError, load_content

    try:
        content = load_content(args.path or args.content or os.environ.get("CONTENT_PATH") or None)
    except ContentError as err:
        print(err, file=sys.stderr)
        return EXIT_ERROR
    for warning in content.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{content.path}: ok ({len(content.entries)} entries, "
        f"{len(content.takeaways)} takeaways, version {content.version})"
    )
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.core.evaluation import evaluate, load_cases
    from bot.core.responder import Responder

    report = evaluate(Responder(_content(args)), load_cases(args.file))
    for label, (ok, n) in (
        ("overall", report.overall),
        ("answerable", report.answerable),
        ("declined", report.declined),
    ):
        print(f"{label:<11} {ok / n if n else 1.0:6.3f}  ({ok}/{n})")
    for miss in report.misses:
        print(
            f"MISS expected {miss.case.expect or 'decline'}, "
            f"got {miss.returned}: {miss.case.text!r}"
        )
    return EXIT_OK if not report.misses or not args.strict else EXIT_ERROR


def cmd_run(args: argparse.Namespace) -> int:
    from bot.runner import main as run

    return run(args.content)


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.app import BotApp
    from bot.chat import chat
    from bot.core.responder import Responder

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    return chat(BotApp(Responder(_content(args))), sys.stdin, sys.stdout, interactive)


def cmd_healthcheck(args: argparse.Namespace) -> int:
    from bot.config import ConfigError, load_settings
    from bot.health import probe

    try:
        ok, detail = probe(load_settings(), args.path)
    except ConfigError as err:
        ok, detail = False, str(err)
    print(detail, file=sys.stdout if ok else sys.stderr)
    return EXIT_OK if ok else EXIT_ERROR


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubecon-bot",
        description="Answers the KubeCon '25 Takeaways webinar questions in Slack, Discord "
        "and the terminal.",
    )
    parser.add_argument(
        "--content",
        type=Path,
        metavar="PATH",
        help="content file to serve (default: $CONTENT_PATH or the bundled content/qa.yaml)",
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
    p.add_argument("path", nargs="?", type=Path)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "eval", help="score the matcher on a labelled set (shared/eval/dev.yaml format)"
    )
    p.add_argument("file", type=Path)
    p.add_argument("--strict", action="store_true", help="exit 1 if any case is missed")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("chat", help="talk to the bot in this terminal (no token needed)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser(
        "run", help="serve the configured platforms (Slack, Discord) and the daily posts"
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "healthcheck", help="exit 0 if the bot running on this host answers /healthz"
    )
    p.add_argument("--path", default="/healthz", help="endpoint to probe (default /healthz)")
    p.set_defaults(func=cmd_healthcheck)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
