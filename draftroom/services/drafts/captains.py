"""Captains: each team names one of its drafted drivers captain for a race until lock.

Without a named captain, the team's first pick of that race's draft is captain.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from draftroom.errors import DraftLocked, Forbidden, NotFound, ValidationFailed
from draftroom.services.drafts.store import pool, to_ms
from draftroom.services.membership import league_access
from draftroom.services.runtime import Runtime

_CANDIDATES = """
SELECT t.id AS team_id, t.league, t."user" AS owner, d.id AS draft_id, d.status, d.locks_at,
       EXISTS (SELECT 1 FROM pick p WHERE p.draft = d.id AND p.team = t.id AND p.driver = $3)
         AS drafted
FROM team t JOIN draft d ON d.league = t.league AND d.race = $1
WHERE {where}
ORDER BY t.id
"""


async def set_captain(
    rt: Runtime, race_id: int, user_id: int, driver_id: int, team_id: int | None = None
) -> dict[str, Any]:
    """The team's owner names ``driver_id`` (one of its picks for ``race_id``) captain.

    Without ``team_id`` the user's team whose draft of that race took ``driver_id`` is
    used. Errors: NotFound (team or draft), Forbidden (not the owner), ValidationFailed
    (not one of the team's drivers), DraftLocked (after the draft's ``locks_at``).
    """
    if team_id is not None:
        await _check_owner(team_id, user_id)
        rows = await pool().fetch(
            _CANDIDATES.format(where="t.id = $2"), race_id, team_id, driver_id
        )
    else:
        rows = await pool().fetch(
            _CANDIDATES.format(where='t."user" = $2'), race_id, user_id, driver_id
        )
    rows = [r for r in rows if r["status"] != "cancelled"]
    if not rows:
        raise NotFound("No draft of yours for this race.")
    chosen = [r for r in rows if r["drafted"]]
    if not chosen:
        raise ValidationFailed(
            "That driver is not one of your team's picks for this race.",
            details={"driver_id": driver_id},
        )
    row = chosen[0]
    now = datetime.now(UTC)
    if now >= row["locks_at"]:
        raise DraftLocked("The race is locked: captains can no longer change.")
    await pool().execute(
        "INSERT INTO captain (team, race, driver, set_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (team, race) DO UPDATE SET driver = EXCLUDED.driver, set_at = EXCLUDED.set_at",
        row["team_id"],
        race_id,
        driver_id,
        now,
    )
    return {
        "team_id": row["team_id"],
        "race_id": race_id,
        "driver_id": driver_id,
        "default": False,
        "locks_at": to_ms(row["locks_at"]),
    }


async def _check_owner(team_id: int, user_id: int) -> None:
    row = await pool().fetchrow('SELECT league, "user" AS owner FROM team WHERE id = $1', team_id)
    if row is None:
        raise NotFound("No such team.")
    if row["owner"] == user_id:
        return
    await league_access(row["league"], user_id)  # NotFound for a hidden private league
    raise Forbidden("Only the team's owner can name its captain.")


async def captains_for_race(league_id: int, race_id: int) -> dict[int, int]:
    """team_id -> captain driver_id for every team with picks in the league's race draft:
    the named captain when it is one of the team's picks, else the team's first pick."""
    rows = await pool().fetch(
        """
        SELECT DISTINCT ON (p.team) p.team, coalesce(c.driver, p.driver) AS driver
        FROM draft d
        JOIN pick p ON p.draft = d.id
        LEFT JOIN captain c ON c.team = p.team AND c.race = d.race
             AND EXISTS (SELECT 1 FROM pick q WHERE q.draft = d.id AND q.team = p.team
                         AND q.driver = c.driver)
        WHERE d.league = $1 AND d.race = $2 AND d.status <> 'cancelled'
        ORDER BY p.team, p.pick_no
        """,
        league_id,
        race_id,
    )
    return {r["team"]: r["driver"] for r in rows}
