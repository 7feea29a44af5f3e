"""Remembering which platform events were already handled.

Slack retries an event it thinks we missed, and a Discord gateway RESUME replays events: either
would otherwise make the bot answer twice in the channel. A bounded, insertion-ordered set is
enough because duplicates arrive within minutes of the original.
"""

from __future__ import annotations

from collections import OrderedDict


class SeenIds:
    def __init__(self, capacity: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen, False for every repeat (while remembered)."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self._capacity:
            self._ids.popitem(last=False)
        return True
