"""A race's entry list and its substitutes (SPEC section 1, "Entries and substitutes").

Pure rules. A race's entrants are the season's active entrants; a :class:`Change` replaces
one of them (``in_driver``) or withdraws him (``in_driver`` None) for that race only. The
draftable pool is the resulting entry list. When results arrive, a driver who drove for a
constructor without being one of its entrants is the substitute of that constructor's
entrant who is missing from the results altogether.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from draftroom.errors import Conflict, ValidationFailed

SEAT, DRIVER = "seat", "driver"


@dataclass(frozen=True)
class Entrant:
    """A season entrant: a driver and the constructor he is entered for."""

    driver_id: int
    constructor_id: int | None


@dataclass(frozen=True)
class Change:
    """One race's change: ``out_driver`` replaced by ``in_driver`` (or withdrawn)."""

    out_driver: int
    in_driver: int | None
    constructor_id: int | None = None
    source: str = "admin"


def entry_list(entrants: Iterable[Entrant], changes: Iterable[Change]) -> list[dict[str, Any]]:
    """The race's entries as the API shows them, entrants first (by driver id), then the
    substitutes: ``{driver_id, constructor_id, status, replaces?, replaced_by?}``."""
    by_out = {c.out_driver: c for c in changes}
    team_of = {e.driver_id: e.constructor_id for e in entrants}
    rows: list[dict[str, Any]] = []
    for entrant in sorted(entrants, key=lambda e: e.driver_id):
        change = by_out.get(entrant.driver_id)
        row: dict[str, Any] = {
            "driver_id": entrant.driver_id,
            "constructor_id": entrant.constructor_id,
            "status": "entered",
        }
        if change is not None:
            row["status"] = "withdrawn" if change.in_driver is None else "replaced"
            if change.in_driver is not None:
                row["replaced_by"] = change.in_driver
        rows.append(row)
    for change in sorted(by_out.values(), key=lambda c: c.out_driver):
        if change.in_driver is not None:
            rows.append(
                {
                    "driver_id": change.in_driver,
                    "constructor_id": change.constructor_id or team_of.get(change.out_driver),
                    "status": "substitute",
                    "replaces": change.out_driver,
                }
            )
    return rows


def entered(entrants: Iterable[Entrant], changes: Iterable[Change]) -> frozenset[int]:
    """The drivers who may be drafted for the race (its entry list)."""
    changes = list(changes)
    out = {c.out_driver for c in changes}
    subs = {c.in_driver for c in changes if c.in_driver is not None}
    return frozenset({e.driver_id for e in entrants} - out | subs)


def pool_numbers(
    entrants: Mapping[int, int | None], changes: Iterable[tuple[int, int | None, int | None]]
) -> dict[int, int | None]:
    """The race's pool as ``{driver: car number}``: the season's entrants (with numbers)
    minus every replaced or withdrawn driver, plus the substitutes ``(out, in, in's number)``."""
    pool = dict(entrants)
    subs = {}
    for out, incoming, number in changes:
        pool.pop(out, None)
        if incoming is not None:
            subs[incoming] = number
    return pool | subs


def check_change(
    entrants: Iterable[Entrant],
    changes: Iterable[Change],
    out_driver: int,
    in_driver: int | None,
) -> None:
    """Refuse a substitution or withdrawal that does not fit the entry list."""
    changes = list(changes)
    entrants = list(entrants)
    if in_driver is not None and in_driver == out_driver:
        raise ValidationFailed(
            "A driver cannot replace himself.",
            details=[{"field": "in_driver_id", "message": "must differ from out_driver_id"}],
        )
    season_entrants = {e.driver_id for e in entrants}
    if out_driver not in season_entrants:
        raise ValidationFailed(
            "That driver is not entered in this race's season, so he cannot be replaced.",
            details=[{"field": "out_driver_id", "message": "not entered in the race"}],
        )
    if any(c.out_driver == out_driver for c in changes):
        raise Conflict(
            "That driver is already replaced or withdrawn for this race; undo that first.",
            details={"out_driver_id": out_driver},
        )
    if in_driver is not None and in_driver in entered(entrants, changes):
        raise Conflict(
            "That driver is already entered in this race.",
            details={"in_driver_id": in_driver},
        )


@dataclass(frozen=True)
class Driven:
    """Who drove for whom in a race's results."""

    driver_id: int
    constructor_id: int | None


def infer_substitutions(
    entrants: Iterable[Entrant], changes: Iterable[Change], driven: Sequence[Driven]
) -> list[Change]:
    """Substitutions the results show and the entry list lacks.

    A driver who drove for a constructor without being one of its entrants for the race
    replaces the entrant of that constructor who is missing from the results altogether,
    when there is exactly one such entrant (else nothing can be told). A driver who only
    changed teams (he is in the results) is never taken as replaced, and a driver already
    in the race's pool is never taken as a substitute (he was draftable in his own right:
    two teams must not score the same driver's points).
    """
    changes = list(changes)
    pool = entered(entrants, changes)
    team_of = {e.driver_id: e.constructor_id for e in entrants}
    for change in changes:
        if change.in_driver is not None:
            team_of[change.in_driver] = change.constructor_id or team_of.get(change.out_driver)
    took_part = {d.driver_id for d in driven}
    inferred: list[Change] = []
    taken: set[int] = set()
    for row in driven:
        if row.constructor_id is None or row.driver_id in pool:
            continue
        missing = [
            d
            for d in sorted(pool)
            if team_of.get(d) == row.constructor_id and d not in took_part and d not in taken
        ]
        if len(missing) == 1:
            taken.add(missing[0])
            inferred.append(Change(missing[0], row.driver_id, row.constructor_id, "results"))
    return inferred


def seat_points(
    points: Mapping[int, float],
    drafted: Iterable[int],
    replaced_by: Mapping[int, int],
    policy: str,
    took_part: Collection[int],
) -> tuple[dict[int, float], dict[int, int]]:
    """What a team counts for each drafted driver: his own weekend points; for one who did
    not take part and was replaced, his substitute's under ``seat`` (0 under ``driver``).
    Returns the points by drafted driver and ``{drafted: substitute}`` where a seat scored."""
    counted: dict[int, float] = {}
    seats: dict[int, int] = {}
    for driver in drafted:
        sub = replaced_by.get(driver)
        if driver not in took_part and sub is not None and policy == SEAT:
            counted[driver] = points.get(sub, 0.0)
            seats[driver] = sub
        else:
            counted[driver] = points.get(driver, 0.0)
    return counted, seats
