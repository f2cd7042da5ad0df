"""Queries behind driver rankings and statistics: the latest classification of each race
of a season, drivers' weekend points, the season's drivers. Functions taking an optional
``conn`` use it when the caller holds one (inside a transaction: never take a second pool
connection there, under load that exhausts the pool and deadlocks)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from draftroom.db.convert import FullName, jsonb
from draftroom.db.engine import pool

_LATEST = """
SELECT DISTINCT ON (rr.race) rr.race, rr.classification
FROM result_revision rr JOIN race r ON r.id = rr.race
WHERE r.season = $1 AND r.status <> 'cancelled'
ORDER BY rr.race, rr.revision DESC
"""
_DRIVERS = """
SELECT id, ref, code, number, given_name, family_name FROM driver
WHERE id IN (SELECT driver FROM driver_entry WHERE season = $1) OR ref = ANY($2::text[])
"""
_LATEST_WITH_ROUND = """
SELECT DISTINCT ON (rr.race) rr.id, rr.race, r.round, rr.classification
FROM result_revision rr JOIN race r ON r.id = rr.race
WHERE r.season = $1 AND r.status <> 'cancelled'
ORDER BY rr.race, rr.revision DESC
"""
_POINTS = """
SELECT s.revision, d.ref, s.points FROM driver_score s JOIN driver d ON d.id = s.driver
WHERE s.revision = ANY($1::int[])
"""
_DRIVERS_BY_ID = """
SELECT id, ref, code, number, given_name, family_name FROM driver
WHERE id IN (SELECT driver FROM driver_entry WHERE season = $1) OR ref = ANY($2::text[])
ORDER BY id
"""


@dataclass(frozen=True)
class DriverRow(FullName):
    """A driver as rankings and statistics name him."""

    id: int
    ref: str
    code: str | None
    number: int | None
    given_name: str
    family_name: str


@dataclass(frozen=True)
class LatestRevision:
    """A race's latest revision: its id, the race, its round and the classification
    (decoded), with every driver's default weekend points by ref."""

    id: int
    race_id: int
    round: int
    classification: Any
    points: dict[str, float]


def _driver(d: Any) -> DriverRow:
    return DriverRow(d["id"], d["ref"], d["code"], d["number"], d["given_name"], d["family_name"])


@asynccontextmanager
async def _connection(conn: asyncpg.Connection | None) -> AsyncIterator[asyncpg.Connection]:
    """``conn`` when the caller holds one, else a pooled one."""
    if conn is not None:
        yield conn
        return
    async with pool().acquire() as acquired:
        yield acquired


async def season_classifications(season: int, conn: asyncpg.Connection | None = None) -> list[Any]:
    """The latest classification (as stored JSON, decoded) of every race of the season
    with results."""
    async with _connection(conn) as c:
        rows = await c.fetch(_LATEST, season)
    return [jsonb(r["classification"]) for r in rows]


async def league_settings(
    league_id: int, conn: asyncpg.Connection | None = None
) -> tuple[bool, Any]:
    """``(found, stored settings)`` of a league."""
    async with _connection(conn) as c:
        row = await c.fetchrow("SELECT settings FROM league WHERE id = $1", league_id)
    return (False, None) if row is None else (True, row["settings"])


async def season_drivers(
    season: int, refs: list[str], conn: asyncpg.Connection | None = None
) -> list[DriverRow]:
    """Drivers entered in the season or among ``refs``."""
    async with _connection(conn) as c:
        rows = await c.fetch(_DRIVERS, season, refs)
    return [_driver(d) for d in rows]


async def latest_revisions(season: int) -> list[LatestRevision]:
    """The latest revision of every race of the season with results, with its points."""
    async with pool().acquire() as conn:
        latest = await conn.fetch(_LATEST_WITH_ROUND, season)
        scores = await conn.fetch(_POINTS, [r["id"] for r in latest])
    points: dict[int, dict[str, float]] = {}
    for score in scores:
        points.setdefault(score["revision"], {})[score["ref"]] = float(score["points"])
    return [
        LatestRevision(
            r["id"], r["race"], r["round"], jsonb(r["classification"]), points.get(r["id"], {})
        )
        for r in latest
    ]


async def season_drivers_by_id(season: int, refs: list[str]) -> list[DriverRow]:
    """Drivers entered in the season or among ``refs``, by id."""
    return [_driver(d) for d in await pool().fetch(_DRIVERS_BY_ID, season, refs)]


async def driver(driver_id: int) -> DriverRow | None:
    """A driver (None when unknown)."""
    row = await pool().fetchrow(
        "SELECT id, ref, code, number, given_name, family_name FROM driver WHERE id = $1",
        driver_id,
    )
    return None if row is None else _driver(row)
