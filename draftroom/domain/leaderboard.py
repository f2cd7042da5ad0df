"""Leaderboards across leagues: every team ranked by default-scoring points (pure).

A league whose scoring differs from the defaults (a scoring override, or a captain
multiplier other than the default) is ranked by its teams' *default-scoring equivalent*:
each race score is recomputed from the drafted drivers' default weekend points with the
default captain multiplier. Ranks are distinct: points, then the best single race score,
then the lower team id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from draftroom.domain.league_settings import LeagueSettings
from draftroom.domain.scoring import round_points, team_race_score

DEFAULT_CAPTAIN_MULTIPLIER = LeagueSettings().captain_multiplier


@dataclass(frozen=True)
class RaceScore:
    """One team's stored score of one race (latest revision)."""

    team_id: int
    race_id: int
    points: Decimal
    """Under the league's own scoring."""
    drivers: tuple[int, ...]
    captain: int | None


@dataclass(frozen=True)
class Entry:
    """A team's line of a leaderboard (before ranking)."""

    team_id: int
    points: float
    """Default-scoring points (the equivalent, for adjusted leagues)."""
    league_points: float
    """Points under the league's own scoring."""
    races: int
    best: float
    adjusted: bool


def default_equivalent(score: RaceScore, default_points: Mapping[int, Decimal]) -> Decimal:
    """The race score the team would have under the default scoring and multiplier."""
    drivers = list(dict.fromkeys(score.drivers))
    captain = score.captain if score.captain in drivers else None
    return Decimal(
        str(team_race_score(default_points, drivers, captain, DEFAULT_CAPTAIN_MULTIPLIER).total)
    )


def season_entries(
    scores: Iterable[RaceScore],
    adjusted_teams: set[int],
    default_points: Mapping[int, Mapping[int, Decimal]],
) -> list[Entry]:
    """Each team's season totals; ``default_points[race_id][driver_id]`` are the default
    weekend points used for the teams of ``adjusted_teams``."""
    totals: dict[int, list[Decimal]] = {}
    league_totals: dict[int, Decimal] = {}
    for score in scores:
        adjusted = score.team_id in adjusted_teams
        points = (
            default_equivalent(score, default_points.get(score.race_id, {}))
            if adjusted
            else score.points
        )
        totals.setdefault(score.team_id, []).append(round_points(points))
        league_totals[score.team_id] = league_totals.get(score.team_id, Decimal(0)) + score.points
    return [
        Entry(
            team_id=team_id,
            points=float(sum(races, Decimal(0))),
            league_points=float(league_totals[team_id]),
            races=len(races),
            best=float(max(races)),
            adjusted=team_id in adjusted_teams,
        )
        for team_id, races in totals.items()
    ]


def ranked(entries: Sequence[Entry]) -> list[Entry]:
    """Best first: points, then best race, then the lower team id."""
    return sorted(entries, key=lambda e: (-e.points, -e.best, e.team_id))
