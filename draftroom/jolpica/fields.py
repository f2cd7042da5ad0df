"""Checked reads from untrusted JSON: every failure is a MalformedPayload naming the field.

Jolpica writes every scalar as a string (``"position": "1"``); the readers here cast on
read and accept genuine JSON numbers too, but never booleans.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from draftroom.errors import MalformedPayload


def malformed(path: str, problem: str) -> MalformedPayload:
    """The error for a bad field at ``path`` (e.g. ``MRData.RaceTable.Races[0].round``)."""
    return MalformedPayload(f"Jolpica payload: {path} {problem}", details={"field": path})


class Node:
    """A JSON object read through typed accessors that know its path."""

    __slots__ = ("data", "path")

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise malformed(path, f"must be an object, got {type(data).__name__}")
        self.data: Mapping[str, Any] = data
        self.path = path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        """True when ``key`` is present and not null."""
        return self.data.get(key) is not None

    def obj(self, key: str) -> Node:
        """A required nested object."""
        if not self.has(key):
            raise malformed(self._at(key), "is missing")
        return Node(self.data[key], self._at(key))

    def opt_obj(self, key: str) -> Node | None:
        """An optional nested object."""
        return self.obj(key) if self.has(key) else None

    def objs(self, key: str, *, required: bool = True) -> list[Node]:
        """A list of objects (an absent optional list is empty)."""
        if not self.has(key):
            if required:
                raise malformed(self._at(key), "is missing")
            return []
        items = self.data[key]
        if not isinstance(items, list):
            raise malformed(self._at(key), f"must be a list, got {type(items).__name__}")
        return [Node(item, f"{self._at(key)}[{i}]") for i, item in enumerate(items)]

    def text(self, key: str) -> str:
        """A required non-empty string (a JSON number is accepted and converted)."""
        value = self.opt_text(key)
        if value is None or value == "":
            raise malformed(self._at(key), "is missing")
        return value

    def opt_text(self, key: str) -> str | None:
        """An optional string."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise malformed(self._at(key), f"must be a string, got {type(value).__name__}")
        return str(value)

    def integer(self, key: str) -> int:
        """A required integer, written as a string."""
        value = self.opt_integer(key)
        if value is None:
            raise malformed(self._at(key), "is missing")
        return value

    def opt_integer(self, key: str, default: int | None = None) -> int | None:
        """An optional integer (``default`` when absent or empty)."""
        text = self.opt_text(key)
        if text is None or text.strip() == "":
            return default
        try:
            return int(text)
        except ValueError:
            raise malformed(self._at(key), f"must be an integer, got {text!r}") from None

    def number(self, key: str, default: float | None = None) -> float:
        """A number written as a string (``default`` when absent; required without one)."""
        text = self.opt_text(key)
        if text is None or text.strip() == "":
            if default is None:
                raise malformed(self._at(key), "is missing")
            return default
        try:
            value = float(text)
        except ValueError:
            raise malformed(self._at(key), f"must be a number, got {text!r}") from None
        if not math.isfinite(value):
            raise malformed(self._at(key), f"must be a finite number, got {text!r}")
        return value

    def opt_date(self, key: str) -> date | None:
        """An optional ``YYYY-MM-DD`` date."""
        text = self.opt_text(key)
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise malformed(self._at(key), f"must be a YYYY-MM-DD date, got {text!r}") from None

    def opt_datetime(self, date_key: str = "date", time_key: str = "time") -> datetime | None:
        """``date`` + ``time`` (``"15:00:00Z"``) as an aware UTC datetime (midnight if no time)."""
        day = self.opt_date(date_key)
        if day is None:
            return None
        text = self.opt_text(time_key)
        clock = time(0, 0)
        if text:
            try:
                parsed = time.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise malformed(self._at(time_key), f"must be a time, got {text!r}") from None
            clock = parsed.replace(tzinfo=None)
            if parsed.utcoffset():
                return datetime.combine(day, clock, parsed.tzinfo).astimezone(UTC)
        return datetime.combine(day, clock, UTC)
