"""The usage tables (questions, votes, admins' corrections) on the bot's database, next to
subscriptions and the ledger.

Same engine, same migrations as `bot.storage`: one database to back up, one URL to configure.
One vote per voter per answer is a database rule (UNIQUE (reply_key, voter)), so two replicas
receiving a double click still count it once; likewise one correction per answer (its key is
the primary key), the last one counting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.core.corrections import Correction, kept
from bot.core.feedback import Ballot, Recorded
from bot.storage.database import insert_new
from bot.storage.schema import corrections, questions, suggestion_decisions, votes
from bot.usage.records import Asked, Voted, kept_text


class UsageLog:
    """Synchronous calls of a few rows each; async callers run them in a thread.

    `texts` False (RECORD_QUESTIONS=false): no question text is written, and none is read back,
    not even of rows kept before the switch, so the report, its page, the digest and the
    suggestions all show counts only, whichever reads the table. Texts read back are kept as
    `kept_text` keeps them today: a row stored before mentions were removed shows none."""

    def __init__(self, engine: Engine, *, texts: bool = True) -> None:
        self.engine = engine
        self.texts = texts

    def record(self, rows: Iterable[Asked]) -> int:
        """Insert a batch of handled questions in one transaction. An `Asked` is flat, so its
        own attribute dict is the row: `dataclasses.asdict` deep-copies each timestamp
        (43 µs a question, against 0.2 µs)."""
        values = [vars(row) if self.texts else {**vars(row), "text": None} for row in rows]
        if values:
            with self.engine.begin() as conn:
                conn.execute(questions.insert(), values)
        return len(values)

    def vote(
        self, ballot: Ballot, voter: str, *, platform: str, channel_id: str, now: dt.datetime
    ) -> Recorded:
        """Record `voter`'s vote on one answer: new, changed (the last vote counts), or the same
        again (nothing written)."""
        where = (votes.c.reply_key == ballot.reply_key, votes.c.voter == voter)
        with self.engine.begin() as conn:
            new = insert_new(
                conn,
                votes,
                reply_key=ballot.reply_key,
                entry_id=ballot.entry_id,
                platform=platform,
                channel_id=channel_id,
                voter=voter,
                vote=int(ballot.vote),
                at=now,
            )
        if new is not None:
            return Recorded.NEW
        # voted before on this answer (or a double click on another replica raced us)
        with self.engine.begin() as conn:
            changed = conn.execute(
                votes.update()
                .where(*where, votes.c.vote != int(ballot.vote))
                .values(vote=int(ballot.vote), at=now)
            ).rowcount
        return Recorded.CHANGED if changed else Recorded.SAME

    def correct(self, correction: Correction) -> None:
        """Record an admin's correction of one answer; a later one of the same answer replaces
        it (an admin changing their mind, or a second admin: the last word counts)."""
        values = asdict(correction)
        with self.engine.begin() as conn:
            if insert_new(conn, corrections, **values) is None:
                conn.execute(
                    corrections.update()
                    .where(corrections.c.reply_key == correction.reply_key)
                    .values(**values)
                )

    def uncorrect(self, reply_key: str) -> Correction | None:
        """Take back the correction of one answer (the admin corrected it to the answer the bot
        gave: the last word is that it was right); the correction removed, or None."""
        columns = [corrections.c[name] for name in Correction.__dataclass_fields__]
        with self.engine.begin() as conn:
            row = conn.execute(
                corrections.delete().where(corrections.c.reply_key == reply_key).returning(*columns)
            ).first()
        return None if row is None else Correction(**row._mapping)

    def corrections_since(self, since: dt.datetime) -> list[Correction]:
        query = sa.select(*(corrections.c[name] for name in Correction.__dataclass_fields__))
        with self.engine.connect() as conn:
            rows = conn.execute(query.where(corrections.c.at >= since).order_by(corrections.c.at))
            # kept as any phrasing is now: one stored before mentions were dropped had them
            return [replace(c, text=kept(c.text)) for c in (Correction(**r._mapping) for r in rows)]

    def prune(self, before: dt.datetime) -> int:
        """Forget questions, votes and corrections older than `before` (the retention period)."""
        with self.engine.begin() as conn:
            gone = conn.execute(questions.delete().where(questions.c.at < before)).rowcount
            gone += conn.execute(votes.delete().where(votes.c.at < before)).rowcount
            gone += conn.execute(corrections.delete().where(corrections.c.at < before)).rowcount
        return gone

    def asked_since(self, since: dt.datetime) -> list[Asked]:
        query = sa.select(*(questions.c[name] for name in Asked.__dataclass_fields__))
        with self.engine.connect() as conn:
            rows = conn.execute(query.where(questions.c.at >= since).order_by(questions.c.at))
            return [self._shown(Asked(**row._mapping)) for row in rows]

    def _shown(self, row: Asked) -> Asked:
        """A stored question as the readers may see it (see the class)."""
        if row.text is None:
            return row
        return replace(row, text=(kept_text(row.text) or None) if self.texts else None)

    def votes_since(self, since: dt.datetime) -> list[Voted]:
        query = sa.select(votes.c.at, votes.c.reply_key, votes.c.entry_id, votes.c.vote)
        with self.engine.connect() as conn:
            rows = conn.execute(query.where(votes.c.at >= since).order_by(votes.c.at))
            return [Voted(**row._mapping) for row in rows]

    def decisions(self) -> dict[str, str]:
        """Suggestion id -> "accepted" / "rejected"."""
        query = sa.select(suggestion_decisions.c.id, suggestion_decisions.c.decision)
        with self.engine.connect() as conn:
            return {row.id: row.decision for row in conn.execute(query)}

    def undecide(self, ids: Iterable[str]) -> None:
        """Forget editors' decisions: the suggestions are pending again (`suggestions reopen`)."""
        with self.engine.begin() as conn:
            conn.execute(suggestion_decisions.delete().where(suggestion_decisions.c.id.in_(ids)))

    def decide(self, ids: Iterable[str], decision: str, now: dt.datetime) -> None:
        """Record an editor's decision (the last one counts)."""
        with self.deciding(ids, decision, now):
            pass

    @contextmanager
    def deciding(self, ids: Iterable[str], decision: str, now: dt.datetime) -> Iterator[None]:
        """Record an editor's decision around what carries it out (`suggestions accept` saving
        the content file): the rows are written first, so a database this user cannot write,
        or one that stays locked, fails before the file changes; they are committed only if
        the body succeeds, so a file that could not be saved leaves no decision behind."""
        with self.engine.begin() as conn:
            for sid in ids:
                row = {"id": sid, "decision": decision, "decided_at": now}
                if insert_new(conn, suggestion_decisions, **row) is None:
                    conn.execute(
                        suggestion_decisions.update()
                        .where(suggestion_decisions.c.id == sid)
                        .values(decision=decision, decided_at=now)
                    )
            yield
