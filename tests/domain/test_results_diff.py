"""Canonical serialisation, content hash and diff of classification revisions."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.domain.results import (
    FieldChange,
    PositionChange,
    canonical_json,
    classification_from_dict,
    classification_hash,
    classification_to_dict,
    diff,
    points_changes,
)
from draftroom.domain.scoring import DriverPoints, ScoringTable, driver_weekend_points
from tests.domain.test_scoring_real_data import load_season

NAMES = (("a", "Ann Able"), ("b", "Ben Baker"), ("c", "Cat Cole"), ("d", "Dan Dee"))


def row(ref: str, pos: int, text: str | None = None, **kw: Any) -> ResultRow:
    kw.setdefault("grid", pos)
    kw.setdefault("status", "Finished")
    kw.setdefault("points", 0)
    return ResultRow(ref, pos, text if text is not None else str(pos), **kw)


def first_row(**changes: Any) -> Classification:
    """``base()`` with its race winner's row changed."""
    race = base().race
    return base(race=(replace(race[0], **changes), *race[1:]))


def base(**kw: Any) -> Classification:
    data: dict[str, Any] = {
        "season": 2024,
        "round": 5,
        "race": (row("a", 1, fastest_lap_rank=1), row("b", 2), row("c", 3), row("d", 4, "R")),
        "sprint": (row("a", 1), row("b", 2)),
        "qualifying": (QualifyingRow("a", 1), QualifyingRow("b", 2), QualifyingRow("c", 3)),
        "driver_names": NAMES,
    }
    data.update(kw)
    return Classification(**data)


def test_canonical_dict_round_trips_through_json() -> None:
    c = base()
    data = json.loads(json.dumps(classification_to_dict(c)))
    back = classification_from_dict(data)
    assert back == c
    assert back.driver_names == c.driver_names


def test_hash_is_a_stable_sha256() -> None:
    h = classification_hash(base())
    assert len(h) == 64 and int(h, 16) >= 0
    assert h == classification_hash(base())
    # Pinned: stored revision hashes must not change when the code is refactored.
    assert h == "a4722c06432d021fc28c3e5d0b17fd66b4e1a1eea243893058eb96f705308cc7"


def test_canonical_json_is_compact_sorted_and_omits_none() -> None:
    c = Classification(2024, 1, race=(row("x", 1, points=25),), qualifying=(QualifyingRow("x", 1),))
    assert canonical_json(c) == (
        '{"qualifying":[{"driver_ref":"x","position":1}],"race":[{"driver_ref":"x","grid":1,'
        '"laps":0,"points":25.0,"position":1,"position_text":"1","status":"Finished"}],'
        '"round":1,"season":2024,"sprint":[]}'
    )


@pytest.mark.parametrize(
    ("case", "other"),
    [
        ("rows in another order", base(race=tuple(reversed(base().race)))),
        ("no driver names", base(driver_names=())),
        ("integer vs float points", first_row(points=0.0)),
    ],
)  # fmt: skip
def test_hash_ignores_presentation(case: str, other: Classification) -> None:
    assert classification_hash(other) == classification_hash(base())


@pytest.mark.parametrize(
    ("case", "other"),
    [
        ("status", first_row(status="+1 Lap")),
        ("points", first_row(points=25)),
        ("grid", first_row(grid=0)),
        ("sprint removed", base(sprint=())),
        ("qualifying", base(qualifying=base().qualifying[:2])),
        ("round", base(round=6)),
    ],
)
def test_hash_changes_with_content(case: str, other: Classification) -> None:
    assert classification_hash(other) != classification_hash(base())


def test_identical_revisions_have_no_diff() -> None:
    d = diff(base(), base(driver_names=()))
    assert (d.changed, d.reason, d.moved, d.disqualified) == (False, "", (), ())


def _belgium_2024_before_dsq() -> tuple[Classification, Classification]:
    """The 2024 Belgian GP as first published (Russell P1) and after his DSQ."""
    final = {w.round: w for w in load_season(2024)[0]}[14]
    russell = next(r for r in final.race if r.driver_ref == "george-russell")
    others = [r for r in final.race if r is not russell]
    first = [replace(russell, position=1, position_text="1", status="Finished", points=25)]
    for r in others:
        text = str(r.position + 1) if r.classified else r.position_text
        first.append(replace(r, position=r.position + 1, position_text=text))
    return replace(final, race=tuple(first)), final


def test_belgian_gp_2024_disqualification() -> None:
    before, after = _belgium_2024_before_dsq()
    d = diff(before, after)
    assert d.changed
    assert d.disqualified == (PositionChange("race", "george-russell", 1, 20, "1", "D"),)
    assert d.moved[0] == PositionChange("race", "lewis-hamilton", 2, 1, "2", "1")
    assert len(d.moved) == 18  # every classified driver moves up one place
    assert d.status_changes == (
        FieldChange("race", "george-russell", "status", "Finished", "Disqualified"),
    )
    assert d.reason == (
        "George Russell disqualified; Lewis Hamilton P2 → P1; Oscar Piastri P3 → P2; "
        "Charles Leclerc P4 → P3; 15 more position changes"
    )
    assert json.loads(json.dumps(d.to_dict()))["disqualified"][0]["driver_ref"] == "george-russell"


def test_belgian_gp_2024_points_changes() -> None:
    before, after = _belgium_2024_before_dsq()
    old = driver_weekend_points(before, ScoringTable())
    new = driver_weekend_points(after, ScoringTable())
    changes = {c.key: (c.old, c.new, c.delta) for c in points_changes(old, new)}
    assert changes["george-russell"] == (30.0, -10.0, -40.0)  # P1 from P6 -> DSQ
    assert changes["lewis-hamilton"] == (19.0, 27.0, 8.0)  # P2 from P3 -> P1 from P3
    assert "max-verstappen" in changes and "guanyu-zhou" not in changes  # DNF before and after


def test_reinstatement_after_an_appeal() -> None:
    before, after = _belgium_2024_before_dsq()
    d = diff(after, before)
    assert d.reinstated == (PositionChange("race", "george-russell", 20, 1, "D", "1"),)
    assert d.reason.startswith("George Russell reinstated (P1); Lewis Hamilton P1 → P2")


# (case, new classification, field of the diff, expected value, expected reason)
CASES = [
    (
        "time penalty swaps two drivers",
        base(
            race=(
                row("a", 1, fastest_lap_rank=1),
                row("c", 2, grid=3),
                row("b", 3, grid=2),
                *base().race[3:],
            )
        ),
        "moved",
        (PositionChange("race", "c", 3, 2, "3", "2"), PositionChange("race", "b", 2, 3, "2", "3")),
        "Cat Cole P3 → P2; Ben Baker P2 → P3",
    ),
    (
        "retirement turned into a classified finish",
        base(race=(*base().race[:3], row("d", 4))),
        "moved",
        (PositionChange("race", "d", 4, 4, "R", "4"),),
        "Dan Dee DNF → P4",
    ),
    (
        "sprint disqualification",
        base(sprint=(row("b", 1, grid=2), row("a", 2, "D", grid=1))),
        "disqualified",
        (PositionChange("sprint", "a", 1, 2, "1", "D"),),
        "Ann Able disqualified in the sprint; Ben Baker P2 → P1 in the sprint",
    ),
    (
        "fastest lap reassigned",
        base(race=(row("a", 1), row("b", 2, fastest_lap_rank=1), *base().race[2:])),
        "fastest_lap",
        ("a", "b"),
        "Fastest lap Ann Able → Ben Baker",
    ),
    (
        "pole changes hands",
        base(qualifying=(QualifyingRow("b", 1), QualifyingRow("a", 2), QualifyingRow("c", 3))),
        "qualifying",
        (
            PositionChange("qualifying", "b", 2, 1, "2", "1"),
            PositionChange("qualifying", "a", 1, 2, "1", "2"),
        ),
        "Pole Ann Able → Ben Baker",
    ),
    (
        "qualifying change behind pole",
        base(qualifying=(QualifyingRow("a", 1), QualifyingRow("c", 2), QualifyingRow("b", 3))),
        "qualifying",
        (
            PositionChange("qualifying", "c", 3, 2, "3", "2"),
            PositionChange("qualifying", "b", 2, 3, "2", "3"),
        ),
        "Qualifying changed for 2 drivers",
    ),
    (
        "grid correction",
        first_row(grid=0),
        "grid_changes",
        (FieldChange("race", "a", "grid", 1, 0),),
        "Grid changed for 1 driver",
    ),
    (
        "status only",
        first_row(status="+1 Lap"),
        "status_changes",
        (FieldChange("race", "a", "status", "Finished", "+1 Lap"),),
        "Ann Able status Finished → +1 Lap",
    ),
    (
        "sprint results arrive late",
        base(sprint=(*base().sprint, row("c", 3))),
        "added",
        (PositionChange("sprint", "c", None, 3, None, "3"),),
        "1 sprint result added",
    ),
    (
        "official points corrected only",
        first_row(points=26),
        "moved",
        (),
        "Classification details updated",
    ),
]


@pytest.mark.parametrize(
    ("case", "new", "attr", "expected", "reason"), CASES, ids=[c[0] for c in CASES]
)
def test_diff_cases(case: str, new: Classification, attr: str, expected: Any, reason: str) -> None:
    d = diff(base(), new)
    assert d.changed
    assert getattr(d, attr) == expected
    assert d.reason == reason


def test_reason_falls_back_to_driver_refs() -> None:
    old, new = (
        base(driver_names=()),
        base(driver_names=(), sprint=(row("b", 1, grid=2), row("a", 2, grid=1))),
    )
    assert diff(old, new).reason == "b P2 → P1 in the sprint; a P1 → P2 in the sprint"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"a": 10.0, "b": 5.0}, {"a": 10.0, "b": 5.0}, []),
        ({"a": 10.0, "b": 5.0}, {"a": 12.5, "b": 5.0}, [("a", 10.0, 12.5, 2.5)]),
        ({"a": 0.1}, {"a": 0.1, "b": -5.0}, [("b", 0.0, -5.0, -5.0)]),  # new driver
        ({"a": 3.0}, {}, [("a", 3.0, 0.0, -3.0)]),  # dropped driver counts as 0
        ({"a": 0.3}, {"a": 0.1 + 0.2}, []),  # no float drift
        ({"a": DriverPoints("a", total=7.0)}, {"a": DriverPoints("a", total=-3.0)},
         [("a", 7.0, -3.0, -10.0)]),
    ],
)  # fmt: skip
def test_points_changes(old: dict[str, Any], new: dict[str, Any], expected: list[Any]) -> None:
    assert [(c.key, c.old, c.new, c.delta) for c in points_changes(old, new)] == expected
