"""Cross-league leaderboards."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict


class LeaderboardRow(TypedDict):
    rank: int
    team_id: int
    team_name: str
    league_id: int
    league_name: str
    user_id: int
    mine: bool
    points: Annotated[
        float, Field(description="default-scoring points (the equivalent when adjusted)")
    ]
    races: int
    best_race_points: float
    scoring: Annotated[
        Literal["default", "default_equivalent"],
        Field(
            description="default_equivalent: the league scores otherwise; its points are "
            "recomputed under the default table and captain multiplier"
        ),
    ]
    league_points: Annotated[float, Field(description="points under the league's own scoring")]
