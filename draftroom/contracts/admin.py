"""Admin answers: reference upkeep, Jolpica sync, results poll and check."""

from __future__ import annotations

from typing import Any

from pydantic import RootModel
from typing_extensions import TypedDict

from draftroom.contracts.reference import ConstructorOut, DriverOut, RaceOut


class ReferenceRecord(RootModel[ConstructorOut | DriverOut | RaceOut]):
    """The patched record, as ``PATCH /admin/{kind}/{id}`` answers it."""


class SyncSummaryOut(TypedDict):
    season: int
    changed: bool
    constructors: dict[str, int]
    drivers: dict[str, int]
    entries: dict[str, int]
    races: dict[str, int]
    adopted_refs: list[dict[str, Any]]
    moved_races: list[dict[str, Any]]
    cancelled_races: list[dict[str, Any]]


class PollReport(TypedDict):
    considered: list[int]
    ingested: list[dict[str, Any]]
    waiting: list[int]
    failed: list[dict[str, Any]]


class CheckReport(TypedDict):
    race_id: int
    changed: bool
    revision: int | None
    first: bool
    reason: str
    league_ids: list[int]
    notified_user_ids: list[int]
    status: str
