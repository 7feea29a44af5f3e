"""Good manners in busy channels: no reposting the same answer, no flooding by one user.

Both rules are about conversation, not about a platform, so they live here and every adapter
gets them. State is in memory: a restart forgets it, which errs on the side of answering.
The clock is injected so the rules are tested without sleeping.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]

DEFAULT_COOLDOWN_S = 600.0
DEFAULT_RATE_PER_MINUTE = 5


@dataclass(frozen=True)
class Earlier:
    """Where an entry was last answered in a channel, and when."""

    at: float
    url: str | None


class Cooldown:
    """The same entry asked again in a channel within `seconds` gets a pointer, not a repost."""

    def __init__(
        self,
        seconds: float = DEFAULT_COOLDOWN_S,
        clock: Clock = time.monotonic,
        capacity: int = 50_000,
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._last: OrderedDict[tuple[str, str, str], Earlier] = OrderedDict()
        self._capacity = capacity

    def recent(self, platform: str, channel: str, entry_id: str) -> Earlier | None:
        if self.seconds <= 0 or not channel:
            return None
        earlier = self._last.get((platform, channel, entry_id))
        if earlier is None or self._clock() - earlier.at > self.seconds:
            return None
        return earlier

    def answered(self, platform: str, channel: str, entry_id: str, url: str | None) -> None:
        key = (platform, channel, entry_id)
        self._last[key] = Earlier(self._clock(), url)
        self._last.move_to_end(key)
        if len(self._last) > self._capacity:
            self._last.popitem(last=False)


class RateLimit:
    """At most `per_minute` questions per user per rolling minute; 0 turns the limit off."""

    def __init__(
        self,
        per_minute: int = DEFAULT_RATE_PER_MINUTE,
        clock: Clock = time.monotonic,
        capacity: int = 50_000,
    ) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._capacity = capacity

    def allow(self, platform: str, user: str) -> bool:
        if self.per_minute <= 0 or not user:
            return True
        now = self._clock()
        hits = self._hits.setdefault((platform, user), deque())
        self._hits.move_to_end((platform, user))
        while hits and now - hits[0] >= 60.0:
            hits.popleft()
        if len(self._hits) > self._capacity:
            self._hits.popitem(last=False)
        if len(hits) >= self.per_minute:
            return False
        hits.append(now)
        return True


def may_delete(asker_id: str, user_id: str, *, is_admin: bool = False) -> bool:
    """Only the person who asked (or an admin) may remove the bot's answer."""
    return is_admin or (bool(asker_id) and asker_id == user_id)
