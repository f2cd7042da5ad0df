"""Quiet hours: a daily span of local time (e.g. 23:00-08:00 in Europe/Berlin) during
which the pick clock does not run. Pure; times are epoch milliseconds (UTC).

Local times are resolved in the league's IANA zone for each day, so a night that loses or
gains an hour at a DST change is that much shorter or longer. A wall time that does not
exist on a day (inside a spring-forward gap) is read with the offset before the jump.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from draftroom.errors import ValidationFailed

_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From ``start`` to ``end`` (local ``HH:MM``; ``end`` before ``start`` wraps midnight)."""

    start: str
    end: str
    tz: str

    def to_dict(self) -> dict[str, str]:
        """``{start, end, tz}`` as stored and served."""
        return {"start": self.start, "end": self.end, "tz": self.tz}

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


def parse_quiet_hours(raw: Any, field: str = "quiet_hours") -> QuietHours | None:
    """``None`` or a validated :class:`QuietHours`; ValidationFailed naming the problem."""
    if raw is None:
        return None
    problems: list[dict[str, str]] = []
    if not isinstance(raw, dict) or set(raw) != {"start", "end", "tz"}:
        raise ValidationFailed(
            "Quiet hours are {start: 'HH:MM', end: 'HH:MM', tz: '<IANA zone>'}.",
            details=[{"field": field, "message": "must be an object with start, end and tz"}],
        )
    for key in ("start", "end"):
        if not isinstance(raw[key], str) or not _HHMM.match(raw[key]):
            problems.append({"field": f"{field}.{key}", "message": "must be HH:MM (00:00-23:59)"})
    tz = raw["tz"]
    if not isinstance(tz, str) or not tz or len(tz) > 64 or tz.startswith(("/", ".")):
        problems.append({"field": f"{field}.tz", "message": "must be an IANA time zone name"})
    else:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append({"field": f"{field}.tz", "message": f"unknown time zone {tz!r}"})
    if not problems and raw["start"] == raw["end"]:
        problems.append({"field": field, "message": "start and end must differ"})
    if problems:
        raise ValidationFailed("Invalid quiet hours.", details=problems)
    return QuietHours(raw["start"], raw["end"], tz)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _at(day: date, hhmm: str, zone: ZoneInfo) -> int:
    """The epoch ms of local wall time ``hhmm`` on ``day`` in ``zone``."""
    minutes = _minutes(hhmm)
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return int(local.astimezone(UTC).timestamp() * 1000)


def _window_around(q: QuietHours, t_ms: int) -> tuple[int, int] | None:
    """The quiet window ``[start, end)`` holding instant ``t_ms``, else None."""
    zone = q.zone
    today = datetime.fromtimestamp(t_ms / 1000, zone).date()
    wraps = _minutes(q.end) <= _minutes(q.start)
    for first in (today - timedelta(days=1), today):
        start = _at(first, q.start, zone)
        end = _at(first + timedelta(days=1) if wraps else first, q.end, zone)
        if start <= t_ms < end:
            return start, end
    return None


def _next_start(q: QuietHours, t_ms: int) -> int:
    """The first quiet-window start after ``t_ms``."""
    zone = q.zone
    today = datetime.fromtimestamp(t_ms / 1000, zone).date()
    for offset in range(3):
        start = _at(today + timedelta(days=offset), q.start, zone)
        if start > t_ms:
            return start
    return t_ms + _DAY_MS  # unreachable for a real zone


def deadline_after(now_ms: int, duration_ms: int, q: QuietHours | None) -> int:
    """The deadline when the clock runs ``duration_ms`` from ``now_ms``, standing still
    inside quiet hours (a deadline that would fall inside them moves past them)."""
    if q is None:
        return now_ms + max(0, duration_ms)
    t, left = now_ms, max(0, duration_ms)
    for _ in range(64):  # each turn passes one quiet window: a 24 h clock needs at most 3
        window = _window_around(q, t)
        if window is not None:
            t = window[1]
            continue
        quiet_from = _next_start(q, t)
        if t + left <= quiet_from:
            return t + left
        left -= quiet_from - t
        t = quiet_from
    return t + left


def running_ms(now_ms: int, deadline_ms: int, q: QuietHours | None) -> int:
    """How long the clock still runs from ``now_ms`` to ``deadline_ms`` (quiet hours
    excluded): the time to keep when the draft is paused."""
    if q is None:
        return max(0, deadline_ms - now_ms)
    t, total = now_ms, 0
    for _ in range(64):
        if t >= deadline_ms:
            break
        window = _window_around(q, t)
        if window is not None:
            t = window[1]
            continue
        step_end = min(_next_start(q, t), deadline_ms)
        total += step_end - t
        t = step_end
    return total


def is_quiet(now_ms: int, q: QuietHours | None) -> bool:
    """True while ``now_ms`` is inside quiet hours."""
    return q is not None and _window_around(q, now_ms) is not None
