"""Race results, driver rankings and driver stats."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from typing_extensions import TypedDict


class SessionResult(TypedDict):
    position: int
    position_text: str
    grid: int
    status: str
    points: float


class QualifyingResult(TypedDict):
    position: int


class DriverResult(TypedDict):
    driver_id: int
    driver_ref: str
    code: str | None
    name: str
    race: SessionResult | None
    sprint: SessionResult | None
    qualifying: QualifyingResult | None
    fastest_lap: bool
    fantasy_points: Annotated[float, Field(description="weekend points, default scoring")]
    breakdown: dict[str, float]


class RaceResults(TypedDict):
    race_id: int
    revision: Annotated[int | None, Field(description="latest revision; null until results arrive")]
    status: str
    reason: Annotated[str | None, Field(description="what changed in this revision")]
    fetched_at: str | None
    results: list[DriverResult]


class DriverRankingOut(TypedDict):
    driver_id: int
    driver_ref: str
    code: str | None
    name: str
    fantasy_points: float
    races: int
    championship_points: float
    championship_position: int | None


class DriverStatsOut(TypedDict):
    driver_id: int
    driver_ref: str
    code: str | None
    name: str
    season: int
    races: Annotated[int, Field(description="races started (not W/F)")]
    avg_finish: Annotated[float | None, Field(description="mean classified finish")]
    podiums: int
    dnfs: int
    dsqs: int
    poles: int
    weekends: Annotated[int, Field(description="weekends with a fantasy score")]
    fantasy_points: Annotated[float, Field(description="season total, default scoring")]
    avg_fantasy_points: Annotated[float | None, Field(description="fantasy_points / weekends")]
    form: Annotated[
        list[float], Field(description="fantasy points of his last 3 weekends, most recent last")
    ]
    form_race_ids: Annotated[list[int], Field(description="the races of `form`, same order")]
    form_points: Annotated[float, Field(description="sum of `form`")]
