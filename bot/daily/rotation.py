"""What the daily post says: the rotation of takeaways derived from the content, and the Reply
for one of its items.

Items are identified by stable keys (an entry id, or ``takeaway-N``), never by their index, so a
channel's place in the rotation survives edits that add, remove or reorder content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.content import Content
from bot.core.platforms import DEFAULT_INVOCATION
from bot.core.replies import Kind, Reply, Visibility, webinar_credit, webinar_links

EXCERPT_CHARS = 240
TITLE = "Takeaway of the day"


@dataclass(frozen=True)
class Item:
    """One post of the rotation: a key takeaway, or an entry shown as a takeaway."""

    key: str  # entry id, or "takeaway-N" (1-based)
    headline: str  # the takeaway, or the entry's question
    excerpt: str | None = None  # the start of the entry's answer
    number: int | None = None  # the entry's number, to ask for the full answer


def rotation(content: Content) -> tuple[Item, ...]:
    """The content's own `daily` list when it has one, else the key takeaways then every entry
    in number order."""
    items = {item.key: item for item in _all_items(content)}
    if content.model.daily:
        return tuple(items[key] for key in content.model.daily if key in items)
    return tuple(items.values())


def _all_items(content: Content) -> list[Item]:
    items = [Item(f"takeaway-{n}", text) for n, text in enumerate(content.takeaways, start=1)]
    for entry in sorted(content.entries, key=lambda e: e.number):
        items.append(Item(entry.id, entry.question, excerpt(entry.answer), entry.number))
    return items


def next_item(items: Sequence[Item], last_key: str | None) -> Item:
    """The item after `last_key` (the last one posted), wrapping around. A key that is no longer
    in the rotation (content edited) restarts it at the beginning rather than failing."""
    keys = [item.key for item in items]
    if last_key in keys:
        return items[(keys.index(last_key) + 1) % len(items)]
    return items[0]


def item_after(items: Sequence[Item], last_key: str | None, days: int) -> Item:
    """The item posted `days` posts after the one following `last_key` (0: the next one)."""
    item = next_item(items, last_key)
    for _ in range(days):
        item = next_item(items, item.key)
    return item


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of `text`, cut at the last sentence end that fits, else at a word boundary
    with an ellipsis: a teaser, never a word cut in half."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", head)]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]]
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else text[:limit]).rstrip(",;:–- ") + "…"


def daily_reply(content: Content, item: Item, invocation: str = DEFAULT_INVOCATION) -> Reply:
    """The channel post for `item`; adapters render it from title, body, links and footer."""
    if item.number is None:
        body = item.headline
    else:
        body = (
            f"{item.headline}\n{item.excerpt}\n"
            f"Ask `{invocation} {item.number}` for the full answer."
        )
    return Reply(
        kind=Kind.DAILY,
        visibility=Visibility.CHANNEL,
        text=f"{TITLE}\n{body}\n\nWatch the recording: {content.recording_url}",
        title=TITLE,
        body=body,
        links=webinar_links(content),
        footer=webinar_credit(content),
        entry_id=None if item.number is None else item.key,
        number=item.number,
        meta={"daily_item": item.key},
    )
