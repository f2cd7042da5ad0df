"""Queries that plan drafts: creating a league's draft of a race (inside the caller's
transaction), scheduling the upcoming ones, drafts following their race, the seed's past
drafts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from draftroom.db.convert import jsonb
from draftroom.db.engine import pool


async def lock_league(conn: asyncpg.Connection, league_id: int) -> Mapping[str, Any] | None:
    """The league's ``id, season, settings, base_order`` under its row lock."""
    row: Mapping[str, Any] | None = await conn.fetchrow(
        "SELECT id, season, settings, base_order FROM league WHERE id = $1 FOR UPDATE", league_id
    )
    return row


async def race_times(conn: asyncpg.Connection, race_id: int) -> Mapping[str, Any] | None:
    """The race's ``id, season, qualifying_at, sprint_qualifying_at, status``."""
    row: Mapping[str, Any] | None = await conn.fetchrow(
        "SELECT id, season, qualifying_at, sprint_qualifying_at, status FROM race WHERE id = $1",
        race_id,
    )
    return row


async def has_draft(conn: asyncpg.Connection, league_id: int, race_id: int) -> bool:
    """True when the league already has a draft of the race."""
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM draft WHERE league = $1 AND race = $2", league_id, race_id
        )
    )


async def team_ids(conn: asyncpg.Connection, league_id: int) -> list[int]:
    """The league's teams in joining order."""
    rows = await conn.fetch(
        "SELECT id FROM team WHERE league = $1 ORDER BY joined_at, id", league_id
    )
    return [r["id"] for r in rows]


async def draft_count(conn: asyncpg.Connection, league_id: int) -> int:
    """How many drafts the league has had."""
    count: int = await conn.fetchval("SELECT count(*) FROM draft WHERE league = $1", league_id)
    return count


_STANDINGS = """
SELECT team, sum(points) AS points FROM (
  SELECT DISTINCT ON (s.team, s.race) s.team, s.points FROM team_race_score s
  JOIN race r ON r.id = s.race
  WHERE s.league = $1 AND r.status <> 'cancelled' ORDER BY s.team, s.race, s.revision DESC
) latest GROUP BY team
"""


async def team_points(conn: asyncpg.Connection, league_id: int) -> dict[int, float]:
    """team_id -> season points (the latest revision of each race's score)."""
    return {r["team"]: float(r["points"]) for r in await conn.fetch(_STANDINGS, league_id)}


async def save_base_order(conn: asyncpg.Connection, league_id: int, order: Sequence[int]) -> None:
    """Store the league's base order (``rotate``)."""
    await conn.execute(
        "UPDATE league SET base_order = $2 WHERE id = $1", league_id, json.dumps(list(order))
    )


async def insert_draft(
    conn: asyncpg.Connection,
    *,
    league_id: int,
    race_id: int,
    draft_type: str,
    pick_seconds: int,
    picks_per_team: int,
    order_policy: str,
    order_seed: int | None,
    order: Sequence[int],
    opens_at: datetime | None,
    locks_at: datetime,
    created_at: datetime,
) -> int:
    """Insert a scheduled draft and its teams (in ``order``); its id."""
    draft_id: int = await conn.fetchval(
        "INSERT INTO draft (league, race, status, draft_type, pick_seconds, picks_per_team, "
        'order_policy, order_seed, "order", opens_at, locks_at, seq, created_at) '
        "VALUES ($1, $2, 'scheduled', $3, $4, $5, $6, $7, $8, $9, $10, 0, $11) RETURNING id",
        league_id,
        race_id,
        draft_type,
        pick_seconds,
        picks_per_team,
        order_policy,
        order_seed,
        json.dumps(list(order)),
        opens_at,
        locks_at,
        created_at,
    )
    await conn.executemany(
        "INSERT INTO draft_team (draft, team, queue, autodraft, consecutive_timeouts) "
        "VALUES ($1, $2, '[]', false, 0)",
        [(draft_id, team) for team in order],
    )
    return draft_id


# Following a race, scheduling, the seed's past drafts.


@dataclass(frozen=True)
class OpenDraft:
    """An unfinished, non-demo draft of a race."""

    id: int
    league_id: int
    opens_at: datetime | None
    locks_at: datetime


async def race_and_open_drafts(race_id: int) -> tuple[Mapping[str, Any] | None, list[OpenDraft]]:
    """The race's ``qualifying_at, sprint_qualifying_at, status`` (None when unknown) and its
    unfinished drafts outside demo and mock leagues."""
    async with pool().acquire() as conn:
        race = await conn.fetchrow(
            "SELECT qualifying_at, sprint_qualifying_at, status FROM race WHERE id = $1", race_id
        )
        rows = (
            await conn.fetch(
                """
SELECT d.id, d.league, d.opens_at, d.locks_at FROM draft d JOIN league l ON l.id = d.league
WHERE d.race = $1 AND d.status IN ('scheduled', 'live', 'paused') AND NOT l.is_demo
  AND NOT l.is_mock
ORDER BY d.id
""",
                race_id,
            )
            if race is not None
            else []
        )
    return race, [OpenDraft(r["id"], r["league"], r["opens_at"], r["locks_at"]) for r in rows]


@dataclass(frozen=True)
class SchedulingLeague:
    """A league (neither demo nor mock) with at least two teams."""

    id: int
    season: int
    settings: Any


@dataclass(frozen=True)
class UpcomingRace:
    """A race still to be drafted (its first scored session after ``now``)."""

    id: int
    qualifying_at: datetime
    sprint_qualifying_at: datetime | None
    has_draft: bool


async def leagues_to_schedule() -> list[SchedulingLeague]:
    """Every league (neither demo nor mock) with at least two teams, by id (settings decoded)."""
    rows = await pool().fetch(
        """
SELECT l.id, l.season, l.settings FROM league l
WHERE NOT l.is_demo AND NOT l.is_mock AND (SELECT count(*) FROM team t WHERE t.league = l.id) >= 2
ORDER BY l.id
"""
    )
    return [SchedulingLeague(r["id"], r["season"], jsonb(r["settings"])) for r in rows]


async def upcoming_races(season: int, after: datetime, league_id: int) -> list[UpcomingRace]:
    """The season's races not cancelled whose lock is after ``after``, soonest first, and
    whether the league has a draft of each."""
    rows = await pool().fetch(
        """
SELECT r.id, r.qualifying_at, r.sprint_qualifying_at,
       EXISTS (SELECT 1 FROM draft d WHERE d.league = $3 AND d.race = r.id) AS has_draft
FROM race r
WHERE r.season = $1 AND r.status <> 'cancelled'
  AND least(r.qualifying_at, coalesce(r.sprint_qualifying_at, r.qualifying_at)) > $2
ORDER BY least(r.qualifying_at, coalesce(r.sprint_qualifying_at, r.qualifying_at))
""",
        season,
        after,
        league_id,
    )
    return [
        UpcomingRace(r["id"], r["qualifying_at"], r["sprint_qualifying_at"], r["has_draft"])
        for r in rows
    ]


async def race_start_if_undrafted(league_id: int, race_id: int) -> datetime | None:
    """The race's start when the league has no draft of it yet (else None)."""
    race = await pool().fetchrow(
        "SELECT r.starts_at, EXISTS (SELECT 1 FROM draft d WHERE d.league = $1 AND d.race = r.id)"
        " AS drafted FROM race r WHERE r.id = $2",
        league_id,
        race_id,
    )
    if race is None or race["drafted"]:
        return None
    starts_at: datetime = race["starts_at"]
    return starts_at
