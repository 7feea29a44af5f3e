"""`kubecon-bot chat`: talk to the bot in a terminal, no token needed.

It goes through the same `BotApp.handle` as Slack and Discord, so what you see here is what a
channel would get. Piped input (a file of questions, a test) gets replies only: no banner and
no prompt to filter out.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import IO

from bot.adapters.terminal.render import render
from bot.core.app import BotApp, Incoming
from bot.core.intents import HELP, number_reference
from bot.core.replies import Kind, Reply
from bot.core.services import Service
from bot.core.text import clean, words

PROMPT = "you> "
QUIT = frozenset({"quit", "exit", "bye", ":q"})
# "yes" to a "did you mean": the one option offered, as its button would pick it
YES = frozenset({"yes", "y", "yep", "yeah", "yup", "sure", "ok", "okay", "correct", "right"})
# what may come with it ("yes please", "yep that one") or say no ("nope")
_COURTESY = frozenset({"please", "pls", "plz", "thanks", "thx", "ty", "that", "one", "it"})
NO = frozenset({"no", "nope", "nah", "n", "neither", "none"})


def history_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "kubecon-bot" / "history"


def banner(bot_app: BotApp) -> str:
    w = bot_app.responder.content.webinar
    n = len(bot_app.responder.content.entries)
    return (
        f"kubecon-bot: ask me about “{w.title}” ({w.presenter}).\n"
        f"Type a question in your own words, a number 1-{n}, `list`, `takeaways`, `recording`, "
        "`help`, or `quit`.\n"
    )


def _readline_history() -> None:
    """Up-arrow history across sessions, where the platform has readline."""
    try:
        import readline
    except ImportError:
        return
    readline.set_history_length(1000)
    path = history_path()
    with contextlib.suppress(OSError):
        readline.read_history_file(path)

    import atexit

    def save() -> None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)

    atexit.register(save)


def chat(
    bot_app: BotApp,
    stdin: IO[str],
    stdout: IO[str],
    interactive: bool,
    *,
    journal: Service | None = None,
) -> int:
    """The conversation, a line at a time. `journal` (chat --record): the usage journal, run
    on this loop and flushed at the end, so what was asked is in the database afterwards.

    A number typed right after a "did you mean" that offered it is a pick, as a click on a
    button is in Slack or Discord: recorded as such, which `kubecon-bot suggestions` turns
    into a phrasing to teach. So is "yes" to a "did you mean" of one option; to several, the
    chat asks which one."""
    if interactive:
        _readline_history()
        stdout.write(banner(bot_app) + "\n")
        stdout.flush()
    with asyncio.Runner() as loop:
        if journal is not None:
            loop.run(journal.start())
        try:
            _converse(bot_app, loop, stdin, stdout, interactive)
        finally:
            if journal is not None:
                loop.run(journal.stop())
    if interactive:
        stdout.write("\n")
    return 0


def _converse(
    bot_app: BotApp, loop: asyncio.Runner, stdin: IO[str], stdout: IO[str], interactive: bool
) -> None:
    offered: Reply | None = None  # the last "did you mean", whose options a number picks
    while True:
        try:
            line = input(PROMPT) if interactive else stdin.readline()
        except EOFError:  # Ctrl-D
            break
        except KeyboardInterrupt:  # Ctrl-C at the prompt: leave, like Ctrl-D
            break
        if not interactive and not line:  # end of piped input
            break
        text = line.strip()
        if not text:
            continue
        if text.casefold() in QUIT:
            break
        incoming = Incoming(platform="terminal", text=text, invocation="")
        picked = _picked(offered, text)
        if picked is None and offered is not None and _yes(text):  # "yes" to several options
            numbers = " or ".join(str(o.number) for o in offered.options)
            stdout.write(f"Which one? Type its number ({numbers}), or rephrase.\n\n")
            stdout.flush()
            continue
        if picked is None and offered is not None and _said(text, NO):  # none of them
            offered = None
            stdout.write("OK: ask it another way, or type `list` to see the questions.\n\n")
            stdout.flush()
            continue
        if picked is not None and offered is not None:
            reply = loop.run(bot_app.choose(incoming, picked, offered.reply_key))
        else:
            reply = loop.run(bot_app.handle(incoming))
        offered = reply if reply.kind is Kind.SUGGESTIONS else None
        shown = render(reply)
        if offered is not None and len(offered.options) == 1:  # the terminal's own word
            shown += "  (or type yes)\n"
        if reply.kind is HELP:  # the chat's own word, which chat platforms do not have
            shown += "  quit: leave the chat (or Ctrl-D)\n"
        stdout.write(shown + "\n")
        stdout.flush()


def _picked(offered: Reply | None, text: str) -> str | None:
    """The id of the entry a number picks among the options just offered, however the core
    reads a number as a pick ("2", "#2", "Q2", "question 2": `number_reference`). "Q2" was
    answered, not taken as a pick, so the learning loop never heard of it."""
    if offered is None:
        return None
    if len(offered.options) == 1 and _yes(text):  # "did you mean 5?" "yes"
        return offered.options[0].entry_id
    cleaned = clean(text)
    number = number_reference(words(cleaned), cleaned)
    return next((o.entry_id for o in offered.options if o.number == number), None)


def _yes(text: str) -> bool:
    """`text` says yes and nothing else ("yes", "yep!", "yes please")."""
    return _said(text, YES)


def _said(text: str, answer: frozenset[str]) -> bool:
    """`text` is one of `answer`'s words, with courtesy at most ("no thanks", "yes please")."""
    said = words(clean(text))
    return any(w in answer for w in said) and all(w in answer or w in _COURTESY for w in said)
