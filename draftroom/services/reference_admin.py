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

from draftroom.contracts.reference import ConstructorOut, DriverOut, RaceOut
from draftroom.db.engine import DB
from draftroom.db.queries import reference as queries
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
    if await queries.constructor_ref_taken(ref, exclude_id):
        raise Conflict(f"A constructor with ref {ref!r} already exists.")


async def create_constructor(
    ref: str, name: str, *, nationality: str = "", color: str = "#888888"
) -> ConstructorOut:
    """A new constructor; Conflict when ``ref`` is taken."""
    await _constructor_ref_free(ref)
    try:
        constructor_id = await queries.insert_constructor(
            ref=ref, name=name, nationality=nationality, color=color.upper()
        )
    except asyncpg.UniqueViolationError:
        raise Conflict(f"A constructor with ref {ref!r} already exists.") from None
    return await reference.get_constructor(constructor_id)


async def update_constructor(constructor_id: int, changes: Mapping[str, Any]) -> ConstructorOut:
    """Change some fields of a constructor."""
    await reference.get_constructor(constructor_id)
    values: dict[Any, Any] = {k: v for k, v in changes.items() if k in CONSTRUCTOR_FIELDS}
    if "ref" in values:
        await _constructor_ref_free(values["ref"], constructor_id)
    if "color" in values:
        values["color"] = values["color"].upper()
    if values:
        try:
            await queries.update_constructor(constructor_id, values)
        except asyncpg.UniqueViolationError:
            raise Conflict("A constructor with that ref already exists.") from None
    return await reference.get_constructor(constructor_id)


async def delete_constructor(constructor_id: int) -> None:
    """Delete a constructor (its drivers and entries keep no constructor)."""
    await reference.get_constructor(constructor_id)
    await queries.delete_constructor(constructor_id)


async def _check_constructor(constructor_id: int | None) -> None:
    if constructor_id is not None and not await queries.constructor_exists(constructor_id):
        raise _invalid("constructor_id", f"unknown constructor {constructor_id}")


# --- drivers -------------------------------------------------------------------------------


async def _driver_ref_free(ref: str, exclude_id: int | None = None) -> None:
    if await queries.driver_ref_taken(ref, exclude_id):
        raise Conflict(f"A driver with ref {ref!r} already exists.")


async def _upsert_entry(
    season: int, driver_id: int, constructor_id: int | None, active: bool
) -> None:
    await reference.ensure_season(season)
    existing = await queries.entry(season, driver_id)
    if existing is None:
        await queries.insert_entry(season, driver_id, constructor_id, active)
    else:
        await queries.update_entry(existing["id"], constructor_id, active)


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
) -> DriverOut:
    """A new driver, entered in ``season`` (default: the current season, if any)."""
    await _driver_ref_free(ref)
    await _check_constructor(constructor_id)
    year = await reference.season_or_current(season)
    async with DB.transaction():
        try:
            driver_id = await queries.insert_driver(
                ref=ref,
                code=code,
                number=number,
                given_name=given_name,
                family_name=family_name,
                nationality=nationality,
                constructor=constructor_id,
                active=active,
            )
        except asyncpg.UniqueViolationError:
            raise Conflict(f"A driver with ref {ref!r} already exists.") from None
        if year is not None:
            await _upsert_entry(year, driver_id, constructor_id, active)
    return await reference.get_driver(driver_id)


async def update_driver(
    driver_id: int, changes: Mapping[str, Any], *, season: int | None = None
) -> DriverOut:
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
                await queries.update_driver(driver_id, values)
            except asyncpg.UniqueViolationError:
                raise Conflict("A driver with that ref already exists.") from None
        if target is not None and touches_entry:
            entry = await queries.entry(target, driver_id)
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
        await queries.delete_driver(driver_id)
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
    if await queries.round_taken(season, round_, exclude_id):
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
) -> RaceOut:
    """A new race weekend; Conflict when the season already has that round."""
    _check_times(starts_at, qualifying_at, sprint_at, sprint_qualifying_at)
    await _round_free(season, round_)
    await reference.ensure_season(season)
    try:
        race_id = await queries.insert_race(
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
    except asyncpg.UniqueViolationError:
        raise Conflict(f"Season {season} already has a round {round_}.") from None
    return await reference.get_race(race_id)


async def update_race(race_id: int, changes: Mapping[str, Any]) -> RaceOut:
    """Change some fields of a race (times checked against each other)."""
    row = await queries.race(race_id)
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
            await queries.update_race(race_id, values)
        except asyncpg.UniqueViolationError:
            raise Conflict("That season already has that round.") from None
    return await reference.get_race(race_id)


async def delete_race(race_id: int) -> None:
    """Delete a race; Conflict when drafts or results exist (cancel it instead)."""
    await reference.get_race(race_id)
    if await queries.race_in_use(race_id):
        raise Conflict("The race has drafts or results; set its status to cancelled instead.")
    await queries.delete_race(race_id)
