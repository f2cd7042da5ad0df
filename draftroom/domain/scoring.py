"""Fantasy points: the scoring table, a driver's weekend points and a team's race score.

The rules are SPEC section 1 "Scoring". All arithmetic runs on :class:`~decimal.Decimal`
so that points are exact to one decimal; results are handed out as ``float`` values that
are exact one-decimal numbers (``37.5``, ``-9.0``).

Decisions beyond the SPEC's words:

- Every value of a table has at most one decimal, so a driver's weekend points are exact;
  only the captain multiplier can create more decimals, and team scores round each
  driver's multiplied points half away from zero to 0.1 (``31.25`` -> ``31.3``).
- Signs are checked: position tables, ``pole``, ``fastest_lap`` and ``position_gained`` are
  ``>= 0``; ``position_lost``, ``dnf`` and ``dsq`` are ``<= 0`` (a penalty written as ``5``
  is a mistake, not a bonus).
- Pole is scored from qualifying even when that driver then withdraws from the race (W).
- A disqualified driver scores nothing from the race but the ``dsq`` penalty (no
  fastest-lap point); a retired driver with the fastest lap gets it unless
  ``fastest_lap_top10_only`` is set.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, TypeVar

from draftroom.domain.classification import (
    DISQUALIFIED,
    EXCLUDED,
    NOT_CLASSIFIED,
    RETIRED,
    Classification,
)
from draftroom.errors import ValidationFailed

K = TypeVar("K", bound=Hashable)

TENTH = Decimal("0.1")
MAX_TABLE_LENGTH = 30  # positions that can score in one session
MAX_ABS_VALUE = 1000
FASTEST_LAP_TOP = 10
DNF_TEXTS = frozenset({RETIRED, NOT_CLASSIFIED})
DSQ_TEXTS = frozenset({DISQUALIFIED, EXCLUDED})
MIN_CAPTAIN_MULTIPLIER = 1.0
MAX_CAPTAIN_MULTIPLIER = 3.0

_LISTS = ("race", "sprint")
_BONUSES = ("pole", "fastest_lap", "position_gained")  # must be >= 0
_PENALTIES = ("position_lost", "dnf", "dsq")  # must be <= 0
_FLAGS = ("fastest_lap_top10_only",)


def round_points(value: Decimal | float | int) -> Decimal:
    """Round points half away from zero to one decimal (exact on decimal input)."""
    return Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _f(value: Decimal) -> float:
    return float(round_points(value))


@dataclass(frozen=True)
class ScoringTable:
    """The scoring table; ``ScoringTable()`` is the SPEC's default table."""

    race: tuple[float, ...] = (25, 18, 15, 12, 10, 8, 6, 4, 2, 1)
    sprint: tuple[float, ...] = (8, 7, 6, 5, 4, 3, 2, 1)
    pole: float = 1
    fastest_lap: float = 1
    fastest_lap_top10_only: bool = False
    position_gained: float = 1
    position_lost: float = -1
    dnf: float = -5
    dsq: float = -10

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """Every key of the table, in SPEC order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def with_overrides(
        cls, overrides: Mapping[str, Any] | None, *, base: ScoringTable | None = None
    ) -> ScoringTable:
        """The default table (or ``base``) with a league's overrides applied.

        Raises :class:`ValidationFailed` listing every problem as
        ``details = [{"field": "scoring.<key>", "message": ...}]``.
        """
        table = base if base is not None else cls()
        if overrides is None:
            return table
        if not isinstance(overrides, Mapping):
            raise ValidationFailed(
                "Scoring overrides must be an object.",
                details=[{"field": "scoring", "message": "must be an object"}],
            )
        errors: list[dict[str, str]] = []
        values: dict[str, Any] = {}
        for key, raw in overrides.items():
            value = _validate_key(key, raw, errors)
            if value is not None:
                values[str(key)] = value
        if errors:
            raise ValidationFailed("Invalid scoring overrides.", details=errors)
        return table.__class__(**{**table.to_dict(), **values})

    def to_dict(self) -> dict[str, Any]:
        """The full table as JSON-ready values (lists for position tables)."""
        out: dict[str, Any] = {}
        for key in self.keys():
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def __post_init__(self) -> None:
        # Normalise lists to tuples so that tables built by hand stay hashable.
        for key in _LISTS:
            object.__setattr__(self, key, tuple(getattr(self, key)))


def _number_problem(raw: Any, *, sign: int) -> str | None:
    """Why ``raw`` is not an acceptable table number (``sign`` 1: >= 0, -1: <= 0)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return "must be a number"
    if not math.isfinite(raw):
        return "must be a finite number"
    if abs(raw) > MAX_ABS_VALUE:
        return f"must be between -{MAX_ABS_VALUE} and {MAX_ABS_VALUE}"
    if sign > 0 and raw < 0:
        return "must not be negative"
    if sign < 0 and raw > 0:
        return "must not be positive (it is a penalty)"
    if Decimal(str(raw)) != round_points(raw):
        return "must have at most one decimal"
    return None


def _validate_key(key: Any, raw: Any, errors: list[dict[str, str]]) -> Any:
    """Validate one override; append problems to ``errors``; return the clean value."""
    name = f"scoring.{key}"
    if key in _FLAGS:
        if not isinstance(raw, bool):
            errors.append({"field": name, "message": "must be true or false"})
            return None
        return raw
    if key in _LISTS:
        if isinstance(raw, str | bytes) or not isinstance(raw, list | tuple):
            errors.append({"field": name, "message": "must be a list of numbers"})
            return None
        if len(raw) > MAX_TABLE_LENGTH:
            errors.append(
                {"field": name, "message": f"must have at most {MAX_TABLE_LENGTH} entries"}
            )
            return None
        before = len(errors)
        for i, item in enumerate(raw):
            problem = _number_problem(item, sign=1)
            if problem:
                errors.append({"field": f"{name}[{i}]", "message": problem})
        return tuple(raw) if len(errors) == before else None
    if key in _BONUSES or key in _PENALTIES:
        problem = _number_problem(raw, sign=1 if key in _BONUSES else -1)
        if problem:
            errors.append({"field": name, "message": problem})
            return None
        return raw
    errors.append({"field": name, "message": "unknown scoring key"})
    return None


@dataclass(frozen=True)
class DriverPoints:
    """One driver's fantasy points for a race weekend, with their breakdown."""

    driver_ref: str
    total: float
    race: float = 0.0  # race position points
    sprint: float = 0.0
    pole: float = 0.0
    fastest_lap: float = 0.0
    position_gained: float = 0.0
    position_lost: float = 0.0
    dnf: float = 0.0
    dsq: float = 0.0
    places: int = 0  # grid minus finish (classified finishers), positive = gained

    @property
    def breakdown(self) -> dict[str, float]:
        """Points per scoring-table key (zeros included)."""
        return {
            "race": self.race,
            "sprint": self.sprint,
            "pole": self.pole,
            "fastest_lap": self.fastest_lap,
            "position_gained": self.position_gained,
            "position_lost": self.position_lost,
            "dnf": self.dnf,
            "dsq": self.dsq,
        }


def _position_points(table: tuple[float, ...], position: int) -> Decimal:
    if 1 <= position <= len(table):
        return Decimal(str(table[position - 1]))
    return Decimal(0)


def driver_weekend_points(
    classification: Classification, table: ScoringTable | None = None
) -> dict[str, DriverPoints]:
    """Every driver's weekend points (race, sprint, qualifying rows), keyed by driver_ref."""
    table = table or ScoringTable()
    parts: dict[str, dict[str, Decimal]] = {}
    places: dict[str, int] = {}

    def add(ref: str, key: str, value: Decimal) -> None:
        slot = parts.setdefault(ref, {})
        slot[key] = slot.get(key, Decimal(0)) + value

    for qrow in classification.qualifying:
        add(qrow.driver_ref, "pole", Decimal(0))
        if qrow.position == 1:
            add(qrow.driver_ref, "pole", Decimal(str(table.pole)))

    for srow in classification.sprint:
        points = _position_points(table.sprint, srow.position) if srow.classified else 0
        add(srow.driver_ref, "sprint", Decimal(points))

    grid_size = len(classification.race)
    for row in classification.race:
        ref = row.driver_ref
        add(ref, "race", Decimal(0))
        if row.position_text in DSQ_TEXTS:
            add(ref, "dsq", Decimal(str(table.dsq)))
            continue
        if row.position_text in DNF_TEXTS:
            add(ref, "dnf", Decimal(str(table.dnf)))
        if row.classified:
            add(ref, "race", _position_points(table.race, row.position))
            grid = row.grid if row.grid > 0 else grid_size
            delta = grid - row.position
            places[ref] = delta
            if delta > 0:
                add(ref, "position_gained", delta * Decimal(str(table.position_gained)))
            elif delta < 0:
                add(ref, "position_lost", -delta * Decimal(str(table.position_lost)))
        if row.fastest_lap_rank == 1 and (
            not table.fastest_lap_top10_only or (row.classified and row.position <= FASTEST_LAP_TOP)
        ):
            add(ref, "fastest_lap", Decimal(str(table.fastest_lap)))

    result: dict[str, DriverPoints] = {}
    for ref, slot in parts.items():
        comp = {key: _f(value) for key, value in slot.items()}
        result[ref] = DriverPoints(
            driver_ref=ref,
            total=_f(sum(slot.values(), Decimal(0))),
            places=places.get(ref, 0),
            **comp,
        )
    return result


@dataclass(frozen=True)
class TeamDriverScore(Generic[K]):
    """One drafted driver's contribution to a team's race score."""

    driver: K
    fantasy_points: float  # weekend points before the multiplier
    captain: bool
    points: float  # after the captain multiplier, rounded to 0.1


@dataclass(frozen=True)
class TeamScore(Generic[K]):
    """A team's race score: the sum of its drivers' points after the multiplier."""

    total: float
    drivers: tuple[TeamDriverScore[K], ...]


def team_race_score(
    driver_points: Mapping[K, DriverPoints | float | Decimal],
    drafted: Iterable[K],
    captain: K | None,
    captain_multiplier: float = 1.5,
) -> TeamScore[K]:
    """A team's race score from its drafted drivers (refs or ids) and its captain.

    A drafted driver missing from ``driver_points`` scores 0. ``captain`` must be one of
    ``drafted`` (or None for no captain). Each driver's points are rounded to 0.1 after
    the multiplier and the total is their sum, so the parts always add up.
    """
    drafted = list(drafted)
    if len(set(drafted)) != len(drafted):
        raise ValidationFailed("A driver is drafted twice.", details={"drafted": drafted})
    if captain is not None and captain not in drafted:
        raise ValidationFailed("The captain must be one of the team's drivers.")
    if isinstance(captain_multiplier, bool) or not (
        MIN_CAPTAIN_MULTIPLIER <= captain_multiplier <= MAX_CAPTAIN_MULTIPLIER
    ):
        raise ValidationFailed(
            f"captain_multiplier must be between {MIN_CAPTAIN_MULTIPLIER} "
            f"and {MAX_CAPTAIN_MULTIPLIER}."
        )
    multiplier = Decimal(str(captain_multiplier))
    rows: list[TeamDriverScore[K]] = []
    total = Decimal(0)
    for key in drafted:
        raw = driver_points.get(key, 0)
        base = round_points(raw.total if isinstance(raw, DriverPoints) else raw)
        is_captain = key == captain
        points = round_points(base * multiplier) if is_captain else base
        total += points
        rows.append(TeamDriverScore(key, float(base), is_captain, float(points)))
    return TeamScore(total=_f(total), drivers=tuple(rows))
