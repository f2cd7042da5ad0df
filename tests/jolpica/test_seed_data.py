"""The packaged season seed data and the converter's pure helpers."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import pytest

from tests.fixtures import f1db_ids
from tests.fixtures.f1db_source import format_gap, parse_millis, parse_rounds


def seed(season: int) -> dict[str, Any]:
    text = (resources.files("draftroom") / "seed_data" / f"{season}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_2026_seed_has_11_teams_22_active_drivers_and_23_races() -> None:
    data = seed(2026)
    teams = {t["ref"]: t for t in data["constructors"]}
    assert len(teams) == 11 and {"audi", "cadillac", "rb", "red_bull", "mclaren"} <= set(teams)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", t["color"]) for t in teams.values())
    active = [d for d in data["drivers"] if d["active"]]
    assert len(active) == 22
    assert len({d["ref"] for d in active}) == len({d["code"] for d in active}) == 22
    assert len({d["number"] for d in active}) == 22
    assert all(d["constructor_ref"] in teams for d in data["drivers"])
    per_team = {ref: sum(d["constructor_ref"] == ref for d in active) for ref in teams}
    assert set(per_team.values()) == {2}
    assert [d["ref"] for d in data["drivers"] if not d["active"]] == ["hadjar"]
    races = data["races"]
    assert [r["round"] for r in races] == list(range(1, 24))
    assert sum(r["sprint_at"] is not None for r in races) == 6
    for race in races:
        starts = datetime.fromisoformat(race["starts_at"])
        assert starts.utcoffset() == timedelta(0)
        assert datetime.fromisoformat(race["qualifying_at"]) < starts
    assert "F1DB" in data["attribution"] and "CC BY 4.0" in data["attribution"]


def test_2025_seed_has_the_same_shape() -> None:
    data, shape = seed(2025), seed(2026)
    assert data.keys() == shape.keys()
    assert data["drivers"][0].keys() == shape["drivers"][0].keys()
    assert data["races"][0].keys() == shape["races"][0].keys()
    assert len(data["races"]) == 24 and sum(d["active"] for d in data["drivers"]) == 20


def test_attribution_file_is_shipped() -> None:
    text = (resources.files("draftroom") / "seed_data" / "ATTRIBUTION.md").read_text("utf-8")
    assert "Data from F1DB (https://github.com/f1db/f1db), CC BY 4.0" in text


@pytest.mark.parametrize(
    ("f1db_id", "last_name", "expected"),
    [
        ("max-verstappen", "Verstappen", "max_verstappen"),
        ("kevin-magnussen", "Magnussen", "kevin_magnussen"),
        ("carlos-sainz-jr", "Sainz Jr.", "sainz"),
        ("nico-hulkenberg", "Hülkenberg", "hulkenberg"),
        ("new-driver", "Hülkenberg", "hulkenberg"),  # fallback: surname in snake_case
        ("patricio-oward", "O'Ward", "o_ward"),
        ("someone-new", "De la Rosa", "de_la_rosa"),
    ],
)
def test_driver_ref_mapping_and_fallback(f1db_id: str, last_name: str, expected: str) -> None:
    assert f1db_ids.driver_ref(f1db_id, last_name) == expected


@pytest.mark.parametrize(
    ("f1db_id", "expected"),
    [
        ("melbourne", "albert_park"),
        ("spa-francorchamps", "spa"),
        ("las-vegas", "vegas"),
        ("lusail", "losail"),
        ("austin", "americas"),
        ("new-track", "new_track"),
    ],
)
def test_circuit_refs(f1db_id: str, expected: str) -> None:
    assert f1db_ids.circuit_ref(f1db_id) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-3", {1, 2, 3}),
        ("12", {12}),
        ("1-2,5,7-8", {1, 2, 5, 7, 8}),
        ("", set()),
        (None, set()),
    ],
)
def test_parse_rounds(text: str | None, expected: set[int]) -> None:
    assert parse_rounds(text) == expected


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("1:19:57.566", 4_797_566),
        ("32:04.660", 1_924_660),
        ("58.123", 58_123),
    ],
)
def test_parse_millis(text: str, millis: int) -> None:
    assert parse_millis(text) == millis


@pytest.mark.parametrize(
    ("millis", "text"),
    [
        (526, "+0.526"),
        (7_612, "+7.612"),
        (86_057, "+1:26.057"),
        (60_000, "+1:00.000"),
    ],
)
def test_format_gap(millis: int, text: str) -> None:
    assert format_gap(millis) == text


@pytest.mark.parametrize("season", [2025, 2026])
def test_sprint_weekends_have_sprint_qualifying_before_the_sprint(season: int) -> None:
    races = seed(season)["races"]
    sprints = [r for r in races if r["sprint_at"] is not None]
    assert len(sprints) == 6
    assert all(r["sprint_qualifying_at"] is None for r in races if r["sprint_at"] is None)
    for race in sprints:
        sprint_quali = datetime.fromisoformat(race["sprint_qualifying_at"])
        assert sprint_quali.utcoffset() == timedelta(0)
        assert sprint_quali < datetime.fromisoformat(race["sprint_at"])
        assert sprint_quali < datetime.fromisoformat(race["qualifying_at"])
    china = next(r for r in seed(2026)["races"] if r["round"] == 2)
    assert china["sprint_qualifying_at"] == "2026-03-13T07:30:00Z"
