"""The fake Jolpica server pages and switches like the tests expect."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fakes.fixtures import FakeJolpicaControl


def get(fake: FakeJolpicaControl, path: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{fake.base_url}/{path}", params=params, timeout=5)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["MRData"]
    return data


def test_result_pages_count_rows_and_repeat_the_race(jolpica: FakeJolpicaControl) -> None:
    first = get(jolpica, "2024/14/results.json", limit=15)
    second = get(jolpica, "2024/14/results.json", limit=15, offset=15)
    assert (first["limit"], first["offset"], first["total"]) == ("15", "0", "20")
    assert (second["offset"], second["total"]) == ("15", "20")
    races = [first["RaceTable"]["Races"], second["RaceTable"]["Races"]]
    assert [len(r) for r in races] == [1, 1]
    assert races[0][0]["raceName"] == races[1][0]["raceName"] == "Belgian Grand Prix"
    assert [len(r[0]["Results"]) for r in races] == [15, 5]
    assert races[1][0]["Results"][0]["position"] == "16"


@pytest.mark.parametrize(
    ("params", "limit", "rows"),
    [
        ({}, "30", 24),
        ({"limit": 10}, "10", 10),
        ({"limit": 500}, "100", 24),
        ({"limit": 10, "offset": 20}, "10", 4),
        ({"offset": 99}, "30", 0),
    ],
)
def test_limit_defaults_and_caps(
    jolpica: FakeJolpicaControl, params: dict[str, int], limit: str, rows: int
) -> None:
    data = get(jolpica, "2024/races.json", **params)
    assert (data["limit"], data["total"], len(data["RaceTable"]["Races"])) == (limit, "24", rows)


def test_standings_page_per_driver_row(jolpica: FakeJolpicaControl) -> None:
    data = get(jolpica, "2024/driverstandings.json", limit=5, offset=5)
    lists = data["StandingsTable"]["StandingsLists"]
    assert data["total"] == "24" and len(lists) == 1 and len(lists[0]["DriverStandings"]) == 5
    assert lists[0]["DriverStandings"][0]["position"] == "6"


def test_missing_data_is_an_empty_table_and_unknown_paths_404(
    jolpica: FakeJolpicaControl,
) -> None:
    data = get(jolpica, "2026/12/results.json")
    assert data["total"] == "0" and data["RaceTable"] == {
        "season": "2026",
        "round": "12",
        "Races": [],
    }
    assert get(jolpica, "2030/drivers.json")["DriverTable"]["Drivers"] == []
    response = httpx.get(f"{jolpica.base_url}/2024/laps/7.json", timeout=5)
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_control_switches_and_reset(jolpica: FakeJolpicaControl) -> None:
    jolpica.unpublish(2024, 1, kinds=("results", "qualifying"))
    jolpica.revision(2024, 14, "provisional")
    jolpica.fail(1, 429, retry_after=2)
    throttled = httpx.get(f"{jolpica.base_url}/2024/1/results.json", timeout=5)
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "2"
    assert get(jolpica, "2024/1/results.json")["total"] == "0"
    assert get(jolpica, "2024/1/qualifying.json")["total"] == "0"
    assert get(jolpica, "2024/1/sprint.json")["total"] == "0"  # no sprint that weekend
    belgium = get(jolpica, "2024/14/results.json")["RaceTable"]["Races"][0]["Results"]
    assert belgium[0]["Driver"]["driverId"] == "russell"
    assert len(jolpica.requests()) == 5
    jolpica.reset()
    assert jolpica.requests() == []
    assert get(jolpica, "2024/1/results.json")["total"] == "20"
    belgium = get(jolpica, "2024/14/results.json")["RaceTable"]["Races"][0]["Results"]
    assert belgium[0]["Driver"]["driverId"] == "hamilton"


def test_failures_can_target_a_path(jolpica: FakeJolpicaControl) -> None:
    jolpica.fail(1, 500, path_contains="/results")
    assert httpx.get(f"{jolpica.base_url}/2024/races.json", timeout=5).status_code == 200
    assert httpx.get(f"{jolpica.base_url}/2024/3/results.json", timeout=5).status_code == 500
    assert httpx.get(f"{jolpica.base_url}/2024/3/results.json", timeout=5).status_code == 200


def test_a_bad_control_request_is_400(jolpica: FakeJolpicaControl) -> None:
    response = httpx.post(f"{jolpica.root_url}/_control/revision", json={"season": 2024}, timeout=5)
    assert response.status_code == 400
