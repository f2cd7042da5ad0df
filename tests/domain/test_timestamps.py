"""The API's one time format: ISO 8601 UTC with a Z."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from draftroom.timestamps import iso_utc


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 3, 8, 4, 0, tzinfo=UTC), "2026-03-08T04:00:00Z"),
        (datetime(2026, 3, 8, 5, 30, tzinfo=timezone(timedelta(hours=1, minutes=30))),
         "2026-03-08T04:00:00Z"),
        (datetime(2026, 3, 8, 4, 0, 0, 123456, tzinfo=UTC), "2026-03-08T04:00:00.123456Z"),
        (None, None),
    ],
)  # fmt: skip
def test_iso_utc(value: datetime | None, expected: str | None) -> None:
    assert iso_utc(value) == expected
