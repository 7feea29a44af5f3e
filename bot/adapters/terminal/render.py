"""Rendering replies as terminal text: the zero-token way to see what the bot would say."""

from __future__ import annotations

import json
from typing import Any

from bot.core import intents
from bot.core.content import Content
from bot.core.replies import Kind, Reply


def render(reply: Reply) -> str:
    """What a person reading a terminal should see: the same words a chat user gets."""
    if reply.kind is Kind.ANSWER:
        lines = [f"Q{reply.number}. {reply.title}", "", reply.body or ""]
    elif reply.kind in (intents.TAKEAWAYS, intents.LIST, intents.HELP):
        lines = [reply.title or "", *(f"  {item}" for item in reply.items)]
        if reply.kind is intents.HELP and reply.body:
            lines = [reply.body, "", *lines[1:]]
        if reply.hint:
            lines += ["", reply.hint]
    elif reply.kind in (Kind.DAILY, Kind.DIGEST):  # a post as the channel gets it
        lines = [reply.title or "", "", reply.body or ""]
    elif reply.kind is Kind.SUGGESTIONS:
        lines = [reply.title or "", *(f"  {o.number}. {o.question}" for o in reply.options)]
        lines += ["", reply.hint or ""]
    else:
        lines = [reply.body or reply.text]
    if reply.kind in (Kind.ANSWER, intents.TAKEAWAYS, intents.RECORDING, Kind.DAILY):
        lines += ["", *(f"{link.label}: {link.url}" for link in reply.links)]
    if reply.kind in (Kind.DAILY, Kind.DIGEST) and reply.footer:
        lines += ["", reply.footer]
    return "\n".join(lines).rstrip() + "\n"


def as_json(reply: Reply, content: Content) -> dict[str, Any]:
    """The `ask --json` object: stable keys a script can rely on."""
    entry = content.entry(reply.entry_id) if reply.entry_id else None
    return {
        "matched": reply.kind is Kind.ANSWER,
        "kind": reply.kind.value,
        "intent": reply.intent,
        "id": entry.id if entry else None,
        "number": entry.number if entry else None,
        "question": entry.question if entry else None,
        "answer": entry.answer if entry else None,
        "score": reply.score,
        "alternatives": [
            {"id": o.entry_id, "number": o.number, "question": o.question, "score": o.score}
            for o in reply.options
            if reply.kind in (Kind.ANSWER, Kind.SUGGESTIONS)
        ],
        "recording_url": content.recording_url,
        "source_url": content.source_url,
        # what the user sees, rendered once here: a JSON consumer never re-renders a reply
        "text": render(reply).rstrip("\n"),
        "takeaways": list(reply.items) if reply.kind is intents.TAKEAWAYS else None,
    }


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)
