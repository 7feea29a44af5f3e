"""Core replies as Slack messages: Block Kit blocks plus a plain `text` fallback.

Pure functions, so every Kind is rendered the same way in every code path (slash command, mention,
button click, daily post). All text is escaped, ours included: the content's own `&` must show as
`&`, and nothing a user typed can become `<!channel>`, `<@U…>` or a disguised link. The only
markup the bot emits is built here from Reply fields (links, the asker's mention).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from bot.core import intents
from bot.core.feedback import Vote, ballot_token
from bot.core.replies import Kind, Reply

SECTION_LIMIT = 3000  # characters of mrkdwn in one section block
BLOCK_LIMIT = 50  # blocks in one message
BUTTON_TEXT_LIMIT = 75
FALLBACK_LIMIT = 3900  # notifications only show the start; Slack caps `text` at 40k
MAX_OPTIONS = 3

CHOOSE_ACTION = "kubecon_choose"
REMOVE_ACTION = "kubecon_remove"
LINK_ACTION = "kubecon_link"
VOTE_ACTION = "kubecon_vote"  # + "_up" / "_down"; the value is the ballot token

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_SPACE = re.compile(r"(\s+)")

Payload = dict[str, Any]
Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters, plus a zero-width break in bare @channel/@here/@everyone
    so a client or integration that re-parses the text cannot turn them into a broadcast."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u200b\\1", text)


def mention(user_id: str | None) -> str | None:
    """`<@U…>` only for a well-formed Slack user id, so a payload cannot smuggle other markup."""
    return f"<@{user_id}>" if user_id and _USER_ID.match(user_id) else None


def render(reply: Reply, *, asker_id: str | None = None, thread_ts: str | None = None) -> Payload:
    """The message for `reply`: {"text", "blocks"}. `asker_id` adds "Asked by" and the Remove
    button to in-channel answers; `thread_ts` rides along in suggestion buttons so a picked
    answer lands in the same thread as the question."""
    content: list[Block] = []
    if reply.title:
        title = f"Q{reply.number}. {reply.title}" if reply.number else reply.title
        content += _sections(title, bold=True)
    main = reply.body
    if main is None and not reply.title and not reply.items:
        main = reply.text  # decline, plain notices: the text is the message
    if main:
        content += _sections(main)
    if reply.items and not (reply.body and all(item in reply.body for item in reply.items)):
        bullet = "" if reply.kind is intents.LIST else "• "
        content += _sections("\n".join(f"{bullet}{item}" for item in reply.items))

    tail: list[Block] = []
    buttons = _option_buttons(reply, thread_ts) + _link_buttons(reply) + _vote_buttons(reply)
    asker = mention(asker_id) if reply.kind is Kind.ANSWER and reply.public else None
    if asker:
        buttons.append(
            {
                "type": "button",
                "action_id": REMOVE_ACTION,
                "text": {"type": "plain_text", "text": "Remove"},
                "value": asker_id,
                "confirm": {
                    "title": {"type": "plain_text", "text": "Remove this answer?"},
                    "text": {"type": "plain_text", "text": "It disappears for everyone."},
                    "confirm": {"type": "plain_text", "text": "Remove"},
                    "deny": {"type": "plain_text", "text": "Keep"},
                },
            }
        )
    if buttons:
        tail.append({"type": "actions", "elements": buttons[:25]})
    context = []
    if asker:
        context.append(f"Asked by {asker}")
    if reply.hint and main != reply.text:
        context.append(escape(reply.hint))
    if reply.footer:
        context.append(escape(reply.footer))
    if context:
        tail.append({"type": "context", "elements": [_mrkdwn(" · ".join(context)[:SECTION_LIMIT])]})

    room = BLOCK_LIMIT - len(tail)
    if len(content) > room:
        content = content[: room - 1] + _sections("… (shortened: the full text is too long)")
    return {"text": _fallback(reply.text), "blocks": content + tail}


def choice_value(entry_id: str, thread_ts: str | None, key: str | None = None) -> str:
    data = {"entry": entry_id, "thread": thread_ts or "", "key": key or ""}
    return json.dumps(data, separators=(",", ":"))


def parse_choice(value: str) -> tuple[str, str | None, str | None]:
    """(entry id, thread ts, the suggestions' reply key) from a suggestion button; ValueError
    if it is not one of ours."""
    try:
        data = json.loads(value)
    except json.JSONDecodeError as err:
        raise ValueError("not a kubecon choice") from err
    if not isinstance(data, dict) or not isinstance(data.get("entry"), str):
        raise ValueError("not a kubecon choice")
    thread, key = data.get("thread"), data.get("key")
    return (
        data["entry"],
        thread if isinstance(thread, str) and thread else None,
        key if isinstance(key, str) and key else None,
    )


def _option_buttons(reply: Reply, thread_ts: str | None) -> list[Block]:
    if reply.kind is not Kind.SUGGESTIONS:
        return []
    return [
        {
            "type": "button",
            "action_id": f"{CHOOSE_ACTION}_{i}",
            "text": {"type": "plain_text", "text": _cut(f"{o.number}. {o.question}", 75)},
            "value": choice_value(o.entry_id, thread_ts, reply.reply_key),
        }
        for i, o in enumerate(reply.options[:MAX_OPTIONS])
    ]


def _link_buttons(reply: Reply) -> list[Block]:
    return [
        {
            "type": "button",
            "action_id": f"{LINK_ACTION}_{i}",
            "text": {"type": "plain_text", "text": _cut(link.label, BUTTON_TEXT_LIMIT)},
            "url": link.url,
            **({"style": "primary"} if i == 0 and reply.kind is Kind.ANSWER else {}),
        }
        for i, link in enumerate(reply.links)
        if link.url
    ]


def _vote_buttons(reply: Reply) -> list[Block]:
    if not (reply.kind is Kind.ANSWER and reply.reply_key and reply.entry_id):
        return []
    return [
        {
            "type": "button",
            "action_id": f"{VOTE_ACTION}_{vote.word}",
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "value": ballot_token(reply.reply_key, reply.entry_id, vote),
        }
        for vote, label in ((Vote.UP, "👍 Helpful"), (Vote.DOWN, "👎 Not helpful"))
    ]


# An entry's answer is the same string in every reply that serves it: its escaped pieces are
# kept (a few thousand texts at most; a user's own words in a notice come and go), so a busy
# channel does not escape the same 2 KB again for each asker (bench/slack_e2e.py)
@functools.lru_cache(maxsize=2048)
def _fallback(text: str) -> str:
    fallback = escape(text)
    if len(fallback) > FALLBACK_LIMIT:
        fallback = fallback[: FALLBACK_LIMIT - 1] + "…"
    return fallback


def _sections(text: str, *, bold: bool = False) -> list[Block]:
    """One or more section blocks, each within Slack's limit once escaped."""
    budget = SECTION_LIMIT - (2 if bold else 0)
    return [
        {"type": "section", "text": _mrkdwn(f"*{chunk}*" if bold else chunk)}
        for chunk in _chunks(text, budget)
    ]


@functools.lru_cache(maxsize=2048)
def _chunks(text: str, limit: int) -> tuple[str, ...]:
    """Escaped pieces of at most `limit` characters, split between lines or words when possible
    and never inside an escape sequence. Escaping is character-local (it adds no whitespace), so
    the text is escaped once and, nearly always, fits one piece as it is."""
    escaped = escape(text.strip())
    if len(escaped) <= limit:
        return (escaped,) if escaped else ()
    out: list[str] = []
    current = ""
    for token in _SPACE.split(escaped):
        piece = token
        while len(piece) > limit:  # one enormous word: cut, but not inside an entity
            cut = limit - len(current)
            amp = piece.rfind("&", max(0, cut - 5), cut)
            if amp != -1 and ";" not in piece[amp:cut]:
                cut = amp
            out.append(current + piece[:cut])
            current, piece = "", piece[cut:]
        if len(current) + len(piece) > limit:
            out.append(current.rstrip())
            current = piece.lstrip()
        else:
            current += piece
    if current.strip():
        out.append(current.rstrip())
    return tuple(chunk for chunk in out if chunk)


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack must not auto-link or auto-mention anything; our markup is explicit.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
