"""Season statistics of each driver for drafting, from the weekends with results (pure).

Per driver, over the season's weekends in round order (each weekend's latest revision):

- ``races``: races started (a race row whose ``positionText`` is not ``W`` withdrawn / did
  not start, nor ``F`` failed to qualify);
- ``avg_finish``: mean finishing position of his classified finishes (None without one);
- ``podiums``: classified P1-P3; ``dnfs``: ``R`` or ``N``; ``dsqs``: ``D`` or ``E``;
- ``poles``: P1 of the weekend's qualifying;
- ``weekends``: weekends with a fantasy score for him (he is in the race, sprint or
  qualifying classification); ``fantasy_points``: their sum; ``avg_fantasy_points``: the sum
  over ``weekends`` (None without one);
- ``form``: his fantasy points of his last :data:`FORM_RACES` weekends, oldest first (the
  most recent last), with their race ids in ``form_race_ids``; ``form_points``: their sum.

Fantasy points are the default scoring's (what ``driver_score`` stores). Averages are
rounded to two decimals, sums to one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from draftroom.domain.classification import (
    DISQUALIFIED,
    EXCLUDED,
    FAILED_TO_QUALIFY,
    NOT_CLASSIFIED,
    RETIRED,
    WITHDRAWN,
    Classification,
)

FORM_RACES = 3
NOT_STARTED = frozenset({WITHDRAWN, FAILED_TO_QUALIFY})
DID_NOT_FINISH = frozenset({RETIRED, NOT_CLASSIFIED})
DISQUALIFICATIONS = frozenset({DISQUALIFIED, EXCLUDED})


@dataclass(frozen=True)
class Weekend:
    """One race weekend's latest classification and its drivers' fantasy points."""

    race_id: int
    round: int
    classification: Classification
    points: Mapping[str, float]
    """Weekend fantasy points by driver ref (default scoring)."""


@dataclass(frozen=True)
class DriverStats:
    """One driver's season statistics (see the module doc)."""

    races: int = 0
    avg_finish: float | None = None
    podiums: int = 0
    dnfs: int = 0
    dsqs: int = 0
    poles: int = 0
    weekends: int = 0
    fantasy_points: float = 0.0
    avg_fantasy_points: float | None = None
    form: tuple[float, ...] = ()
    form_race_ids: tuple[int, ...] = ()
    form_points: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "races": self.races,
            "avg_finish": self.avg_finish,
            "podiums": self.podiums,
            "dnfs": self.dnfs,
            "dsqs": self.dsqs,
            "poles": self.poles,
            "weekends": self.weekends,
            "fantasy_points": self.fantasy_points,
            "avg_fantasy_points": self.avg_fantasy_points,
            "form": list(self.form),
            "form_race_ids": list(self.form_race_ids),
            "form_points": self.form_points,
        }


@dataclass
class _Tally:
    races: int = 0
    finishes: list[int] = field(default_factory=list)
    podiums: int = 0
    dnfs: int = 0
    dsqs: int = 0
    poles: int = 0
    scored: list[tuple[int, Decimal]] = field(default_factory=list)  # (race_id, points)


def _round(value: Decimal, places: str) -> float:
    return float(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _mean(values: Sequence[Decimal]) -> float | None:
    return _round(sum(values, Decimal(0)) / len(values), "0.01") if values else None


def _stats(tally: _Tally) -> DriverStats:
    points = [p for _, p in tally.scored]
    recent = tally.scored[-FORM_RACES:]
    return DriverStats(
        races=tally.races,
        avg_finish=_mean([Decimal(p) for p in tally.finishes]),
        podiums=tally.podiums,
        dnfs=tally.dnfs,
        dsqs=tally.dsqs,
        poles=tally.poles,
        weekends=len(points),
        fantasy_points=_round(sum(points, Decimal(0)), "0.1"),
        avg_fantasy_points=_mean(points),
        form=tuple(float(p) for _, p in recent),
        form_race_ids=tuple(race_id for race_id, _ in recent),
        form_points=_round(sum((p for _, p in recent), Decimal(0)), "0.1"),
    )


def season_stats(weekends: Sequence[Weekend]) -> dict[str, DriverStats]:
    """Every driver's statistics (by ref) over ``weekends`` (any order: sorted by round)."""
    tallies: dict[str, _Tally] = {}
    for weekend in sorted(weekends, key=lambda w: (w.round, w.race_id)):
        c = weekend.classification
        for row in c.race:
            tally = tallies.setdefault(row.driver_ref, _Tally())
            text = row.position_text
            if text not in NOT_STARTED:
                tally.races += 1
            if row.classified:
                tally.finishes.append(row.position)
                tally.podiums += row.position <= 3
            tally.dnfs += text in DID_NOT_FINISH
            tally.dsqs += text in DISQUALIFICATIONS
        for quali in c.qualifying:
            if quali.position == 1:
                tallies.setdefault(quali.driver_ref, _Tally()).poles += 1
        for ref, points in sorted(weekend.points.items()):
            tallies.setdefault(ref, _Tally()).scored.append((weekend.race_id, Decimal(str(points))))
    return {ref: _stats(tally) for ref, tally in tallies.items()}
