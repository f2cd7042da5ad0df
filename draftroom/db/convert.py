"""Conversions between PostgreSQL values and what the domain uses (epoch ms, decoded JSON)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, overload

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


@overload
def to_ms(value: datetime) -> int: ...
@overload
def to_ms(value: datetime | None) -> int | None: ...
def to_ms(value: datetime | None) -> int | None:
    """A timestamptz as integer milliseconds since the epoch (None stays None)."""
    return None if value is None else (value - EPOCH) // _MS


def from_ms(value: int) -> datetime:
    """Milliseconds since the epoch as an aware UTC datetime."""
    return EPOCH + timedelta(milliseconds=value)


def jsonb(value: Any) -> Any:
    """Decode a JSONB column whatever codec the pool has (text by default)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


class FullName:
    """A driver row with ``given_name`` and ``family_name``: ``name`` joins them."""

    given_name: str
    family_name: str

    @property
    def name(self) -> str:
        """The full name."""
        return f"{self.given_name} {self.family_name}".strip()
