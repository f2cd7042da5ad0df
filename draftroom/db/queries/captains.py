"""Queries on captains: each team names one of its drafted drivers captain for a race."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from draftroom.db.engine import pool

_CAPTAIN_CANDIDATES = """
SELECT t.id AS team_id, t.league, t."user" AS owner, d.id AS draft_id, d.status, d.locks_at,
       EXISTS (SELECT 1 FROM pick p WHERE p.draft = d.id AND p.team = t.id AND p.driver = $3)
         AS drafted
FROM team t JOIN draft d ON d.league = t.league AND d.race = $1
WHERE {where}
ORDER BY t.id
"""


@dataclass(frozen=True)
class CaptainCandidate:
    """A team with a draft of the race, and whether that draft gave it the driver."""

    team_id: int
    league_id: int
    owner: int
    draft_id: int
    status: str
    locks_at: datetime
    drafted: bool


async def captain_candidates(
    race_id: int, driver_id: int, *, team_id: int | None = None, user_id: int | None = None
) -> list[CaptainCandidate]:
    """The team ``team_id`` (or every team of ``user_id``) with a draft of the race."""
    if team_id is not None:
        rows = await pool().fetch(
            _CAPTAIN_CANDIDATES.format(where="t.id = $2"), race_id, team_id, driver_id
        )
    else:
        rows = await pool().fetch(
            _CAPTAIN_CANDIDATES.format(where='t."user" = $2'), race_id, user_id, driver_id
        )
    return [
        CaptainCandidate(
            r["team_id"],
            r["league"],
            r["owner"],
            r["draft_id"],
            r["status"],
            r["locks_at"],
            r["drafted"],
        )
        for r in rows
    ]


async def save_captain(team_id: int, race_id: int, driver_id: int, at: datetime) -> None:
    """Name (or rename) the team's captain for the race."""
    await pool().execute(
        "INSERT INTO captain (team, race, driver, set_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (team, race) DO UPDATE SET driver = EXCLUDED.driver, set_at = EXCLUDED.set_at",
        team_id,
        race_id,
        driver_id,
        at,
    )


async def team_owner(team_id: int) -> tuple[int, int] | None:
    """``(league_id, owner user_id)`` of a team (None when unknown)."""
    row = await pool().fetchrow('SELECT league, "user" AS owner FROM team WHERE id = $1', team_id)
    return None if row is None else (row["league"], row["owner"])


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
