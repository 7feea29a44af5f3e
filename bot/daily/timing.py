"""When a channel's daily post is due: parsing "[HH:MM] [timezone]", and local-time arithmetic.

Everything is computed in the subscription's own timezone with zoneinfo (tzdata is a dependency,
so it works on slim images without /usr/share/zoneinfo): 09:00 Europe/Berlin stays 09:00 on both
sides of a DST change. Pure functions of an explicit `now`, so tests drive the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.clock import UTC

DEFAULT_AT = dt.time(9, 0)
DEFAULT_TZ = "UTC"

_TIME = re.compile(r"^(\d{1,2})(?::?(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_SHOWABLE = re.compile(r"[^A-Za-z0-9_+\-/:.]")


class ScheduleError(ValueError):
    """A subscription time or timezone that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class When:
    """A daily local time in an IANA timezone."""

    at: dt.time = DEFAULT_AT
    tz: str = DEFAULT_TZ

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.tz}"


def shown(text: str) -> str:
    """User input made safe to echo back: no mentions, no markup, bounded length."""
    return _SHOWABLE.sub("", text)[:40]


def parse_time(text: str) -> dt.time:
    """ "9", "09:30", "0930", "9pm", "9:30am" -> a time of day."""
    m = _TIME.match(text.strip())
    if not m:
        raise ScheduleError(f"“{shown(text)}” is not a time: use HH:MM, e.g. 09:00 or 17:30.")
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"“{shown(text)}” is not a time: use HH:MM, e.g. 09:00 or 17:30.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"“{shown(text)}” is not a time of day: use 00:00 to 23:59.")
    return dt.time(hour, minute)


# the abbreviations people type for a wall clock, and the IANA name of a city on it: "PST" is
# no timezone name, and "EST" and "MST" are, but as fixed offsets with no daylight saving (a
# New York team subscribed at "9am EST" got its post at 10:00 all summer)
_WALL_CLOCKS = {
    **dict.fromkeys(("est", "edt"), ("US Eastern", "America/New_York")),
    **dict.fromkeys(("cst", "cdt"), ("US Central", "America/Chicago")),
    **dict.fromkeys(("mst", "mdt"), ("US Mountain", "America/Denver")),
    **dict.fromkeys(("pst", "pdt"), ("US Pacific", "America/Los_Angeles")),
    **dict.fromkeys(("akst", "akdt"), ("Alaska", "America/Anchorage")),
    "bst": ("UK", "Europe/London"),
    "cest": ("Central European", "Europe/Berlin"),
    "eest": ("Eastern European", "Europe/Athens"),
    **dict.fromkeys(("aest", "aedt"), ("Australian Eastern", "Australia/Sydney")),
    "jst": ("Japan", "Asia/Tokyo"),
}


def parse_zone(text: str) -> str:
    """An IANA timezone name, validated; "utc" and "Z" mean UTC. A clock's abbreviation
    ("PST", "EST") is refused with the name to use (`_WALL_CLOCKS`)."""
    name = text.strip()
    if name.upper() in {"UTC", "Z", "GMT"}:
        return "UTC"
    clock = _WALL_CLOCKS.get(name.casefold())
    if clock is not None:
        region, city = clock
        fixed = name.upper() in {"EST", "MST"}
        said = (
            "is a fixed offset all year, with no daylight saving"
            if fixed
            else ("is an abbreviation, not a timezone name")
        )
        raise ScheduleError(f"“{shown(name)}” {said}: for the {region} clock use {city}.")
    if not name or name.startswith(("/", ".")) or ".." in name:
        raise ScheduleError(_unknown_zone(name))
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        canonical = _zones_by_folded_name().get(name.casefold())
        if canonical is None:
            raise ScheduleError(_unknown_zone(name)) from None
        return canonical
    return name


@cache
def _zones_by_folded_name() -> dict[str, str]:
    """People type "europe/berlin": accept any case, store the canonical spelling."""
    return {zone.casefold(): zone for zone in available_timezones()}


def _unknown_zone(name: str) -> str:
    return (
        f"“{shown(name)}” is not a timezone I know: use an IANA name such as Europe/Berlin, "
        "America/New_York or UTC."
    )


CHAT_EXAMPLE = "subscribe 09:00 Europe/Berlin"


def parse_when(args: str, example: str = CHAT_EXAMPLE, keep: When | None = None) -> When:
    """The arguments of `subscribe`: an optional time and an optional timezone, in any order.
    `example`: a whole schedule in the syntax of where `args` came from (chat, the CLI, the
    DAILY_SUBSCRIPTIONS variable), shown when there is more than one time or timezone: an
    operator told `subscribe 09:00 …` could not tell what to write in the variable.
    `keep`: the channel's schedule, whose time or timezone stays when only the other is given
    (a New York channel moved to `10:00` meant 10:00 in New York, not in UTC)."""
    at, tz = (keep.at, keep.tz) if keep is not None else (DEFAULT_AT, DEFAULT_TZ)
    seen_time = seen_zone = False
    tokens = args.split()
    # "9 pm" is one time written as two words
    merged: list[str] = []
    for token in tokens:
        if merged and token.lower() in {"am", "pm"}:
            merged[-1] += token
        else:
            merged.append(token)
    for token in merged:
        if token[0].isdigit():
            if seen_time:
                raise ScheduleError(f"Give one time, e.g. `{example}`.")
            at, seen_time = parse_time(token), True
        else:
            if seen_zone:
                raise ScheduleError(f"Give one timezone, e.g. `{example}`.")
            tz, seen_zone = parse_zone(token), True
    return When(at, tz)


def local_date(now: dt.datetime, tz: str) -> dt.date:
    return now.astimezone(ZoneInfo(tz)).date()


def scheduled_at(day: dt.date, when: When) -> dt.datetime:
    """The UTC instant of `when` on local `day`. A time skipped by a DST jump (02:30 on the
    spring-forward night) falls an hour later, like a wall clock; a repeated one (autumn) is
    its first occurrence."""
    local = dt.datetime.combine(day, when.at, tzinfo=when.zone)
    return local.astimezone(UTC)


def due_day(
    now: dt.datetime,
    when: When,
    since: dt.datetime | None = None,
    weekday: int | None = None,
) -> dt.date | None:
    """The local day whose post is due at `now`, or None. Only today counts: a post missed
    because the bot was down is caught up later the same local day, never on a later day.
    `since` (when the subscription took its current schedule) stops a new or changed
    subscription from posting at once for a time that already passed today.

    Weekly (`weekday`, 0 = Monday): the day is the period's first, the last such weekday whose
    time has come; a post missed then is caught up any time until the next one, never twice
    (the ledger keys it by that day) and never for a period already over."""
    today = local_date(now, when.tz)
    if weekday is None:
        day = today
    else:
        day = today - dt.timedelta(days=(today.weekday() - weekday) % 7)
        if now < scheduled_at(day, when):
            day -= dt.timedelta(days=7)  # this week's time is still ahead: last week's period
    at = scheduled_at(day, when)
    if now < at or (since is not None and at < since):
        return None
    return day


def period_end(day: dt.date, when: When, weekday: int | None = None) -> dt.datetime:
    """The UTC instant the period of `day` ends, where retries stop: the end of that local day,
    or for a weekly schedule the next week's post time."""
    if weekday is None:
        return end_of_day(day, when.tz)
    return scheduled_at(day + dt.timedelta(days=7), when)


def reported_period(
    day: dt.date, when: When, weekday: int | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """(since, until) in UTC: what a digest posted for `day` reports on, the length of its
    cadence (7 days weekly, else 1) up to its post time. Fixed by the day, not by the moment
    it goes out, so a retry or a catch-up posts the same figures; the same window as `kubecon-bot
    report --days 7` run at the post time."""
    until = scheduled_at(day, when)
    return until - dt.timedelta(days=1 if weekday is None else 7), until


def next_post(
    now: dt.datetime, when: When, since: dt.datetime | None = None, done: dt.date | None = None
) -> dt.datetime:
    """The next instant a post is due, for confirmations: today if its time is still ahead (or
    due now and not yet `done`), else the next day."""
    day = local_date(now, when.tz)
    for _ in range(3):
        at = scheduled_at(day, when)
        late = since is not None and at < since
        if day != done and not late and (at >= now or due_day(now, when, since) == day):
            return at
        day += dt.timedelta(days=1)
    return scheduled_at(day, when)


def end_of_day(day: dt.date, tz: str) -> dt.datetime:
    """The UTC instant the local `day` ends: retries stop there."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(tz))


def describe(at: dt.datetime, tz: str) -> str:
    """A post time as the channel will see it, e.g. "Sun 29 Nov 2026, 09:00 CET"."""
    local = at.astimezone(ZoneInfo(tz))
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()}"
