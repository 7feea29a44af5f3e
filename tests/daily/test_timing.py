from __future__ import annotations

import datetime as dt

import pytest

from bot.daily.timing import (
    ScheduleError,
    When,
    due_day,
    end_of_day,
    next_post,
    parse_when,
    scheduled_at,
)
from tests.daily.conftest import utc


def test_defaults_to_nine_utc() -> None:
    assert parse_when("") == When(dt.time(9, 0), "UTC")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("17:30 Europe/Berlin", When(dt.time(17, 30), "Europe/Berlin")),
        ("America/New_York 8:05", When(dt.time(8, 5), "America/New_York")),
        ("9pm", When(dt.time(21, 0), "UTC")),
        ("12 am Asia/Tokyo", When(dt.time(0, 0), "Asia/Tokyo")),
        ("utc 0930", When(dt.time(9, 30), "UTC")),
        ("europe/berlin", When(dt.time(9, 0), "Europe/Berlin")),
    ],
)
def test_time_and_zone_in_any_order(args: str, expected: When) -> None:
    assert parse_when(args) == expected


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ("25:00", "not a time of day"),
        ("9:75", "not a time of day"),
        ("nine", "not a timezone"),
        ("09:00 Mars/Olympus_Mons", "not a timezone"),
        ("09:00 10:00", "one time"),
        ("Europe/Berlin Asia/Tokyo", "one timezone"),
        ("09:00 ../../etc/passwd", "not a timezone"),
    ],
)
def test_bad_input_is_a_clear_error(args: str, fragment: str) -> None:
    with pytest.raises(ScheduleError, match=fragment):
        parse_when(args)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            "9am EST",
            "“EST” is a fixed offset all year, with no daylight saving: for the US "
            "Eastern clock use America/New_York",
        ),
        ("9am mst", "fixed offset all year"),
        (
            "17:00 PST",
            "“PST” is an abbreviation, not a timezone name: for the US Pacific clock "
            "use America/Los_Angeles",
        ),
        ("CEST 08:00", "use Europe/Berlin"),
    ],
)
def test_a_clocks_abbreviation_is_refused_with_the_name_to_use(args: str, fragment: str) -> None:
    """ "9am EST" was stored as the fixed UTC-5 zone IANA calls EST: a New York team got its
    post at 10:00 all summer. "PST" was only "not a timezone I know". Both now name the zone
    that follows the clock (a zone that keeps daylight saving, CET or EST5EDT, is accepted)."""
    with pytest.raises(ScheduleError) as caught:
        parse_when(args)
    assert fragment in str(caught.value)
    assert parse_when("09:00 CET") == When(dt.time(9, 0), "CET")


def test_error_never_echoes_a_mention() -> None:
    with pytest.raises(ScheduleError) as err:
        parse_when("<!everyone>")
    assert "<!" not in str(err.value) and "@" not in str(err.value)


def test_local_time_is_kept_across_dst() -> None:
    berlin = When(dt.time(9, 0), "Europe/Berlin")
    assert scheduled_at(dt.date(2026, 10, 24), berlin) == utc(2026, 10, 24, 7, 0)  # CEST
    assert scheduled_at(dt.date(2026, 10, 26), berlin) == utc(2026, 10, 26, 8, 0)  # CET
    # 02:30 does not exist on the spring-forward night: it falls at 03:30 local
    night = When(dt.time(2, 30), "Europe/Berlin")
    assert scheduled_at(dt.date(2026, 3, 29), night) == utc(2026, 3, 29, 1, 30)


def test_due_from_the_scheduled_minute_until_the_local_day_ends() -> None:
    tokyo = When(dt.time(9, 0), "Asia/Tokyo")  # 00:00 UTC
    assert due_day(utc(2026, 11, 27, 23, 59), tokyo) is None
    assert due_day(utc(2026, 11, 28, 0, 0), tokyo) == dt.date(2026, 11, 28)
    assert due_day(utc(2026, 11, 28, 14, 59), tokyo) == dt.date(2026, 11, 28)  # catch-up
    # 15:00 UTC is the next local day, before its 09:00: yesterday is never due again
    assert due_day(utc(2026, 11, 28, 15, 0), tokyo) is None
    assert end_of_day(dt.date(2026, 11, 28), "Asia/Tokyo") == utc(2026, 11, 28, 15, 0)


def test_a_new_subscription_does_not_post_for_a_time_already_passed_today() -> None:
    when = When()
    since = utc(2026, 11, 28, 10, 0)
    assert due_day(utc(2026, 11, 28, 11, 0), when, since) is None
    assert next_post(since, when, since) == utc(2026, 11, 29, 9, 0)
    early = utc(2026, 11, 28, 8, 0)
    assert next_post(early, when, early) == utc(2026, 11, 28, 9, 0)
    assert next_post(early, when, early, done=dt.date(2026, 11, 28)) == utc(2026, 11, 29, 9, 0)
