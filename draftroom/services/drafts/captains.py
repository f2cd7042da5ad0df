"""Captains: each team names one of its drafted drivers captain for a race until lock.

Without a named captain, the team's first pick of that race's draft is captain.
"""

from __future__ import annotations

from datetime import UTC, datetime

from draftroom.contracts.drafts import CaptainOut
from draftroom.db.convert import to_ms
from draftroom.db.queries import captains
from draftroom.errors import DraftLocked, Forbidden, NotFound, ValidationFailed
from draftroom.services.membership import league_access
from draftroom.services.runtime import Runtime


async def set_captain(
    rt: Runtime, race_id: int, user_id: int, driver_id: int, team_id: int | None = None
) -> CaptainOut:
    """The team's owner names ``driver_id`` (one of its picks for ``race_id``) captain.

    Without ``team_id`` the user's team whose draft of that race took ``driver_id`` is
    used. Errors: NotFound (team or draft), Forbidden (not the owner), ValidationFailed
    (not one of the team's drivers), DraftLocked (after the draft's ``locks_at``).
    """
    if team_id is not None:
        await _check_owner(team_id, user_id)
        rows = await captains.captain_candidates(race_id, driver_id, team_id=team_id)
    else:
        rows = await captains.captain_candidates(race_id, driver_id, user_id=user_id)
    rows = [r for r in rows if r.status != "cancelled"]
    if not rows:
        raise NotFound("No draft of yours for this race.")
    chosen = [r for r in rows if r.drafted]
    if not chosen:
        raise ValidationFailed(
            "That driver is not one of your team's picks for this race.",
            details={"driver_id": driver_id},
        )
    row = chosen[0]
    now = datetime.now(UTC)
    if now >= row.locks_at:
        raise DraftLocked("The race is locked: captains can no longer change.")
    await captains.save_captain(row.team_id, race_id, driver_id, now)
    return {
        "team_id": row.team_id,
        "race_id": race_id,
        "driver_id": driver_id,
        "default": False,
        "locks_at": to_ms(row.locks_at),
    }


async def _check_owner(team_id: int, user_id: int) -> None:
    row = await captains.team_owner(team_id)
    if row is None:
        raise NotFound("No such team.")
    league_id, owner = row
    if owner == user_id:
        return
    await league_access(league_id, user_id)  # NotFound for a hidden private league
    raise Forbidden("Only the team's owner can name its captain.")


async def captains_for_race(league_id: int, race_id: int) -> dict[int, int]:
    """team_id -> captain driver_id for every team with picks in the league's race draft:
    the named captain when it is one of the team's picks, else the team's first pick."""
    return await captains.captains_for_race(league_id, race_id)
