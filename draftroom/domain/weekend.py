"""Race-weekend times that drafts follow (SPEC section 1, "Lock").

Pure rules: a draft locks before the first session of the weekend that decides scoring,
sprint qualifying on a sprint weekend, else qualifying; when a session moves, the race's
unfinished drafts move with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def lock_time(qualifying_at: datetime, sprint_qualifying_at: datetime | None) -> datetime:
    """When a race's drafts lock: sprint qualifying when the weekend has one, else
    qualifying (whichever comes first, should a schedule put them the other way round)."""
    if sprint_qualifying_at is None:
        return qualifying_at
    return min(sprint_qualifying_at, qualifying_at)


def default_opens_at(locks_at: datetime, hours_before: int) -> datetime | None:
    """When a race's draft opens by itself (None when the commissioner starts it)."""
    return None if hours_before == 0 else locks_at - timedelta(hours=hours_before)


def moved_opens_at(
    opens_at: datetime | None, old_locks_at: datetime, new_locks_at: datetime
) -> datetime | None:
    """A draft's ``opens_at`` after its lock moved: shifted by the same amount, so the
    draft keeps its length (a commissioner-chosen opening keeps its distance to the lock)."""
    if opens_at is None:
        return None
    return opens_at + (new_locks_at - old_locks_at)
