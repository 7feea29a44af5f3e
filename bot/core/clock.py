"""The one clock every stored timestamp comes from: aware UTC, so SQLite and PostgreSQL rows
compare alike; code that must be testable takes `now` as an argument instead of calling it."""

from __future__ import annotations

import datetime as dt

UTC = dt.UTC


def utcnow() -> dt.datetime:
    """Now, as an aware UTC datetime."""
    return dt.datetime.now(UTC)
