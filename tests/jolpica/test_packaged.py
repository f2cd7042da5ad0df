"""The packaged, offline Jolpica: the shipped 2026 results served as the API serves them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from draftroom.jolpica import parsing
from draftroom.jolpica.packaged import (
    PACKAGED_BASE_URL,
    PackagedTransport,
    packaged_client,
    packaged_season,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jolpica"


def fixture(season: int, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / str(season) / f"{name}.json").read_text())
    return data


async def get(path: str, **params: Any) -> httpx.Response:
    async with httpx.AsyncClient(transport=PackagedTransport()) as client:
        return await client.get(f"{PACKAGED_BASE_URL}/{path}", params=params)


def test_the_shipped_weekends_are_the_recorded_fixtures() -> None:
    weekends = packaged_season(2026)
    assert sorted(weekends) == list(range(1, 12))
    for round_, weekend in weekends.items():
        for kind in ("results", "sprint", "qualifying"):
            path = FIXTURES / "2026" / str(round_) / f"{kind}.json"
            if path.exists():
                assert (
                    weekend[kind]
                    == fixture(2026, f"{round_}/{kind}")["MRData"]["RaceTable"]["Races"]
                )
            else:
                assert kind not in weekend
    assert sum("sprint" in w for w in weekends.values()) == 4  # China, Miami, Canada, GB


@pytest.mark.parametrize(
    ("limit", "offset", "rows"),
    [(None, None, 22), ("7", "0", 7), ("7", "21", 1), ("100", "22", 0), ("500", "0", 22)],
)
async def test_pages_like_the_api(limit: str | None, offset: str | None, rows: int) -> None:
    params = {k: v for k, v in (("limit", limit), ("offset", offset)) if v is not None}
    response = await get("2026/5/results.json", **params)
    assert response.status_code == 200
    data = response.json()["MRData"]
    assert parsing.page_info(response.json()) == (
        min(int(limit or 30), 100),
        int(offset or 0),
        22,
    )
    races = data["RaceTable"]["Races"]
    assert sum(len(r["Results"]) for r in races) == rows
    assert len(races) == (1 if rows else 0)


@pytest.mark.parametrize(
    "path", ["2026/12/results.json", "2026/1/sprint.json", "1999/1/qualifying"]
)
async def test_a_weekend_without_data_is_an_empty_race_table(path: str) -> None:
    response = await get(path)
    assert response.status_code == 200
    data = response.json()["MRData"]
    assert data["total"] == "0" and data["RaceTable"]["Races"] == []


@pytest.mark.parametrize("path", ["2026/races.json", "2026/drivers.json", "current/last/results"])
async def test_other_paths_are_not_found(path: str) -> None:
    assert (await get(path)).status_code == 404


async def test_the_client_reads_a_sprint_weekend_page_by_page() -> None:
    expected = parsing.parse_weekend(
        2026,
        2,
        fixture(2026, "2/results"),
        fixture(2026, "2/sprint"),
        fixture(2026, "2/qualifying"),
    ).classification
    async with packaged_client() as client:
        client.page_size = 5  # 22 rows: 5 pages of each session
        assert await client.weekend_classification(2026, 2) == expected
        assert await client.weekend_classification(2026, 12) is None
    assert expected.sprint and expected.qualifying
