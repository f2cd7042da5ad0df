"""Queries on race entry lists: the season's entrants and per-race changes (substitutions,
withdrawals), and who drafted or queued a driver of a race."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from draftroom.db.convert import FullName
from draftroom.domain.entries import Change, Entrant

_ENTRANTS = """
SELECT de.driver, de.constructor FROM driver_entry de JOIN driver v ON v.id = de.driver
WHERE de.season = $1 AND de.active AND v.active
"""
_CHANGES = """
SELECT out_driver, in_driver, constructor, source FROM race_entry_change WHERE race = $1
ORDER BY id
"""
_INSERT = """
INSERT INTO race_entry_change (race, out_driver, in_driver, constructor, source, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
"""
_DRAFTED = """
SELECT DISTINCT t."user" AS user_id, t.id AS team_id, l.id AS league_id, l.name AS league_name,
       l.settings->>'substitutes' AS policy, d.id AS draft_id
FROM pick p JOIN draft d ON d.id = p.draft JOIN team t ON t.id = p.team
JOIN league l ON l.id = d.league
WHERE d.race = $1 AND p.driver = $2 AND d.status <> 'cancelled' AND NOT t.is_bot
  AND NOT l.is_mock
"""
_QUEUED = """
SELECT t."user" AS user_id, t.id AS team_id, l.id AS league_id, l.name AS league_name,
       d.id AS draft_id
FROM draft_team dt JOIN draft d ON d.id = dt.draft JOIN team t ON t.id = dt.team
JOIN league l ON l.id = d.league
WHERE d.race = $1 AND d.status IN ('scheduled', 'live', 'paused') AND NOT t.is_bot
  AND NOT l.is_mock AND dt.queue @> jsonb_build_array($2::int)
"""
_OPEN_LEAGUES = """
SELECT DISTINCT league FROM draft WHERE race = $1 AND status IN ('scheduled', 'live', 'paused')
"""


@dataclass(frozen=True)
class Race:
    """What an entry-list change needs of its race."""

    id: int
    season: int
    name: str
    status: str


@dataclass(frozen=True)
class DriverName(FullName):
    """A driver's id and name."""

    id: int
    given_name: str
    family_name: str


@dataclass(frozen=True)
class Concerned:
    """An owner whose team drafted (or queued) a driver of the race; ``policy`` is the
    league's ``substitutes`` setting (None for a queue)."""

    user_id: int
    team_id: int
    league_id: int
    league_name: str
    draft_id: int
    policy: str | None = None


async def entrants_and_changes(
    conn: asyncpg.Connection, season: int, race_id: int
) -> tuple[list[Entrant], list[Change]]:
    """The season's entrants and the race's changes."""
    entrants = [Entrant(r["driver"], r["constructor"]) for r in await conn.fetch(_ENTRANTS, season)]
    changes = [
        Change(r["out_driver"], r["in_driver"], r["constructor"], r["source"])
        for r in await conn.fetch(_CHANGES, race_id)
    ]
    return entrants, changes


async def race(conn: asyncpg.Connection, race_id: int, *, for_update: bool = False) -> Race | None:
    """The race (``for_update``: under its row lock)."""
    sql = "SELECT id, season, name, status FROM race WHERE id = $1"
    row = await conn.fetchrow(sql + (" FOR UPDATE" if for_update else ""), race_id)
    return None if row is None else Race(row["id"], row["season"], row["name"], row["status"])


async def driver_name(conn: asyncpg.Connection, driver_id: int) -> DriverName | None:
    """A driver's name (None when unknown)."""
    row = await conn.fetchrow(
        "SELECT id, given_name, family_name FROM driver WHERE id = $1", driver_id
    )
    return None if row is None else DriverName(row["id"], row["given_name"], row["family_name"])


async def ensure_driver(conn: asyncpg.Connection, ref: str, given: str, family: str) -> DriverName:
    """The driver of a Jolpica ref, created (active, no team) when new."""
    await conn.execute(
        "INSERT INTO driver (ref, code, number, given_name, family_name, nationality, "
        "constructor, active) VALUES ($1, NULL, NULL, $2, $3, '', NULL, true) "
        "ON CONFLICT (ref) DO NOTHING",
        ref,
        given,
        family,
    )
    row = await conn.fetchrow("SELECT id, given_name, family_name FROM driver WHERE ref = $1", ref)
    assert row is not None
    return DriverName(row["id"], row["given_name"], row["family_name"])


async def insert_change(
    conn: asyncpg.Connection, race_id: int, change: Change, at: datetime
) -> None:
    """Record a change of the race's entry list."""
    await conn.execute(
        _INSERT,
        race_id,
        change.out_driver,
        change.in_driver,
        change.constructor_id,
        change.source,
        at,
    )


async def delete_change(conn: asyncpg.Connection, race_id: int, out_driver_id: int) -> bool:
    """Delete the race's change of ``out_driver_id``; False when there was none."""
    deleted = await conn.fetchval(
        "DELETE FROM race_entry_change WHERE race = $1 AND out_driver = $2 RETURNING id",
        race_id,
        out_driver_id,
    )
    return deleted is not None


async def open_draft_leagues(conn: asyncpg.Connection, race_id: int) -> list[int]:
    """Leagues with an unfinished draft of the race."""
    return [r["league"] for r in await conn.fetch(_OPEN_LEAGUES, race_id)]


async def constructor_ids(conn: asyncpg.Connection, refs: list[str]) -> dict[str, int]:
    """ref -> id of the known constructors among ``refs``."""
    rows = await conn.fetch("SELECT id, ref FROM constructor WHERE ref = ANY($1::text[])", refs)
    return {r["ref"]: r["id"] for r in rows}


async def replaced_by(conn: asyncpg.Connection, race_id: int) -> dict[int, int]:
    """``{out_driver: in_driver}`` of the race's substitutions (withdrawals excluded)."""
    rows = await conn.fetch(
        "SELECT out_driver, in_driver FROM race_entry_change "
        "WHERE race = $1 AND in_driver IS NOT NULL",
        race_id,
    )
    return {r["out_driver"]: r["in_driver"] for r in rows}


async def drafted_by(conn: asyncpg.Connection, race_id: int, driver_id: int) -> list[Concerned]:
    """Human owners whose draft of the race took the driver."""
    return [
        Concerned(
            r["user_id"],
            r["team_id"],
            r["league_id"],
            r["league_name"],
            r["draft_id"],
            r["policy"],
        )
        for r in await conn.fetch(_DRAFTED, race_id, driver_id)
    ]


async def queued_by(conn: asyncpg.Connection, race_id: int, driver_id: int) -> list[Concerned]:
    """Human owners with the driver in the queue of an unfinished draft of the race."""
    return [
        Concerned(r["user_id"], r["team_id"], r["league_id"], r["league_name"], r["draft_id"])
        for r in await conn.fetch(_QUEUED, race_id, driver_id)
    ]
