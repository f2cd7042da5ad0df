"""The canonical form of a race weekend's official classification.

The Jolpica parser produces these values; scoring and the revision diff consume them.
They are frozen and hashable so that two fetches can be compared for equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Jolpica positionText values for rows that are not classified finishers.
RETIRED = "R"  # retired / not classified (counts as DNF)
NOT_CLASSIFIED = "N"  # not classified (counts as DNF; jolpica itself never emits it)
DISQUALIFIED = "D"
EXCLUDED = "E"  # excluded (treated as disqualified)
WITHDRAWN = "W"  # did not start: no points and no penalty
FAILED_TO_QUALIFY = "F"


@dataclass(frozen=True)
class ResultRow:
    """One driver's row in a race or sprint classification."""

    driver_ref: str
    position: int  # finishing order as published (1..N), also for unclassified rows
    position_text: str  # "1".."N", or R/N/D/E/W/F
    grid: int  # 0 = pit-lane start
    status: str
    points: float  # official championship points of this row
    laps: int = 0
    fastest_lap_rank: int | None = None
    constructor_ref: str | None = None
    number: int | None = None

    @property
    def classified(self) -> bool:
        """True when the driver is a classified finisher."""
        return self.position_text.isdigit()


@dataclass(frozen=True)
class QualifyingRow:
    """One driver's row in the qualifying classification."""

    driver_ref: str
    position: int
    constructor_ref: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class Classification:
    """The full weekend classification of one race: race, sprint and qualifying."""

    season: int
    round: int
    race: tuple[ResultRow, ...] = ()
    sprint: tuple[ResultRow, ...] = ()
    qualifying: tuple[QualifyingRow, ...] = ()
    driver_names: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """(driver_ref, "Given Family") pairs, for human-readable diffs; not compared."""

    @property
    def has_results(self) -> bool:
        """True once the race classification has been published."""
        return bool(self.race)
