"""F1 reference data, read side: seasons, constructors, drivers (per season), races.

Every function returns JSON-ready dicts in the SPEC's shapes (times as ISO 8601 UTC). The
"current season" is the latest season seeded or synced (the highest ``season.year``).
"""

from __future__ import annotations

from typing import Any

from draftroom.contracts.reference import ConstructorOut, DriverOut, RaceOut
from draftroom.db.queries import reference as queries
from draftroom.domain.weekend import lock_time
from draftroom.errors import NotFound
from draftroom.timestamps import iso_utc

RACE_STATUSES = ("scheduled", "awaiting_results", "provisional", "final", "cancelled")


async def current_season() -> int | None:
    """The latest season that was seeded or synced, or None when there is none."""
    return await queries.current_season()


async def season_or_current(season: int | None) -> int | None:
    """``season`` when given, else the current season."""
    return season if season is not None else await current_season()


async def ensure_season(year: int) -> bool:
    """Record the season (True when it was new)."""
    if await queries.season_exists(year):
        return False
    await queries.insert_season(year)
    return True


async def season_exists(year: int) -> bool:
    """True when the season was seeded or synced."""
    return await queries.season_exists(year)


# --- serialisers ---------------------------------------------------------------------------


def constructor_out(row: dict[str, Any]) -> ConstructorOut:
    """A constructor as the API shows it."""
    return {
        "id": row["id"],
        "ref": row["ref"],
        "name": row["name"],
        "nationality": row["nationality"],
        "color": row["color"],
    }


def driver_out(row: dict[str, Any]) -> DriverOut:
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


def race_out(row: dict[str, Any]) -> RaceOut:
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


async def list_drivers(season: int | None = None) -> list[DriverOut]:
    """Drivers entered in ``season`` (default: the current season), by id."""
    year = await season_or_current(season)
    if year is None:
        return []
    return [driver_out(row) for row in await queries.drivers_of_season(year)]


async def get_driver(driver_id: int) -> DriverOut:
    """One driver (current team and status from the driver row), or NotFound."""
    row = await queries.driver(driver_id)
    if row is None:
        raise NotFound(f"Driver {driver_id} not found.")
    return driver_out(row)


async def list_constructors(season: int | None = None) -> list[ConstructorOut]:
    """Constructors with a driver entered in ``season`` (default: the current season)."""
    year = await season_or_current(season)
    if year is None:
        return []
    return [constructor_out(row) for row in await queries.constructors_of_season(year)]


async def get_constructor(constructor_id: int) -> ConstructorOut:
    """One constructor, or NotFound."""
    row = await queries.constructor(constructor_id)
    if row is None:
        raise NotFound(f"Constructor {constructor_id} not found.")
    return constructor_out(row)


async def list_races(season: int | None = None, status: str | None = None) -> list[RaceOut]:
    """Races of ``season`` (default: the current season) by round, optionally of one status."""
    year = await season_or_current(season)
    if year is None:
        return []
    return [race_out(row) for row in await queries.races(year, status)]


async def get_race(race_id: int) -> RaceOut:
    """One race, or NotFound."""
    row = await queries.race(race_id)
    if row is None:
        raise NotFound(f"Race {race_id} not found.")
    return race_out(row)


async def active_driver_count(season: int) -> int:
    """How many drivers are entered and active in ``season`` (the draftable pool size)."""
    return await queries.active_driver_count(season)


async def find_driver_id(season: int, ref: str, number: int | None, code: str | None) -> int | None:
    """Our driver for a Jolpica ``ref``: by ref, else the driver entered in ``season`` with
    the same permanent number and code (a renamed ref), else None."""
    found = await queries.driver_id_by_ref(ref)
    if found is not None:
        return found
    if number is None or not code:
        return None
    return await queries.driver_id_by_number_code(season, number, code)
