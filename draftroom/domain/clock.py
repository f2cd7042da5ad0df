"""Pick-clock maths. Times are integer milliseconds since the epoch (UTC); ``now`` is passed in."""

from __future__ import annotations

from typing import Protocol

MIN_RESUME_MS = 10_000
"""After a resume the team on the clock has at least this long (SPEC: at least 10 s)."""


class Clocked(Protocol):
    """What :func:`remaining_ms` reads from a draft state."""

    @property
    def status(self) -> str: ...

    @property
    def deadline_ms(self) -> int | None: ...

    @property
    def remaining_ms(self) -> int | None: ...


def full_clock_ms(pick_seconds: int) -> int:
    """A full pick clock in milliseconds."""
    return pick_seconds * 1000


def deadline_after(now_ms: int, duration_ms: int) -> int:
    """The absolute deadline ``duration_ms`` from ``now_ms``."""
    return now_ms + max(0, duration_ms)


def ms_left(deadline_ms: int, now_ms: int) -> int:
    """Milliseconds until ``deadline_ms`` (0 once passed)."""
    return max(0, deadline_ms - now_ms)


def resume_budget_ms(remaining: int | None, pick_seconds: int) -> int:
    """Time the team on the clock gets on resume: its remaining time, at least 10 s.

    ``None`` (unknown remaining) gives a full clock.
    """
    if remaining is None:
        return full_clock_ms(pick_seconds)
    return max(remaining, MIN_RESUME_MS)


def is_locked(locks_at_ms: int | None, now_ms: int) -> bool:
    """True once the lock time has been reached."""
    return locks_at_ms is not None and now_ms >= locks_at_ms


def remaining_ms(state: Clocked, now_ms: int) -> int | None:
    """Time left for the team on the clock: live from the deadline, paused as frozen.

    None when the draft is not live or paused (or nobody is on the clock).
    """
    if state.status == "live" and state.deadline_ms is not None:
        return ms_left(state.deadline_ms, now_ms)
    if state.status == "paused":
        return state.remaining_ms
    return None
