"""Reference data: drivers, constructors, races and a race's entries."""

from __future__ import annotations

from typing import Literal, NotRequired

from typing_extensions import TypedDict

from draftroom.contracts.common import IsoTime

RaceStatus = Literal["scheduled", "awaiting_results", "provisional", "final", "cancelled"]


class DriverOut(TypedDict):
    id: int
    ref: str
    code: str | None
    number: int | None
    given_name: str
    family_name: str
    nationality: str
    constructor_id: int | None
    active: bool


class ConstructorOut(TypedDict):
    id: int
    ref: str
    name: str
    nationality: str
    color: str


class RaceOut(TypedDict):
    id: int
    season: int
    round: int
    name: str
    circuit: str
    country: str
    starts_at: IsoTime
    qualifying_at: IsoTime
    sprint_qualifying_at: IsoTime | None
    sprint_at: IsoTime | None
    locks_at: IsoTime | None
    status: RaceStatus


class EntryOut(TypedDict):
    driver_id: int
    constructor_id: int | None
    status: Literal["entered", "replaced", "withdrawn", "substitute"]
    replaces: NotRequired[int | None]
    replaced_by: NotRequired[int | None]
