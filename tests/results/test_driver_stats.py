"""Driver statistics for drafting over the seeded 2026 season (rounds 1-11, F1DB).

The expectations are computed here straight from the recorded JSON (positions as published,
the SPEC's scoring via ``test_season.expected_weekend``), not with the code under test.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from draftroom.jolpica.packaged import packaged_client
from draftroom.services.results import ingest
from draftroom.services.seed import seed
from tests.results import helpers
from tests.results.test_season import expected_weekend

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ROUNDS = range(1, 12)


def _rows(name: str, key: str) -> list[dict[str, Any]]:
    races = helpers.fixture(2026, name)["MRData"]["RaceTable"]["Races"]
    return races[0][key] if races else []


def _avg(values: list[Decimal]) -> float | None:
    if not values:
        return None
    mean = sum(values, Decimal(0)) / len(values)
    return float(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected_stats(race_ids: dict[int, int]) -> dict[str, dict[str, Any]]:
    """Every driver's statistics from the raw JSON of rounds 1-11."""
    out: dict[str, dict[str, Any]] = {}
    finishes: dict[str, list[Decimal]] = {}
    scored: dict[str, list[tuple[int, Decimal]]] = {}

    def of(ref: str) -> dict[str, Any]:
        return out.setdefault(ref, {"races": 0, "podiums": 0, "dnfs": 0, "dsqs": 0, "poles": 0})

    for round_ in ROUNDS:
        for row in _rows(f"{round_}/results", "Results"):
            ref, text = row["Driver"]["driverId"], row["positionText"]
            stats = of(ref)
            stats["races"] += text not in ("W", "F")
            stats["dnfs"] += text in ("R", "N")
            stats["dsqs"] += text in ("D", "E")
            if text.isdigit():
                finishes.setdefault(ref, []).append(Decimal(text))
                stats["podiums"] += int(text) <= 3
        for row in _rows(f"{round_}/qualifying", "QualifyingResults"):
            if row["position"] == "1":
                of(row["Driver"]["driverId"])["poles"] += 1
        for ref, points in expected_weekend(2026, round_).items():
            of(ref)
            scored.setdefault(ref, []).append((race_ids[round_], points))
    for ref, stats in out.items():
        points = [p for _, p in scored.get(ref, [])]
        recent = scored.get(ref, [])[-3:]
        stats.update(
            avg_finish=_avg(finishes.get(ref, [])),
            weekends=len(points),
            fantasy_points=float(sum(points, Decimal(0))),
            avg_fantasy_points=_avg(points),
            form=[float(p) for _, p in recent],
            form_race_ids=[race_id for race_id, _ in recent],
            form_points=float(sum((p for _, p in recent), Decimal(0))),
        )
    return out


@pytest.fixture
async def seeded(runtime: Any) -> dict[int, int]:
    """The packaged seasons and the shipped 2026 results; ``{round: race_id}`` of 2026."""
    await seed(runtime, demo=False, now=NOW)
    rows = await helpers.fetch("SELECT round, id FROM race WHERE season = 2026")
    return {r["round"]: r["id"] for r in rows}


async def test_every_driver_of_the_season_in_one_response(
    http: Any, seeded: dict[int, int]
) -> None:
    response = await http.get("/api/v1/drivers/stats", params={"season": 2026})
    assert response.status_code == 200 and response.headers["ETag"]
    rows = response.json()
    drivers = (await http.get("/api/v1/drivers", params={"season": 2026})).json()
    assert sorted(r["driver_id"] for r in rows) == sorted(d["id"] for d in drivers)
    expected = expected_stats(seeded)
    fields = [*next(iter(expected.values()))]
    zero = {
        **dict.fromkeys(("races", "podiums", "dnfs", "dsqs", "poles", "weekends"), 0),
        "avg_finish": None,
        "avg_fantasy_points": None,
        "fantasy_points": 0.0,
        "form": [],
        "form_race_ids": [],
        "form_points": 0.0,
    }
    got = {r["driver_ref"]: {f: r[f] for f in fields} for r in rows}
    assert {ref: stats for ref, stats in got.items() if ref in expected} == expected
    assert [ref for ref, stats in got.items() if stats == zero] == [
        ref for ref in got if ref not in expected
    ]  # entered without a result this season (a reserve)
    leader = max(rows, key=lambda r: r["fantasy_points"])
    assert leader["podiums"] > 0 and leader["avg_fantasy_points"] > 0 and len(leader["form"]) == 3
    assert all(r["season"] == 2026 for r in rows)
    again = await http.get(
        "/api/v1/drivers/stats",
        params={"season": 2026},
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


async def test_one_driver(http: Any, seeded: dict[int, int]) -> None:
    bulk = (await http.get("/api/v1/drivers/stats", params={"season": 2026})).json()
    for row in bulk[:3]:
        one = await http.get(f"/api/v1/drivers/{row['driver_id']}/stats", params={"season": 2026})
        assert one.status_code == 200 and one.json() == row
    # the default season is the current one (2026)
    default = await http.get(f"/api/v1/drivers/{bulk[0]['driver_id']}/stats")
    assert default.json() == bulk[0]
    # a driver of 2025 only has nothing to count in 2026, and his 2025 stats are empty too
    # (no 2025 results are shipped)
    doohan = next(
        d for d in (await http.get("/api/v1/drivers?season=2025")).json() if d["ref"] == "doohan"
    )
    body = (await http.get(f"/api/v1/drivers/{doohan['id']}/stats", params={"season": 2026})).json()
    assert (body["driver_ref"], body["races"], body["form"], body["avg_finish"]) == (
        "doohan",
        0,
        [],
        None,
    )


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/drivers/999999/stats?season=2026", 404, "not_found"),
        ("/drivers/1/stats?season=abc", 422, "validation_error"),
        ("/drivers/stats?season=twenty", 422, "validation_error"),
        ("/drivers/1/stats?season=2026.5", 422, "validation_error"),
    ],
)
async def test_bad_input(
    http: Any, seeded: dict[int, int], path: str, status: int, code: str
) -> None:
    response = await http.get(f"/api/v1{path}")
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


async def test_a_new_revision_refreshes_the_statistics(
    http: Any, runtime: Any, seeded: dict[int, int]
) -> None:
    before = {
        r["driver_ref"]: r
        for r in (await http.get("/api/v1/drivers/stats", params={"season": 2026})).json()
    }
    async with packaged_client() as client:
        found = await client.weekend_classification(2026, 11)
    assert found is not None
    first, second, *rest = found.race
    swapped = dataclasses.replace(
        found,
        race=(
            dataclasses.replace(second, position=1, position_text="1"),
            dataclasses.replace(first, position=2, position_text="2"),
            *rest,
        ),
    )
    outcome = await ingest.ingest(runtime, seeded[11], swapped, source="check 1", now=NOW)
    assert outcome.changed
    after = {
        r["driver_ref"]: r
        for r in (await http.get("/api/v1/drivers/stats", params={"season": 2026})).json()
    }
    winner, runner_up = first.driver_ref, second.driver_ref
    assert after[winner]["avg_finish"] > before[winner]["avg_finish"]
    assert after[runner_up]["avg_finish"] < before[runner_up]["avg_finish"]
    assert after[winner]["form"][-1] < before[winner]["form"][-1]
    assert after[runner_up]["form"][-1] > before[runner_up]["form"][-1]
    one = await http.get(f"/api/v1/drivers/{after[winner]['driver_id']}/stats")
    assert one.json() == after[winner]
