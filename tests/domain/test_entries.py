"""Race entry lists and substitutes (pure rules, table-driven)."""

from __future__ import annotations

import pytest

from draftroom.domain.entries import (
    Change,
    Driven,
    Entrant,
    check_change,
    entered,
    entry_list,
    infer_substitutions,
    seat_points,
)
from draftroom.errors import Conflict, ValidationFailed

FERRARI, HAAS, WILLIAMS = 1, 2, 3
SAINZ, LECLERC, BEARMAN, MAGNUSSEN, HULKENBERG, ALBON, SARGEANT, COLAPINTO = range(10, 18)
ENTRANTS = [
    Entrant(SAINZ, FERRARI),
    Entrant(LECLERC, FERRARI),
    Entrant(MAGNUSSEN, HAAS),
    Entrant(HULKENBERG, HAAS),
    Entrant(ALBON, WILLIAMS),
    Entrant(SARGEANT, WILLIAMS),
]
ALL = {SAINZ, LECLERC, MAGNUSSEN, HULKENBERG, ALBON, SARGEANT}


@pytest.mark.parametrize(
    ("changes", "pool"),
    [
        ([], ALL),
        ([Change(SAINZ, BEARMAN, FERRARI)], ALL - {SAINZ} | {BEARMAN}),
        ([Change(SAINZ, None)], ALL - {SAINZ}),
        ([Change(SAINZ, BEARMAN), Change(SARGEANT, None)], ALL - {SAINZ, SARGEANT} | {BEARMAN}),
    ],
)
def test_the_pool_is_the_entry_list(changes: list[Change], pool: set[int]) -> None:
    assert entered(ENTRANTS, changes) == pool


def test_entry_list_shows_replaced_withdrawn_and_substitutes() -> None:
    rows = entry_list(ENTRANTS, [Change(SAINZ, BEARMAN, None), Change(SARGEANT, None)])
    by_driver = {r["driver_id"]: r for r in rows}
    assert by_driver[SAINZ] == {
        "driver_id": SAINZ, "constructor_id": FERRARI, "status": "replaced",
        "replaced_by": BEARMAN,
    }  # fmt: skip
    assert by_driver[SARGEANT]["status"] == "withdrawn"
    assert "replaced_by" not in by_driver[SARGEANT]
    # the substitute takes the replaced driver's constructor when the change names none
    assert by_driver[BEARMAN] == {
        "driver_id": BEARMAN, "constructor_id": FERRARI, "status": "substitute", "replaces": SAINZ,
    }  # fmt: skip
    assert by_driver[LECLERC]["status"] == "entered"
    assert [r["driver_id"] for r in rows][-1] == BEARMAN  # substitutes come last


@pytest.mark.parametrize(
    ("changes", "out", "incoming", "error", "field"),
    [
        ([], SAINZ, SAINZ, ValidationFailed, "in_driver_id"),
        ([], COLAPINTO, BEARMAN, ValidationFailed, "out_driver_id"),  # not entered
        ([Change(SAINZ, BEARMAN)], SAINZ, COLAPINTO, Conflict, None),  # already replaced
        ([Change(SAINZ, None)], SAINZ, None, Conflict, None),  # already withdrawn
        ([], SAINZ, LECLERC, Conflict, None),  # IN already entered
        ([Change(SARGEANT, BEARMAN)], SAINZ, BEARMAN, Conflict, None),  # IN already a sub
    ],
)
def test_bad_changes_are_refused(
    changes: list[Change],
    out: int,
    incoming: int | None,
    error: type[Exception],
    field: str | None,
) -> None:
    with pytest.raises(error) as caught:
        check_change(ENTRANTS, changes, out, incoming)
    if field is not None:
        assert caught.value.details[0]["field"] == field  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "out", "incoming"),
    [([], SAINZ, BEARMAN), ([], SAINZ, None), ([Change(SARGEANT, COLAPINTO)], SAINZ, BEARMAN)],
)
def test_good_changes_pass(changes: list[Change], out: int, incoming: int | None) -> None:
    check_change(ENTRANTS, changes, out, incoming)


def _drove(*pairs: tuple[int, int]) -> list[Driven]:
    return [Driven(d, c) for d, c in pairs]


FULL = [(LECLERC, FERRARI), (MAGNUSSEN, HAAS), (HULKENBERG, HAAS), (ALBON, WILLIAMS)]


@pytest.mark.parametrize(
    ("changes", "driven", "expected"),
    [
        # Jeddah 2024: Bearman drove Sainz's Ferrari
        ([], [*FULL, (BEARMAN, FERRARI), (SARGEANT, WILLIAMS)], [(SAINZ, BEARMAN)]),
        # Monza 2024: Colapinto in Sargeant's Williams
        ([], [*FULL, (SAINZ, FERRARI), (COLAPINTO, WILLIAMS)], [(SARGEANT, COLAPINTO)]),
        # already recorded by an admin: nothing new
        ([Change(SAINZ, BEARMAN, FERRARI)], [*FULL, (BEARMAN, FERRARI), (SARGEANT, WILLIAMS)], []),
        # everybody entered drove: nothing
        ([], [*FULL, (SAINZ, FERRARI), (SARGEANT, WILLIAMS)], []),
        # a team swap: both drivers are in the results, nobody was replaced
        ([], [(LECLERC, FERRARI), (SAINZ, HAAS), (MAGNUSSEN, FERRARI), (HULKENBERG, HAAS)], []),
        # two Ferrari entrants missing: it cannot be told whom Bearman replaced
        ([], [(BEARMAN, FERRARI), (MAGNUSSEN, HAAS), (HULKENBERG, HAAS)], []),
        # a withdrawal recorded, then a driver appears in that seat: nothing more is inferred
        ([Change(SAINZ, None)], [*FULL, (BEARMAN, FERRARI), (SARGEANT, WILLIAMS)], []),
        # an entrant of another team in the missing driver's seat was draftable already
        (
            [],
            [
                (LECLERC, FERRARI),
                (SARGEANT, FERRARI),
                (MAGNUSSEN, HAAS),
                (HULKENBERG, HAAS),
                (ALBON, WILLIAMS),
            ],
            [],
        ),
    ],
)
def test_substitutions_inferred_from_results(
    changes: list[Change], driven: list[tuple[int, int]], expected: list[tuple[int, int]]
) -> None:
    found = infer_substitutions(ENTRANTS, changes, _drove(*driven))
    assert [(c.out_driver, c.in_driver) for c in found] == expected
    assert all(c.source == "results" for c in found)


@pytest.mark.parametrize(
    ("policy", "took_part", "expected_points", "expected_seats"),
    [
        ("seat", {LECLERC, BEARMAN}, {SAINZ: 12.0, LECLERC: 20.0}, {SAINZ: BEARMAN}),
        ("driver", {LECLERC, BEARMAN}, {SAINZ: 0.0, LECLERC: 20.0}, {}),
        # he took part after all (his own points count, whatever the entry list says)
        ("seat", {LECLERC, BEARMAN, SAINZ}, {SAINZ: 3.0, LECLERC: 20.0}, {}),
    ],
)
def test_seat_points(
    policy: str,
    took_part: set[int],
    expected_points: dict[int, float],
    expected_seats: dict[int, int],
) -> None:
    weekend = {LECLERC: 20.0, BEARMAN: 12.0, SAINZ: 3.0}
    points = {d: p for d, p in weekend.items() if d in took_part}
    counted, seats = seat_points(points, [SAINZ, LECLERC], {SAINZ: BEARMAN}, policy, took_part)
    assert counted == expected_points
    assert seats == expected_seats


def test_a_withdrawn_driver_scores_nothing_under_either_rule() -> None:
    for policy in ("seat", "driver"):
        counted, seats = seat_points({LECLERC: 20.0}, [SAINZ], {}, policy, {LECLERC})
        assert counted == {SAINZ: 0.0} and seats == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ([], {SAINZ: 55, LECLERC: 16}),
        ([(SAINZ, BEARMAN, 38)], {LECLERC: 16, BEARMAN: 38}),
        ([(SAINZ, None, None)], {LECLERC: 16}),
        ([(COLAPINTO, BEARMAN, 38)], {SAINZ: 55, LECLERC: 16, BEARMAN: 38}),  # OUT unknown
    ],
)
def test_pool_numbers(
    changes: list[tuple[int, int | None, int | None]], expected: dict[int, int | None]
) -> None:
    from draftroom.domain.entries import pool_numbers

    assert pool_numbers({SAINZ: 55, LECLERC: 16}, changes) == expected
