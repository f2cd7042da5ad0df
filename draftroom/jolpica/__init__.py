"""Jolpica F1 API (Ergast-compatible): the async client and the parsing of its payloads."""

from draftroom.jolpica.client import DEFAULT_BASE_URL, JolpicaClient, RetryPolicy
from draftroom.jolpica.models import (
    ConstructorInfo,
    DriverInfo,
    DriverStanding,
    DriverStandings,
    ScheduledRace,
    WeekendResults,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ConstructorInfo",
    "DriverInfo",
    "DriverStanding",
    "DriverStandings",
    "JolpicaClient",
    "RetryPolicy",
    "ScheduledRace",
    "WeekendResults",
]
