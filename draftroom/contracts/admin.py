"""Admin answers: reference upkeep, Jolpica sync, results poll and check."""

from __future__ import annotations

from typing import Any, NotRequired

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


class CheckReport(TypedDict):
    """What one check (or ingestion) of a race's results did; without results published
    yet, only ``race_id``, ``changed`` (false), ``revision`` (null) and ``reason``."""

    race_id: int
    changed: bool
    revision: int | None
    first: NotRequired[bool]
    reason: str
    league_ids: NotRequired[list[int]]
    notified_user_ids: NotRequired[list[int]]
    status: NotRequired[str]


class PollFailure(TypedDict):
    race_id: int
    error: str


class PollReport(TypedDict):
    considered: list[int]
    ingested: list[CheckReport]
    waiting: list[int]
    failed: list[PollFailure]
