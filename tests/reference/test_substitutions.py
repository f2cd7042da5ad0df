"""Admin substitutions over REST: the entries route, and every bad input answered with a
clear JSON error and nothing half-written (real app, PostgreSQL and Redis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.results import helpers

API = "/api/v1"


@pytest.fixture
async def jeddah(http: httpx.AsyncClient) -> Any:
    season = await helpers.load_season(2024, rounds=[2, 5])
    quali = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=30)
    await helpers.value(
        "UPDATE race SET qualifying_at = $2, starts_at = $3 WHERE id = $1 RETURNING 1",
        season.races[2],
        quali,
        quali + timedelta(hours=24),
    )
    await helpers.value("DELETE FROM driver WHERE ref = 'bearman' RETURNING 1")
    return season


@pytest.fixture
async def admin(make_user: Any) -> Any:
    return await make_user("steward", is_admin=True)


async def _changes() -> int:
    return int(await helpers.value("SELECT count(*) FROM race_entry_change"))


async def test_substitution_and_undo_over_rest(
    http: httpx.AsyncClient, jeddah: Any, admin: Any
) -> None:
    race, sainz = jeddah.races[2], jeddah.drivers["sainz"]
    url = f"{API}/admin/races/{race}/substitutions"
    created = await http.post(
        url, json={"out_driver_id": sainz, "in_driver_ref": "bearman"}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    public = await http.get(f"{API}/races/{race}/entries")
    assert public.status_code == 200 and public.json() == created.json()
    statuses = {r["driver_id"]: r["status"] for r in public.json()}
    assert statuses[sainz] == "replaced" and list(statuses.values()).count("substitute") == 1
    bearman = await http.get(f"{API}/drivers/{public.json()[-1]['driver_id']}")
    assert bearman.json()["ref"] == "bearman"

    undone = await http.request("DELETE", url, json={"out_driver_id": sainz}, headers=admin.headers)
    assert undone.status_code == 200
    assert {r["status"] for r in undone.json()} == {"entered"}
    again = await http.request("DELETE", url, json={"out_driver_id": sainz}, headers=admin.headers)
    assert again.status_code == 404 and again.json()["error"]["code"] == "not_found"

    withdrawn = await http.post(url, json={"out_driver_id": sainz}, headers=admin.headers)
    assert withdrawn.status_code == 201
    assert {r["driver_id"]: r["status"] for r in withdrawn.json()}[sainz] == "withdrawn"


async def test_races_show_the_sprint_qualifying_lock(http: httpx.AsyncClient, jeddah: Any) -> None:
    china = (await http.get(f"{API}/races/{jeddah.races[5]}")).json()
    assert china["sprint_qualifying_at"] == "2024-04-19T07:30:00Z"
    assert china["locks_at"] == china["sprint_qualifying_at"]
    saudi = (await http.get(f"{API}/races/{jeddah.races[2]}")).json()
    assert saudi["sprint_qualifying_at"] is None and saudi["locks_at"] == saudi["qualifying_at"]


async def test_admin_race_routes_take_sprint_qualifying(
    http: httpx.AsyncClient, jeddah: Any, admin: Any
) -> None:
    race = {
        "season": 2024, "round": 40, "name": "Sprint Test GP", "starts_at": "2024-12-20T14:00:00Z",
        "qualifying_at": "2024-12-19T15:00:00Z", "sprint_qualifying_at": "2024-12-18T15:00:00Z",
        "sprint_at": "2024-12-19T10:00:00Z",
    }  # fmt: skip
    created = await http.post(f"{API}/admin/races", json=race, headers=admin.headers)
    assert created.status_code == 201, created.text
    assert created.json()["locks_at"] == "2024-12-18T15:00:00Z"
    late = await http.patch(
        f"{API}/admin/races/{created.json()['id']}",
        json={"sprint_qualifying_at": "2024-12-19T11:00:00Z"},  # after the sprint
        headers=admin.headers,
    )
    assert late.status_code == 422
    assert late.json()["error"]["details"][0]["field"] == "sprint_qualifying_at"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"out_driver_id": 999_999, "in_driver_ref": "bearman"}, 422, "validation_error"),
        ({"out_driver_id": "sainz", "in_driver_ref": "bearman"}, 422, "validation_error"),
        ({"in_driver_ref": "bearman"}, 422, "validation_error"),
        ({"out_driver_id": "@sainz", "in_driver_id": 999_999}, 422, "validation_error"),
        ({"out_driver_id": "@sainz", "in_driver_ref": "Not A Ref"}, 422, "validation_error"),
        ({"out_driver_id": "@sainz", "in_driver_ref": "x", "in_driver_id": "@leclerc"}, 422,
         "validation_error"),
        ({"out_driver_id": "@sainz", "in_driver_id": "@sainz"}, 422, "validation_error"),
        ({"out_driver_id": "@sainz", "in_driver_id": "@leclerc"}, 409, "conflict"),  # entered
        ({"out_driver_id": "@other_season", "in_driver_ref": "bearman"}, 422, "validation_error"),
        ({"out_driver_id": "@sainz", "in_driver_ref": "bearman", "extra": 1}, 422,
         "validation_error"),
    ],
)  # fmt: skip
async def test_bad_substitutions_change_nothing(
    http: httpx.AsyncClient, jeddah: Any, admin: Any, body: dict[str, Any], status: int, code: str
) -> None:
    other = await helpers.value(
        "INSERT INTO driver (ref, given_name, family_name, nationality, active) "
        "VALUES ('other_season', 'Other', 'Season', '', true) RETURNING id"
    )
    ids = {**jeddah.drivers, "other_season": other}
    resolved = {
        k: ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v for k, v in body.items()
    }
    drivers = await helpers.value("SELECT count(*) FROM driver")
    response = await http.post(
        f"{API}/admin/races/{jeddah.races[2]}/substitutions", json=resolved, headers=admin.headers
    )
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert await _changes() == 0
    assert await helpers.value("SELECT count(*) FROM driver") == drivers  # no driver created


@pytest.mark.parametrize("race_status", ["final", "cancelled"])
async def test_a_closed_race_takes_no_substitution(
    http: httpx.AsyncClient, jeddah: Any, admin: Any, race_status: str
) -> None:
    race = jeddah.races[2]
    await helpers.value("UPDATE race SET status = $2 WHERE id = $1 RETURNING 1", race, race_status)
    response = await http.post(
        f"{API}/admin/races/{race}/substitutions",
        json={"out_driver_id": jeddah.drivers["sainz"], "in_driver_ref": "bearman"},
        headers=admin.headers,
    )
    assert response.status_code == 409
    assert race_status in response.json()["error"]["message"]
    assert await _changes() == 0
    assert await helpers.value("SELECT count(*) FROM driver WHERE ref = 'bearman'") == 0


async def test_unknown_race_and_permissions(
    http: httpx.AsyncClient, jeddah: Any, admin: Any, make_user: Any
) -> None:
    body = {"out_driver_id": jeddah.drivers["sainz"], "in_driver_ref": "bearman"}
    missing = await http.post(
        f"{API}/admin/races/999999/substitutions", json=body, headers=admin.headers
    )
    assert missing.status_code == 404
    assert (await http.get(f"{API}/races/999999/entries")).status_code == 404
    url = f"{API}/admin/races/{jeddah.races[2]}/substitutions"
    assert (await http.post(url, json=body)).status_code == 401
    user = await make_user("fan")
    refused = await http.post(url, json=body, headers=user.headers)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert await _changes() == 0
