"""Queries on F1 reference data: seasons, constructors, drivers and their season entries,
races. Rows are Piccolo's dicts (column name -> value). Writes run inside the caller's
``DB.transaction()`` when there is one (Piccolo finds it by itself)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from draftroom.db.tables import (
    Constructor,
    Draft,
    Driver,
    DriverEntry,
    Race,
    ResultRevision,
    Season,
)

Row = dict[str, Any]

REFERENCE_LOCK = 7_311_001
"""Advisory lock key shared by the seed and the sync."""

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


async def lock_reference() -> None:
    """Take the reference-data advisory lock for the current transaction."""
    await Season.raw("SELECT pg_advisory_xact_lock({})", REFERENCE_LOCK)


# Seasons.


async def current_season() -> int | None:
    """The highest season recorded, or None."""
    rows = await Season.select(Season.year).order_by(Season.year, ascending=False).limit(1)
    return int(rows[0]["year"]) if rows else None


async def season_exists(year: int) -> bool:
    """True when the season is recorded."""
    return bool(await Season.exists().where(Season.year == year))


async def insert_season(year: int) -> None:
    """Record the season (nothing when it is known)."""
    await Season.insert(Season(year=year)).on_conflict(action="DO NOTHING")


# Reads.


async def drivers_of_season(season: int) -> list[Row]:
    """Drivers entered in the season with their entry's ``constructor_id`` and ``active``."""
    rows: list[Row] = await Driver.raw(_DRIVER_BY_ENTRY, season)
    return rows


async def constructors_of_season(season: int) -> list[Row]:
    """Constructors with a driver entered in the season, by id."""
    rows: list[Row] = await Constructor.raw(_CONSTRUCTORS_OF_SEASON, season)
    return rows


async def driver(driver_id: int) -> Row | None:
    """A driver row."""
    row: Row | None = await Driver.select().where(Driver.id == driver_id).first()
    return row


async def constructor(constructor_id: int) -> Row | None:
    """A constructor row."""
    row: Row | None = await Constructor.select().where(Constructor.id == constructor_id).first()
    return row


async def constructor_by_ref(ref: str) -> Row | None:
    """A constructor row by Jolpica ref."""
    row: Row | None = await Constructor.select().where(Constructor.ref == ref).first()
    return row


async def race(race_id: int) -> Row | None:
    """A race row."""
    row: Row | None = await Race.select().where(Race.id == race_id).first()
    return row


async def races(season: int, status: str | None = None) -> list[Row]:
    """The season's races by round (optionally of one status)."""
    query = Race.select().where(Race.season == season)
    if status is not None:
        query = query.where(Race.status == status)
    rows: list[Row] = await query.order_by(Race.round)
    return rows


async def active_driver_count(season: int) -> int:
    """How many drivers are entered and active in the season."""
    return int(
        await DriverEntry.count().where(
            (DriverEntry.season == season) & (DriverEntry.active.eq(True))
        )
    )


async def driver_id_by_ref(ref: str) -> int | None:
    """Our driver of a Jolpica ref."""
    row = await Driver.select(Driver.id).where(Driver.ref == ref).first()
    return int(row["id"]) if row is not None else None


async def driver_id_by_number_code(season: int, number: int, code: str) -> int | None:
    """The driver entered in the season with this permanent number and code."""
    rows = await Driver.raw(
        "SELECT d.id FROM driver d JOIN driver_entry e ON e.driver = d.id "
        "WHERE e.season = {} AND d.number = {} AND upper(d.code) = upper({}) LIMIT 1",
        season,
        number,
        code,
    )
    return int(rows[0]["id"]) if rows else None


# The sync's writes.


async def refs_with_team(season: int) -> set[str]:
    """Refs of the drivers whose entry in the season already names a constructor."""
    rows = await Driver.raw(
        "SELECT d.ref FROM driver_entry e JOIN driver d ON d.id = e.driver "
        "WHERE e.season = {} AND e.constructor IS NOT NULL",
        season,
    )
    return {row["ref"] for row in rows}


async def set_driver_team(driver_id: int, constructor_id: int) -> None:
    """The driver's current team (no write when it is already that one)."""
    await Driver.update({Driver.constructor: constructor_id}).where(
        (Driver.id == driver_id)
        & (Driver.constructor.is_null() | (Driver.constructor != constructor_id))
    )


async def insert_constructor(**values: Any) -> int:
    """A new constructor; its id."""
    rows = await Constructor.insert(Constructor(**values)).returning(Constructor.id)
    return int(rows[0]["id"])


async def update_constructor(constructor_id: int, changes: dict[Any, Any]) -> None:
    """Change a constructor's columns."""
    await Constructor.update(changes).where(Constructor.id == constructor_id)


async def insert_driver(**values: Any) -> int:
    """A new driver; its id."""
    rows = await Driver.insert(Driver(**values)).returning(Driver.id)
    return int(rows[0]["id"])


async def update_driver(driver_id: int, changes: dict[Any, Any]) -> None:
    """Change a driver's columns."""
    await Driver.update(changes).where(Driver.id == driver_id)


async def entry(season: int, driver_id: int) -> Row | None:
    """The driver's entry in the season."""
    row: Row | None = (
        await DriverEntry.select()
        .where((DriverEntry.season == season) & (DriverEntry.driver == driver_id))
        .first()
    )
    return row


async def insert_entry(
    season: int, driver_id: int, constructor_id: int | None, active: bool = True
) -> None:
    """Enter the driver in the season."""
    await DriverEntry.insert(
        DriverEntry(season=season, driver=driver_id, constructor=constructor_id, active=active)
    )


async def update_entry(entry_id: int, constructor_id: int | None, active: bool) -> None:
    """The team and status of a season entry."""
    await DriverEntry.update(
        {DriverEntry.constructor: constructor_id, DriverEntry.active: active}
    ).where(DriverEntry.id == entry_id)


async def set_entry_team(entry_id: int, constructor_id: int) -> None:
    """The team of a season entry."""
    await DriverEntry.update({DriverEntry.constructor: constructor_id}).where(
        DriverEntry.id == entry_id
    )


async def scored_races(race_ids: list[int]) -> set[int]:
    """Which of the races have results."""
    rows = await Race.raw(
        "SELECT DISTINCT race FROM result_revision WHERE race = ANY({})", race_ids or [0]
    )
    return {row["race"] for row in rows}


async def insert_race(**values: Any) -> int:
    """A new race; its id."""
    rows = await Race.insert(Race(**values)).returning(Race.id)
    return int(rows[0]["id"])


async def update_race(race_id: int, changes: dict[Any, Any]) -> None:
    """Change a race's columns."""
    await Race.update(changes).where(Race.id == race_id)


async def races_unordered(season: int) -> list[Row]:
    """The season's races, in no particular order."""
    rows: list[Row] = await Race.select().where(Race.season == season)
    return rows


# The admin's writes.


async def constructor_ref_taken(ref: str, exclude_id: int | None = None) -> bool:
    """True when another constructor has the ref."""
    query = Constructor.exists().where(Constructor.ref == ref)
    if exclude_id is not None:
        query = query.where(Constructor.id != exclude_id)
    return bool(await query)


async def constructor_exists(constructor_id: int) -> bool:
    """True when the constructor exists."""
    return bool(await Constructor.exists().where(Constructor.id == constructor_id))


async def delete_constructor(constructor_id: int) -> None:
    """Delete a constructor."""
    await Constructor.delete().where(Constructor.id == constructor_id)


async def driver_ref_taken(ref: str, exclude_id: int | None = None) -> bool:
    """True when another driver has the ref."""
    query = Driver.exists().where(Driver.ref == ref)
    if exclude_id is not None:
        query = query.where(Driver.id != exclude_id)
    return bool(await query)


async def delete_driver(driver_id: int) -> None:
    """Delete a driver (ForeignKeyViolationError while picks or scores refer to it)."""
    await Driver.delete().where(Driver.id == driver_id)


async def round_taken(season: int, round_: int, exclude_id: int | None = None) -> bool:
    """True when another race of the season has the round."""
    query = Race.exists().where((Race.season == season) & (Race.round == round_))
    if exclude_id is not None:
        query = query.where(Race.id != exclude_id)
    return bool(await query)


async def race_in_use(race_id: int) -> bool:
    """True when the race has drafts or results."""
    return bool(
        await Draft.exists().where(Draft.race == race_id)
        or await ResultRevision.exists().where(ResultRevision.race == race_id)
    )


async def delete_race(race_id: int) -> None:
    """Delete a race."""
    await Race.delete().where(Race.id == race_id)


# The seed's writes.


async def entry_exists(season: int, driver_id: int) -> bool:
    """True when the driver is entered in the season."""
    return bool(
        await DriverEntry.exists().where(
            (DriverEntry.season == season) & (DriverEntry.driver == driver_id)
        )
    )


async def round_exists(season: int, round_: int) -> bool:
    """True when the season has a race of that round."""
    return bool(await Race.exists().where((Race.season == season) & (Race.round == round_)))


async def fill_sprint_qualifying(season: int, round_: int, at: datetime) -> None:
    """Set the round's sprint qualifying time when it has none yet."""
    await Race.update({Race.sprint_qualifying_at: at}).where(
        (Race.season == season) & (Race.round == round_) & Race.sprint_qualifying_at.is_null()
    )


async def race_exists(race_id: int) -> bool:
    """True when the race exists."""
    return bool(await Race.exists().where(Race.id == race_id))
