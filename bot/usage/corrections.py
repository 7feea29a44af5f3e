"""Admins' corrections, as the front door needs them (`bot.core.app.CorrectionDesk`): the
asker's words for an answer while the bot still holds them, and where a correction is written.

The words come from the usage journal's short memory (`bot.usage.followups`: 10 minutes, in
this process only, nothing at all with RECORD_QUESTIONS=false). An answered question keeps no
text in the database, so once that memory has let go the admin types the phrasing themself,
and only what they typed is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.core.clock import utcnow
from bot.core.corrections import Correction
from bot.usage.followups import Followups
from bot.usage.log import UsageLog


class Desk:
    """The usage side of a correction: read the held question, write the correction."""

    def __init__(
        self,
        log: UsageLog,
        followups: Followups | None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.log = log
        self.followups = followups  # None: questions are not recorded, so nothing is held
        self.clock = clock

    def question(self, reply_key: str) -> str | None:
        if self.followups is None:
            return None
        return self.followups.question(reply_key, self.clock())

    def record(self, correction: Correction) -> None:
        self.log.correct(correction)

    def withdraw(self, reply_key: str) -> Correction | None:
        return self.log.uncorrect(reply_key)
