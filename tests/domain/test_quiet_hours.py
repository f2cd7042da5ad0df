"""Quiet hours: the pick clock stands still inside them, DST changes included (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from draftroom.domain.quiet_hours import (
    QuietHours,
    deadline_after,
    is_quiet,
    parse_quiet_hours,
    running_ms,
)
from draftroom.errors import ValidationFailed

BERLIN = QuietHours("23:00", "08:00", "Europe/Berlin")
H = 3_600_000


def ms(text: str) -> int:
    """Epoch ms of an ISO UTC time ("2026-03-28T21:30")."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def test_without_quiet_hours_the_clock_just_runs() -> None:
    assert deadline_after(1000, 5000, None) == 6000
    assert running_ms(1000, 6000, None) == 5000


def test_a_deadline_inside_quiet_hours_moves_past_them() -> None:
    # 22:30 local (CET, UTC+1) on a winter evening, a 1 h clock: 30 min run before 23:00,
    # the rest after 08:00
    now = ms("2026-01-10T21:30")
    assert deadline_after(now, H, BERLIN) == ms("2026-01-11T07:30")
    assert deadline_after(now, 30 * 60_000, BERLIN) == ms("2026-01-10T22:00")  # at 23:00
    # started inside quiet hours: the clock starts at 08:00
    assert deadline_after(ms("2026-01-11T01:00"), 60_000, BERLIN) == ms("2026-01-11T07:01")


def test_spring_forward_night_is_an_hour_shorter() -> None:
    # 29 March 2026: 02:00 CET -> 03:00 CEST. 22:30 CET = 21:30 UTC; quiet from 23:00 CET
    # (22:00 UTC) to 08:00 CEST (06:00 UTC): 8 hours of real time
    now = ms("2026-03-28T21:30")
    assert deadline_after(now, H, BERLIN) == ms("2026-03-29T06:30")
    assert running_ms(now, ms("2026-03-29T06:30"), BERLIN) == H


def test_fall_back_night_is_an_hour_longer() -> None:
    # 25 October 2026: 03:00 CEST -> 02:00 CET. Quiet from 21:00 UTC to 07:00 UTC (10 h)
    now = ms("2026-10-24T20:30")  # 22:30 CEST
    assert deadline_after(now, H, BERLIN) == ms("2026-10-25T07:30")


def test_a_24_hour_clock_skips_each_night() -> None:
    now = ms("2026-06-01T08:00")  # 10:00 CEST: 13 h to 23:00, 9 h quiet, 11 h more (19:00)
    deadline = deadline_after(now, 24 * H, BERLIN)
    assert deadline == ms("2026-06-02T17:00")
    assert running_ms(now, deadline, BERLIN) == 24 * H
    assert is_quiet(ms("2026-06-01T22:00"), BERLIN)  # midnight CEST
    assert not is_quiet(ms("2026-06-01T12:00"), BERLIN)


def test_daytime_quiet_hours_do_not_wrap() -> None:
    lunch = QuietHours("12:00", "13:00", "UTC")
    assert deadline_after(ms("2026-06-01T11:30"), H, lunch) == ms("2026-06-01T13:30")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"start": "23:00", "end": "08:00", "tz": "Mars/Olympus"}, "quiet_hours.tz"),
        ({"start": "23:00", "end": "08:00", "tz": "../../etc/passwd"}, "quiet_hours.tz"),
        ({"start": "23:00", "end": "08:00", "tz": 1}, "quiet_hours.tz"),
        ({"start": "24:00", "end": "08:00", "tz": "UTC"}, "quiet_hours.start"),
        ({"start": "23:00", "end": "8:00", "tz": "UTC"}, "quiet_hours.end"),
        ({"start": "08:00", "end": "08:00", "tz": "UTC"}, "quiet_hours"),
        ({"start": "23:00", "end": "08:00"}, "quiet_hours"),
        ("23:00-08:00", "quiet_hours"),
    ],
)
def test_malformed_quiet_hours_are_refused(raw: Any, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_quiet_hours(raw)
    assert field in [d["field"] for d in caught.value.details]


def test_valid_quiet_hours_parse() -> None:
    raw = {"start": "23:00", "end": "08:00", "tz": "Europe/Berlin"}
    assert parse_quiet_hours(raw) == BERLIN
    assert parse_quiet_hours(None) is None
    assert BERLIN.to_dict() == raw
