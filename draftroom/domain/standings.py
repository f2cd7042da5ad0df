"""League standings from per-race team scores (SPEC section 1, last paragraph of "Scoring").

Teams are ordered by season points, then more race wins, then the best single race score,
then earlier join, so every team gets a distinct rank 1..n.

A team *wins* a race when no team scored more in that race: when several teams share the
best score of a race, each of them is credited with a win (a shared win counts as a full
win, like a dead heat). A team without a score in a race (it joined later, or the race is
not scored for it) neither wins nor plays that race; a team without any race has no best
score and sorts below every team that has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from draftroom.domain.classification import Classification
from draftroom.domain.scoring import ScoringTable, driver_weekend_points, round_points
from draftroom.errors import ValidationFailed


@dataclass(frozen=True)
class StandingRow:
    """One team's line of the league table."""

    rank: int
    team_id: int
    points: float
    races: int  # races with a score for this team
    wins: int
    last_race_points: float  # the team's score in the league's latest race (0 if none)
    best_race_points: float | None  # None when the team has no race yet


def _d(value: float | Decimal | int) -> Decimal:
    return round_points(value)  # race scores are one-decimal values


def race_winners(scores: Mapping[int, float]) -> frozenset[int]:
    """The teams with the best score of one race (several on a tie; none if empty)."""
    if not scores:
        return frozenset()
    best = max(_d(p) for p in scores.values())
    return frozenset(team for team, p in scores.items() if _d(p) == best)


def league_standings(
    race_scores: Sequence[Mapping[int, float]],
    teams_in_join_order: Sequence[int],
) -> list[StandingRow]:
    """The league table.

    ``race_scores`` holds one ``{team_id: race score}`` mapping per scored race, in race
    order (the last one is the latest race). ``teams_in_join_order`` lists every team of
    the league, earliest join first; scores of teams not in it are ignored (they do not
    take wins away from the others either).
    """
    if len(set(teams_in_join_order)) != len(teams_in_join_order):
        raise ValidationFailed("A team is listed twice in the join order.")
    members = set(teams_in_join_order)
    totals = {team: Decimal(0) for team in teams_in_join_order}
    races = dict.fromkeys(teams_in_join_order, 0)
    wins = dict.fromkeys(teams_in_join_order, 0)
    best: dict[int, Decimal] = {}
    for race in race_scores:
        scores = {team: p for team, p in race.items() if team in members}
        for team, points in scores.items():
            value = _d(points)
            totals[team] += value
            races[team] += 1
            if team not in best or value > best[team]:
                best[team] = value
        for team in race_winners(scores):
            wins[team] += 1
    latest = race_scores[-1] if race_scores else {}
    join_index = {team: i for i, team in enumerate(teams_in_join_order)}

    def sort_key(team: int) -> tuple[Decimal, int, int, Decimal, int]:
        has_best = team in best
        return (
            -totals[team],
            -wins[team],
            0 if has_best else 1,
            -best.get(team, Decimal(0)),
            join_index[team],
        )

    ordered = sorted(teams_in_join_order, key=sort_key)
    return [
        StandingRow(
            rank=i,
            team_id=team,
            points=float(round_points(totals[team])),
            races=races[team],
            wins=wins[team],
            last_race_points=float(_d(latest.get(team, 0))),
            best_race_points=float(best[team]) if team in best else None,
        )
        for i, team in enumerate(ordered, start=1)
    ]


def driver_season_points(
    weekends: Iterable[Classification], table: ScoringTable | None = None
) -> dict[str, float]:
    """Each driver's fantasy points summed over the given weekends, keyed by driver_ref."""
    totals: dict[str, Decimal] = {}
    for weekend in weekends:
        for ref, points in driver_weekend_points(weekend, table).items():
            totals[ref] = totals.get(ref, Decimal(0)) + _d(points.total)
    return {ref: float(total) for ref, total in totals.items()}
