"""Pacing in busy channels: no reposting the same answer, no flooding by one user.

Both rules are about conversation, not about a platform, so they live here and every adapter
gets them. State is in memory: a restart forgets it, which errs on the side of answering.
The clock is injected so the rules are tested without sleeping.

Memory: an entry is only useful within its window (the cooldown, the rate-limit minute), so
entries are forgotten by time, not by count: each map is kept in time order, and every call
drops the expired entries at its front (amortised O(1)). Many distinct users therefore cost
memory only for as long as they are active; `capacity` is a backstop for a flood within one
window.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]

DEFAULT_COOLDOWN_S = 600.0
DEFAULT_RATE_PER_MINUTE = 5
RATE_WINDOW_S = 60.0


@dataclass(frozen=True)
class Earlier:
    """Where an entry was last answered in a channel, and when. `pending`: the answer is on its
    way and not yet known to be delivered (a burst of the same question is still held back)."""

    at: float
    url: str | None
    pending: bool = False


Key = tuple[str, str, str]


class Cooldown:
    """The same entry asked again in a channel within `seconds` gets a pointer, not a repost.

    Only delivered answers count: `claim` holds the entry back while the answer is on its way,
    `answered` confirms it once posted, `release` forgets the claim when delivery failed, so
    the next asker gets the answer rather than a pointer at nothing."""

    def __init__(
        self,
        seconds: float = DEFAULT_COOLDOWN_S,
        clock: Clock = time.monotonic,
        capacity: int = 50_000,
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._last: OrderedDict[Key, Earlier] = OrderedDict()  # oldest first
        self._capacity = capacity

    def __len__(self) -> int:
        return len(self._last)

    def recent(self, platform: str, channel: str, entry_id: str) -> Earlier | None:
        if self.seconds <= 0 or not channel:
            return None
        self._expire(self._clock())
        return self._last.get((platform, channel, entry_id))

    def claim(self, platform: str, channel: str, entry_id: str) -> None:
        """The answer is about to be sent: hold repeats back until it is delivered or not."""
        self._put((platform, channel, entry_id), None, pending=True)

    def answered(self, platform: str, channel: str, entry_id: str, url: str | None) -> None:
        """The answer was delivered (at `url`, when the platform gives a permalink)."""
        self._put((platform, channel, entry_id), url, pending=False)

    def release(self, platform: str, channel: str, entry_id: str) -> None:
        """The claimed answer was not delivered: forget the claim (a delivered one stays)."""
        key = (platform, channel, entry_id)
        earlier = self._last.get(key)
        if earlier is not None and earlier.pending:
            del self._last[key]

    def _put(self, key: Key, url: str | None, *, pending: bool) -> None:
        if self.seconds <= 0 or not key[1]:
            return
        now = self._clock()
        self._last[key] = Earlier(now, url, pending)
        self._last.move_to_end(key)
        self._expire(now)
        while len(self._last) > self._capacity:
            self._last.popitem(last=False)

    def _expire(self, now: float) -> None:
        while self._last:
            earlier = next(iter(self._last.values()))
            if now - earlier.at <= self.seconds:
                return
            self._last.popitem(last=False)


class RateLimit:
    """At most `per_minute` counted messages per user per rolling minute; 0 turns the limit
    off. Which messages count (questions and public posts, never subscription commands nor
    private menus) is the front door's decision, `BotApp.handle`: this only keeps time."""

    def __init__(
        self,
        per_minute: int = DEFAULT_RATE_PER_MINUTE,
        clock: Clock = time.monotonic,
        capacity: int = 50_000,
    ) -> None:
        self.per_minute = per_minute
        self._clock = clock
        # ordered by each user's latest counted question, oldest first
        self._hits: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._capacity = capacity

    def __len__(self) -> int:
        return len(self._hits)

    def allow(self, platform: str, user: str) -> bool:
        if self.per_minute <= 0 or not user:
            return True
        now = self._clock()
        self._expire(now)
        key = (platform, user)
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque(maxlen=self.per_minute)
        while hits and now - hits[0] >= RATE_WINDOW_S:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return False
        hits.append(now)
        self._hits.move_to_end(key)
        while len(self._hits) > self._capacity:
            self._hits.popitem(last=False)
        return True

    def _expire(self, now: float) -> None:
        """Forget users whose latest counted question left the window: they are back to a
        full allowance, which is what an absent entry means."""
        while self._hits:
            hits = next(iter(self._hits.values()))
            if hits and now - hits[-1] < RATE_WINDOW_S:
                return
            self._hits.popitem(last=False)
