"""League standings, a race's team scores and a team's history."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict


class StandingOut(TypedDict):
    rank: int
    team_id: int
    team_name: str
    user_id: int
    points: float
    races: int
    wins: int
    last_race_points: float


class ScoredDriver(TypedDict):
    driver_id: int
    fantasy_points: float | None
    captain: bool
    points: float | None
    substitute_id: NotRequired[int]


class TeamRaceScoreOut(TypedDict):
    team_id: int
    team_name: str
    points: float
    captain_driver_id: int | None
    revision: int
    drivers: list[ScoredDriver]


class HistoryEntry(TypedDict):
    race_id: int
    round: int
    race_name: str
    race_status: str
    revision: int | None
    points: float | None
    captain_driver_id: int | None
    drivers: list[ScoredDriver]
