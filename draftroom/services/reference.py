"""F1 reference data, read side: seasons, constructors, drivers (per season), races.

Every function returns JSON-ready dicts in the SPEC's shapes (times as ISO 8601 UTC). The
"current season" is the latest season seeded or synced (the highest ``season.year``).
"""

from __future__ import annotations

from typing import Any

from draftroom.db.tables import Constructor, Driver, DriverEntry, Race, Season
from draftroom.domain.weekend import lock_time
from draftroom.errors import NotFound
from draftroom.timestamps import iso_utc

RACE_STATUSES = ("scheduled", "awaiting_results", "provisional", "final", "cancelled")

_DRIVER_BY_ENTRY = """
SELECT d.id, d.ref, d.code, d.number, d.given_name, d.family_name, d.nationality,
       e.constructor AS constructor_id, e.active
FROM driver_entry e JOIN driver d ON d.id = e.driver
WHERE e.season = {}
ORDER BY d.id
"""

_CONSTRUCTORS_OF_SEASON = """
SELECT c.id, c.ref, c.name, c.nationality, c.color
FROM constructor c
WHERE c.id IN (SELECT e.constructor FROM driver_entry e WHERE e.season = {})
ORDER BY c.id
"""


async def current_season() -> int | None:
    """The latest season that was seeded or synced, or None when there is none."""
    rows = await Season.select(Season.year).order_by(Season.year, ascending=False).limit(1)
    return int(rows[0]["year"]) if rows else None


async def season_or_current(season: int | None) -> int | None:
    """``season`` when given, else the current season."""
    return season if season is not None else await current_season()


async def ensure_season(year: int) -> bool:
    """Record the season (True when it was new)."""
    if await Season.exists().where(Season.year == year):
        return False
    await Season.insert(Season(year=year)).on_conflict(action="DO NOTHING")
    return True


async def season_exists(year: int) -> bool:
    """True when the season was seeded or synced."""
    return bool(await Season.exists().where(Season.year == year))


# --- serialisers ---------------------------------------------------------------------------


def constructor_out(row: dict[str, Any]) -> dict[str, Any]:
    """A constructor as the API shows it."""
    return {
        "id": row["id"],
        "ref": row["ref"],
        "name": row["name"],
        "nationality": row["nationality"],
        "color": row["color"],
    }


def driver_out(row: dict[str, Any]) -> dict[str, Any]:
    """A driver as the API shows it (``constructor_id`` and ``active`` of the season)."""
    return {
        "id": row["id"],
        "ref": row["ref"],
        "code": row["code"],
        "number": row["number"],
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "nationality": row["nationality"],
        "constructor_id": row.get("constructor_id", row.get("constructor")),
        "active": row["active"],
    }


def race_out(row: dict[str, Any]) -> dict[str, Any]:
    """A race as the API shows it."""
    return {
        "id": row["id"],
        "season": row["season"],
        "round": row["round"],
        "name": row["name"],
        "circuit": row["circuit"],
        "country": row["country"],
        "starts_at": iso_utc(row["starts_at"]),
        "qualifying_at": iso_utc(row["qualifying_at"]),
        "sprint_qualifying_at": iso_utc(row.get("sprint_qualifying_at")),
        "sprint_at": iso_utc(row["sprint_at"]),
        "locks_at": iso_utc(
            lock_time(row["qualifying_at"], row.get("sprint_qualifying_at"))
            if row["qualifying_at"] is not None
            else None
        ),
        "status": row["status"],
    }


# --- reads ---------------------------------------------------------------------------------


async def list_drivers(season: int | None = None) -> list[dict[str, Any]]:
    """Drivers entered in ``season`` (default: the current season), by id."""
    year = await season_or_current(season)
    if year is None:
        return []
    rows = await Driver.raw(_DRIVER_BY_ENTRY, year)
    return [driver_out(row) for row in rows]


async def get_driver(driver_id: int) -> dict[str, Any]:
    """One driver (current team and status from the driver row), or NotFound."""
    row = await Driver.select().where(Driver.id == driver_id).first()
    if row is None:
        raise NotFound(f"Driver {driver_id} not found.")
    return driver_out(row)


async def list_constructors(season: int | None = None) -> list[dict[str, Any]]:
    """Constructors with a driver entered in ``season`` (default: the current season)."""
    year = await season_or_current(season)
    if year is None:
        return []
    rows = await Constructor.raw(_CONSTRUCTORS_OF_SEASON, year)
    return [constructor_out(row) for row in rows]


async def get_constructor(constructor_id: int) -> dict[str, Any]:
    """One constructor, or NotFound."""
    row = await Constructor.select().where(Constructor.id == constructor_id).first()
    if row is None:
        raise NotFound(f"Constructor {constructor_id} not found.")
    return constructor_out(row)


async def list_races(season: int | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Races of ``season`` (default: the current season) by round, optionally of one status."""
    year = await season_or_current(season)
    if year is None:
        return []
    query = Race.select().where(Race.season == year)
    if status is not None:
        query = query.where(Race.status == status)
    rows = await query.order_by(Race.round)
    return [race_out(row) for row in rows]


async def get_race(race_id: int) -> dict[str, Any]:
    """One race, or NotFound."""
    row = await Race.select().where(Race.id == race_id).first()
    if row is None:
        raise NotFound(f"Race {race_id} not found.")
    return race_out(row)


async def active_driver_count(season: int) -> int:
    """How many drivers are entered and active in ``season`` (the draftable pool size)."""
    return int(
        await DriverEntry.count().where(
            (DriverEntry.season == season) & (DriverEntry.active.eq(True))
        )
    )


async def find_driver_id(season: int, ref: str, number: int | None, code: str | None) -> int | None:
    """Our driver for a Jolpica ``ref``: by ref, else the driver entered in ``season`` with
    the same permanent number and code (a renamed ref), else None."""
    row = await Driver.select(Driver.id).where(Driver.ref == ref).first()
    if row is not None:
        return int(row["id"])
    if number is None or not code:
        return None
    rows = await Driver.raw(
        "SELECT d.id FROM driver d JOIN driver_entry e ON e.driver = d.id "
        "WHERE e.season = {} AND d.number = {} AND upper(d.code) = upper({}) LIMIT 1",
        season,
        number,
        code,
    )
    return int(rows[0]["id"]) if rows else None
