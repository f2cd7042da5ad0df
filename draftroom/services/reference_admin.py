"""F1 reference data, admin side: create, update and delete constructors, drivers, races.

Inputs arrive already shape-checked by the HTTP layer; this module checks what needs the
database: duplicates (Conflict, 409), unknown ids (NotFound, 404), references to unknown
rows and inconsistent times (ValidationFailed, 422), and rows still in use (Conflict).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from draftroom.db.engine import DB
from draftroom.db.tables import Constructor, Draft, Driver, DriverEntry, Race, ResultRevision
from draftroom.errors import Conflict, NotFound, ValidationFailed
from draftroom.services import reference

DRIVER_FIELDS = ("ref", "code", "number", "given_name", "family_name", "nationality")
CONSTRUCTOR_FIELDS = ("ref", "name", "nationality", "color")
RACE_FIELDS = (
    "season",
    "round",
    "name",
    "circuit",
    "country",
    "starts_at",
    "qualifying_at",
    "sprint_qualifying_at",
    "sprint_at",
    "status",
)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", details=[{"field": field, "message": message}])


# --- constructors --------------------------------------------------------------------------


async def _constructor_ref_free(ref: str, exclude_id: int | None = None) -> None:
    query = Constructor.exists().where(Constructor.ref == ref)
    if exclude_id is not None:
        query = query.where(Constructor.id != exclude_id)
    if await query:
        raise Conflict(f"A constructor with ref {ref!r} already exists.")


async def create_constructor(
    ref: str, name: str, *, nationality: str = "", color: str = "#888888"
) -> dict[str, Any]:
    """A new constructor; Conflict when ``ref`` is taken."""
    await _constructor_ref_free(ref)
    try:
        rows = await Constructor.insert(
            Constructor(ref=ref, name=name, nationality=nationality, color=color.upper())
        ).returning(Constructor.id)
    except asyncpg.UniqueViolationError:
        raise Conflict(f"A constructor with ref {ref!r} already exists.") from None
    return await reference.get_constructor(int(rows[0]["id"]))


async def update_constructor(constructor_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change some fields of a constructor."""
    await reference.get_constructor(constructor_id)
    values: dict[Any, Any] = {k: v for k, v in changes.items() if k in CONSTRUCTOR_FIELDS}
    if "ref" in values:
        await _constructor_ref_free(values["ref"], constructor_id)
    if "color" in values:
        values["color"] = values["color"].upper()
    if values:
        try:
            await Constructor.update(values).where(Constructor.id == constructor_id)
        except asyncpg.UniqueViolationError:
            raise Conflict("A constructor with that ref already exists.") from None
    return await reference.get_constructor(constructor_id)


async def delete_constructor(constructor_id: int) -> None:
    """Delete a constructor (its drivers and entries keep no constructor)."""
    await reference.get_constructor(constructor_id)
    await Constructor.delete().where(Constructor.id == constructor_id)


async def _check_constructor(constructor_id: int | None) -> None:
    if constructor_id is not None and not await Constructor.exists().where(
        Constructor.id == constructor_id
    ):
        raise _invalid("constructor_id", f"unknown constructor {constructor_id}")


# --- drivers -------------------------------------------------------------------------------


async def _driver_ref_free(ref: str, exclude_id: int | None = None) -> None:
    query = Driver.exists().where(Driver.ref == ref)
    if exclude_id is not None:
        query = query.where(Driver.id != exclude_id)
    if await query:
        raise Conflict(f"A driver with ref {ref!r} already exists.")


async def _upsert_entry(
    season: int, driver_id: int, constructor_id: int | None, active: bool
) -> None:
    await reference.ensure_season(season)
    existing = (
        await DriverEntry.select(DriverEntry.id)
        .where((DriverEntry.season == season) & (DriverEntry.driver == driver_id))
        .first()
    )
    if existing is None:
        await DriverEntry.insert(
            DriverEntry(season=season, driver=driver_id, constructor=constructor_id, active=active)
        )
    else:
        await DriverEntry.update(
            {DriverEntry.constructor: constructor_id, DriverEntry.active: active}
        ).where(DriverEntry.id == existing["id"])


async def create_driver(
    ref: str,
    given_name: str,
    family_name: str,
    *,
    code: str | None = None,
    number: int | None = None,
    nationality: str = "",
    constructor_id: int | None = None,
    active: bool = True,
    season: int | None = None,
) -> dict[str, Any]:
    """A new driver, entered in ``season`` (default: the current season, if any)."""
    await _driver_ref_free(ref)
    await _check_constructor(constructor_id)
    year = await reference.season_or_current(season)
    async with DB.transaction():
        try:
            rows = await Driver.insert(
                Driver(
                    ref=ref,
                    code=code,
                    number=number,
                    given_name=given_name,
                    family_name=family_name,
                    nationality=nationality,
                    constructor=constructor_id,
                    active=active,
                )
            ).returning(Driver.id)
        except asyncpg.UniqueViolationError:
            raise Conflict(f"A driver with ref {ref!r} already exists.") from None
        driver_id = int(rows[0]["id"])
        if year is not None:
            await _upsert_entry(year, driver_id, constructor_id, active)
    return await reference.get_driver(driver_id)


async def update_driver(
    driver_id: int, changes: Mapping[str, Any], *, season: int | None = None
) -> dict[str, Any]:
    """Change some fields of a driver.

    ``constructor_id`` and ``active`` are the driver's team and status in ``season``
    (default: the current season): they update that season's entry (created when missing,
    as when ``season`` alone is sent) and, for the current season, the driver row too.
    """
    before = await reference.get_driver(driver_id)
    values: dict[Any, Any] = {k: v for k, v in changes.items() if k in DRIVER_FIELDS}
    if "ref" in values:
        await _driver_ref_free(values["ref"], driver_id)
    if "constructor_id" in changes:
        await _check_constructor(changes["constructor_id"])
    current = await reference.current_season()
    target = season if season is not None else current
    if target is None or current is None or target >= current:
        if "constructor_id" in changes:
            values["constructor"] = changes["constructor_id"]
        if "active" in changes:
            values["active"] = changes["active"]
    touches_entry = season is not None or "constructor_id" in changes or "active" in changes
    async with DB.transaction():
        if values:
            try:
                await Driver.update(values).where(Driver.id == driver_id)
            except asyncpg.UniqueViolationError:
                raise Conflict("A driver with that ref already exists.") from None
        if target is not None and touches_entry:
            entry = (
                await DriverEntry.select()
                .where((DriverEntry.season == target) & (DriverEntry.driver == driver_id))
                .first()
            )
            base = entry or {"constructor": before["constructor_id"], "active": before["active"]}
            await _upsert_entry(
                target,
                driver_id,
                changes.get("constructor_id", base["constructor"]),
                bool(changes.get("active", base["active"])),
            )
    return await reference.get_driver(driver_id)


async def delete_driver(driver_id: int) -> None:
    """Delete a driver; Conflict while picks or scores refer to them."""
    await reference.get_driver(driver_id)
    try:
        await Driver.delete().where(Driver.id == driver_id)
    except asyncpg.ForeignKeyViolationError:
        raise Conflict("The driver has picks or scores; mark them inactive instead.") from None


# --- races ---------------------------------------------------------------------------------


def _check_times(
    starts_at: datetime,
    qualifying_at: datetime,
    sprint_at: datetime | None,
    sprint_qualifying_at: datetime | None = None,
) -> None:
    if qualifying_at > starts_at:
        raise _invalid("qualifying_at", "must not be after starts_at")
    if sprint_at is not None and sprint_at > starts_at:
        raise _invalid("sprint_at", "must not be after starts_at")
    if sprint_qualifying_at is not None:
        if sprint_qualifying_at > starts_at:
            raise _invalid("sprint_qualifying_at", "must not be after starts_at")
        if sprint_at is not None and sprint_qualifying_at > sprint_at:
            raise _invalid("sprint_qualifying_at", "must not be after sprint_at")


async def _round_free(season: int, round_: int, exclude_id: int | None = None) -> None:
    query = Race.exists().where((Race.season == season) & (Race.round == round_))
    if exclude_id is not None:
        query = query.where(Race.id != exclude_id)
    if await query:
        raise Conflict(f"Season {season} already has a round {round_}.")


async def create_race(
    season: int,
    round_: int,
    name: str,
    *,
    circuit: str,
    country: str,
    starts_at: datetime,
    qualifying_at: datetime,
    sprint_at: datetime | None = None,
    sprint_qualifying_at: datetime | None = None,
) -> dict[str, Any]:
    """A new race weekend; Conflict when the season already has that round."""
    _check_times(starts_at, qualifying_at, sprint_at, sprint_qualifying_at)
    await _round_free(season, round_)
    await reference.ensure_season(season)
    try:
        rows = await Race.insert(
            Race(
                season=season,
                round=round_,
                name=name,
                circuit=circuit,
                country=country,
                starts_at=starts_at,
                qualifying_at=qualifying_at,
                sprint_at=sprint_at,
                sprint_qualifying_at=sprint_qualifying_at,
            )
        ).returning(Race.id)
    except asyncpg.UniqueViolationError:
        raise Conflict(f"Season {season} already has a round {round_}.") from None
    return await reference.get_race(int(rows[0]["id"]))


async def update_race(race_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change some fields of a race (times checked against each other)."""
    row = await Race.select().where(Race.id == race_id).first()
    if row is None:
        raise NotFound(f"Race {race_id} not found.")
    values: dict[Any, Any] = {k: v for k, v in changes.items() if k in RACE_FIELDS}
    merged = {**row, **values}
    _check_times(
        merged["starts_at"],
        merged["qualifying_at"],
        merged["sprint_at"],
        merged["sprint_qualifying_at"],
    )
    if "season" in values or "round" in values:
        await _round_free(merged["season"], merged["round"], race_id)
        await reference.ensure_season(merged["season"])
    if values:
        try:
            await Race.update(values).where(Race.id == race_id)
        except asyncpg.UniqueViolationError:
            raise Conflict("That season already has that round.") from None
    return await reference.get_race(race_id)


async def delete_race(race_id: int) -> None:
    """Delete a race; Conflict when drafts or results exist (cancel it instead)."""
    await reference.get_race(race_id)
    if await Draft.exists().where(Draft.race == race_id) or await ResultRevision.exists().where(
        ResultRevision.race == race_id
    ):
        raise Conflict("The race has drafts or results; set its status to cancelled instead.")
    await Race.delete().where(Race.id == race_id)
