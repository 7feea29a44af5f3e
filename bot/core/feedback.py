"""👍/👎 on answers: what a vote button carries, who counts as one voter, and what the voter hears.

A vote button must work on its own after a restart and on any replica, so everything needed to
record the vote travels in the button (the platform's `value` / `custom_id`, at most 100
characters on Discord): the answer's key, the entry it answered, and the direction. The key is
fresh for every answer posted, so "one vote per user per answer" means per message, not per
entry: someone may find Q5 helpful today and not next month.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from bot.core.replies import Reply, notice

# meta of the voter's acknowledgement, for observers (the usage journal's 👎-then-another-entry
# suggestions): the vote's direction and the key of the answer voted on
VOTE, VOTED_ON = "vote", "voted_on"
KEY_BYTES = 8  # 16 hex characters: unique enough for every answer a bot will ever post
_TOKEN = re.compile(r"^(up|down):([0-9a-f]{16}):([a-z0-9-]{1,64})$")


class Vote(IntEnum):
    UP = 1
    DOWN = -1

    @property
    def word(self) -> str:
        return "up" if self is Vote.UP else "down"

    @property
    def emoji(self) -> str:
        return "👍" if self is Vote.UP else "👎"


class Recorded(StrEnum):
    """What recording a vote did."""

    NEW = "new"
    CHANGED = "changed"  # the voter had voted the other way: the new vote replaces it
    SAME = "same"  # the same vote again: nothing changes


@dataclass(frozen=True)
class Ballot:
    """A click on a vote button, decoded."""

    reply_key: str
    entry_id: str
    vote: Vote


def new_reply_key() -> str:
    return secrets.token_hex(KEY_BYTES)


def ballot_token(reply_key: str, entry_id: str, vote: Vote) -> str:
    """The button's payload: `up:<key>:<entry>` (≤ 86 characters: entry ids are ≤ 64)."""
    return f"{vote.word}:{reply_key}:{entry_id}"


def parse_ballot(token: str) -> Ballot:
    """The ballot in a button payload; ValueError for anything we did not produce."""
    match = _TOKEN.match(token)
    if match is None:
        raise ValueError("not a kubecon vote")
    word, key, entry_id = match.groups()
    return Ballot(key, entry_id, Vote.UP if word == "up" else Vote.DOWN)


def voter_id(platform: str, workspace_id: str, user_id: str) -> str:
    """Who voted, as a digest: enough to count one vote per person, without keeping their id."""
    raw = f"{platform}\x1f{workspace_id}\x1f{user_id}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def thanks(vote: Vote, recorded: Recorded) -> Reply:
    """The private line the voter sees."""
    if recorded is Recorded.SAME:
        text = f"You already voted {vote.emoji} on this answer."
    elif recorded is Recorded.CHANGED:
        text = f"Changed your vote to {vote.emoji}. Thanks!"
    elif vote is Vote.UP:
        text = "Thanks! Glad it helped. 👍"
    else:
        text = "Thanks for telling me. 👎 The people who keep my answers will see it."
    return notice(text, reason="feedback")
