"""Typed values parsed from Jolpica (Ergast-compatible) payloads.

These are what the rest of draftroom consumes (seasons sync, results ingestion); they hold
Jolpica's own identifiers (``driverId`` as ``ref``, ``constructorId``, ``circuitId``) and
Python types (ints, floats, aware UTC datetimes) instead of the API's strings. Race
classifications are :class:`draftroom.domain.classification.Classification`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from draftroom.domain.classification import Classification


@dataclass(frozen=True)
class DriverInfo:
    """A driver as Jolpica describes it (``Driver`` object)."""

    ref: str
    """Jolpica ``driverId``, e.g. ``"max_verstappen"``: our stable key for the driver."""
    given_name: str
    family_name: str
    code: str | None = None
    """Three-letter code, e.g. ``"VER"`` (optional in the API)."""
    number: int | None = None
    """Permanent car number (optional in the API)."""
    nationality: str | None = None
    date_of_birth: date | None = None
    url: str | None = None

    @property
    def full_name(self) -> str:
        """``"Given Family"``."""
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class ConstructorInfo:
    """A constructor (team) as Jolpica describes it (``Constructor`` object)."""

    ref: str
    """Jolpica ``constructorId``, e.g. ``"red_bull"``."""
    name: str
    nationality: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ScheduledRace:
    """One race weekend of a season's schedule; every time is an aware UTC datetime."""

    season: int
    round: int
    name: str
    """``raceName``, e.g. ``"Belgian Grand Prix"``."""
    circuit_ref: str
    """Jolpica ``circuitId``, e.g. ``"spa"``."""
    circuit: str
    """``circuitName``, e.g. ``"Circuit de Spa-Francorchamps"``."""
    country: str | None
    locality: str | None
    starts_at: datetime
    """Race start (``date`` + ``time``; midnight UTC when the API gives no time)."""
    qualifying_at: datetime | None = None
    sprint_at: datetime | None = None
    """Sprint start; None on weekends without a sprint."""
    sprint_qualifying_at: datetime | None = None
    first_practice_at: datetime | None = None
    url: str | None = None

    @property
    def has_sprint(self) -> bool:
        """True on sprint weekends (the API's ``Sprint`` session is present)."""
        return self.sprint_at is not None


@dataclass(frozen=True)
class DriverStanding:
    """One row of the drivers' championship."""

    position: int | None
    """None when the API omits it (e.g. an excluded driver)."""
    position_text: str
    points: float
    wins: int
    driver: DriverInfo
    constructor_refs: tuple[str, ...] = ()
    """Every team the driver drove for in the season, in the API's order."""


@dataclass(frozen=True)
class DriverStandings:
    """The drivers' championship of a season after ``round``."""

    season: int
    round: int
    rows: tuple[DriverStanding, ...]


@dataclass(frozen=True)
class WeekendResults:
    """A weekend's classification with the drivers and constructors its rows name.

    Results ingestion uses ``drivers``/``constructors`` to create the ones it does not know.
    """

    classification: Classification
    drivers: tuple[DriverInfo, ...]
    constructors: tuple[ConstructorInfo, ...]
