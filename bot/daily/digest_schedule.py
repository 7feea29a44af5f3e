"""Where and when the editors' digest goes: DIGEST_CHANNEL, DIGEST_DAY, DIGEST_TIME, DIGEST_TZ.

The digest is a subscription of kind "digest" (bot.daily.store) with a weekday, so the
scheduler posts it through the same ledger as the takeaways: once per period, whatever the
restarts, retries and replicas. What it says is built in bot.usage.digest. Each bad value stops
start-up with one line naming its variable, as a bad DAILY_SUBSCRIPTIONS entry does, and the
channel id is checked with the same rule as every other channel id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.platforms import Platforms, installed
from bot.daily.subscriptions import ConfigSubscriptionError
from bot.daily.timing import ScheduleError, When, parse_time, parse_zone

if TYPE_CHECKING:
    from bot.config import DigestSettings

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = "daily"  # DIGEST_DAY for one digest a day
FORMAT = "platform:channel, e.g. slack:C0123ABCD or discord:1180000000000000000"


@dataclass(frozen=True)
class DigestTarget:
    platform: str
    channel: str
    when: When
    weekday: int | None  # 0 = Monday; None: every day

    def __str__(self) -> str:
        every = "every day" if self.weekday is None else f"every {DAYS[self.weekday].title()}"
        return f"{self.platform}:{self.channel}, {every} at {self.when}"

    def as_entry(self) -> tuple[str, str, When, int | None]:
        """What `Store.sync_digest` takes."""
        return self.platform, self.channel, self.when, self.weekday


def parse_day(text: str) -> int | None:
    """ "monday", "Mon", "MONDAY" -> 0 … "sunday" -> 6; "daily" -> None (every day)."""
    word = text.strip().lower()
    if word == EVERY_DAY:
        return None
    for number, day in enumerate(DAYS):
        if len(word) >= 3 and day.startswith(word):
            return number
    raise ConfigSubscriptionError(
        f"DIGEST_DAY: {text.strip()!r} is not a day: use monday … sunday (or mon … sun), or daily"
    )


def period_days(day: str) -> int:
    """The days one digest covers under DIGEST_DAY: 7, or 1 for daily."""
    return 1 if parse_day(day) is None else 7


class DigestSettingsError(ConfigSubscriptionError):
    """One or more DIGEST_* settings refused: one line each, every one said at once (an
    operator fixing DIGEST_DAY only to be told of DIGEST_TIME on the next start, then of
    DIGEST_TZ, started three times for one typo each)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def digest_target(
    channel: str, day: str, time: str, tz: str, platforms: Platforms | None = None
) -> DigestTarget | None:
    """The configured digest, or None when DIGEST_CHANNEL is unset (no digest). The schedule
    is checked either way: a schedule set wrong is a typo to tell now, not once the channel is
    set too. DigestSettingsError, one line naming each variable refused. `platforms`: the names
    and channel rules to check it against (default: installed)."""
    platforms = installed() if platforms is None else platforms
    problems: list[str] = []
    weekday = at = zone = None
    try:
        weekday = parse_day(day)
    except ConfigSubscriptionError as err:
        problems.append(str(err))
    try:
        at = parse_time(time)
    except ScheduleError as err:
        problems.append(f"DIGEST_TIME: {err}")
    try:
        zone = parse_zone(tz)
    except ScheduleError as err:
        problems.append(f"DIGEST_TZ: {err}")
    channel = channel.strip()
    problem = _channel_problem(channel, platforms) if channel else None
    problems += [f"DIGEST_CHANNEL: {problem}"] if problem else []
    if problems:
        raise DigestSettingsError(problems)
    if not channel:
        return None
    assert at is not None and zone is not None
    platform, channel_id = _split(channel)
    return DigestTarget(platform, channel_id, When(at, zone), weekday)


def _split(channel: str) -> tuple[str, str]:
    """DIGEST_CHANNEL's platform (lower case) and channel id."""
    platform, _, channel_id = channel.partition(":")
    return platform.strip().lower(), channel_id.strip()


def _channel_problem(channel: str, platforms: Platforms) -> str | None:
    """What is wrong with DIGEST_CHANNEL=`channel`, if anything."""
    platform, channel_id = _split(channel)
    if ":" not in channel or platform not in platforms:
        return f"{channel!r} does not name a platform ({', '.join(platforms)}): use {FORMAT}"
    if not channel_id:
        return f"the channel is missing: use {FORMAT}"
    return platforms.channel_problem(platform, channel_id)


def configured_digest(
    settings: DigestSettings, platforms: Platforms | None = None
) -> DigestTarget | None:
    """`digest_target` of the DIGEST_* settings, as `run`, `run` with nothing to run and
    `digest --preview` read them."""
    return digest_target(
        settings.digest_channel,
        settings.digest_day,
        settings.digest_time,
        settings.digest_tz,
        platforms,
    )
