"""Times as the API writes them: ISO 8601 in UTC with a ``Z`` (one home for the format)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def iso_utc(value: datetime) -> str: ...
@overload
def iso_utc(value: datetime | None) -> str | None: ...
def iso_utc(value: datetime | None) -> str | None:
    """``2026-03-08T04:00:00Z`` (ISO 8601, UTC), or None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"
