"""Admin upkeep of reference data: permissions, validation, duplicates, unknown ids."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

API = "/api/v1"
RACE = {
    "season": 2026,
    "round": 30,
    "name": "Test Grand Prix",
    "circuit": "Test Ring",
    "country": "Nowhere",
    "starts_at": "2026-12-20T14:00:00Z",
    "qualifying_at": "2026-12-19T15:00:00+01:00",
}


@pytest.fixture
async def admin(make_user: Any) -> Any:
    return await make_user("boss", is_admin=True)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/admin/constructors"),
        ("PATCH", "/admin/constructors/1"),
        ("DELETE", "/admin/constructors/1"),
        ("POST", "/admin/drivers"),
        ("PATCH", "/admin/drivers/1"),
        ("DELETE", "/admin/drivers/1"),
        ("POST", "/admin/races"),
        ("PATCH", "/admin/races/1"),
        ("DELETE", "/admin/races/1"),
        ("POST", "/admin/sync"),
    ],
)
async def test_admin_routes_need_an_admin(
    http: httpx.AsyncClient, make_user: Any, method: str, path: str
) -> None:
    anonymous = await http.request(method, f"{API}{path}", json={})
    assert anonymous.status_code == 401
    user = await make_user("pleb")
    refused = await http.request(method, f"{API}{path}", json={}, headers=user.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"


async def test_constructor_crud(http: httpx.AsyncClient, seeded: None, admin: Any) -> None:
    body = {"ref": "andretti", "name": "Andretti", "nationality": "American", "color": "#00aaff"}
    created = await http.post(f"{API}/admin/constructors", json=body, headers=admin.headers)
    assert created.status_code == 201
    team = created.json()
    assert team["ref"] == "andretti" and team["color"] == "#00AAFF"
    dup = await http.post(f"{API}/admin/constructors", json=body, headers=admin.headers)
    assert dup.status_code == 409
    patched = await http.patch(
        f"{API}/admin/constructors/{team['id']}", json={"color": "#123456"}, headers=admin.headers
    )
    assert patched.status_code == 200 and patched.json()["color"] == "#123456"
    assert (await http.get(f"{API}/constructors/{team['id']}")).json()["color"] == "#123456"
    taken = await http.patch(
        f"{API}/admin/constructors/{team['id']}", json={"ref": "ferrari"}, headers=admin.headers
    )
    assert taken.status_code == 409
    gone = await http.delete(f"{API}/admin/constructors/{team['id']}", headers=admin.headers)
    assert gone.status_code == 204
    assert (await http.get(f"{API}/constructors/{team['id']}")).status_code == 404
    again = await http.delete(f"{API}/admin/constructors/{team['id']}", headers=admin.headers)
    assert again.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"ref": "Bad Ref", "name": "X"},
        {"ref": "ok", "name": ""},
        {"ref": "ok", "name": "X", "color": "red"},
        {"ref": "ok"},
        {"ref": 5, "name": "X"},
        {"ref": "ok", "name": "X", "extra": 1},
    ],
)
async def test_constructor_validation(
    http: httpx.AsyncClient, admin: Any, body: dict[str, Any]
) -> None:
    response = await http.post(f"{API}/admin/constructors", json=body, headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_driver_crud_and_season_entry(
    http: httpx.AsyncClient, seeded: None, admin: Any
) -> None:
    teams = {t["ref"]: t["id"] for t in (await http.get(f"{API}/constructors")).json()}
    body = {
        "ref": "test_driver",
        "given_name": "Test",
        "family_name": "Driver",
        "code": "tst",
        "number": 99,
        "constructor_id": teams["ferrari"],
    }
    created = await http.post(f"{API}/admin/drivers", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    driver = created.json()
    assert driver["code"] == "TST" and driver["active"] is True
    season = {d["id"]: d for d in (await http.get(f"{API}/drivers")).json()}
    assert season[driver["id"]]["constructor_id"] == teams["ferrari"]
    dup = await http.post(f"{API}/admin/drivers", json=body, headers=admin.headers)
    assert dup.status_code == 409
    moved = await http.patch(
        f"{API}/admin/drivers/{driver['id']}",
        json={"constructor_id": teams["haas"], "active": False},
        headers=admin.headers,
    )
    assert moved.status_code == 200
    assert moved.json()["constructor_id"] == teams["haas"] and moved.json()["active"] is False
    season = {d["id"]: d for d in (await http.get(f"{API}/drivers")).json()}
    assert season[driver["id"]]["constructor_id"] == teams["haas"]
    assert season[driver["id"]]["active"] is False
    entered = await http.patch(
        f"{API}/admin/drivers/{driver['id']}", json={"season": 2025}, headers=admin.headers
    )
    assert entered.status_code == 200
    old = {d["id"] for d in (await http.get(f"{API}/drivers?season=2025")).json()}
    assert driver["id"] in old
    unknown_team = await http.patch(
        f"{API}/admin/drivers/{driver['id']}",
        json={"constructor_id": 999999},
        headers=admin.headers,
    )
    assert unknown_team.status_code == 422
    null_name = await http.patch(
        f"{API}/admin/drivers/{driver['id']}", json={"given_name": None}, headers=admin.headers
    )
    assert null_name.status_code == 422
    by_body = await http.patch(
        f"{API}/admin/drivers", json={"id": driver["id"], "number": 98}, headers=admin.headers
    )
    assert by_body.status_code == 200 and by_body.json()["number"] == 98
    assert (
        await http.patch(f"{API}/admin/drivers/999999", json={"number": 1}, headers=admin.headers)
    ).status_code == 404
    deleted = await http.request(
        "DELETE", f"{API}/admin/drivers", json={"id": driver["id"]}, headers=admin.headers
    )
    assert deleted.status_code == 204
    assert (await http.get(f"{API}/drivers/{driver['id']}")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"ref": "x", "given_name": "A", "family_name": "B", "number": "7"},
        {"ref": "x", "given_name": "A", "family_name": "B", "code": "TOOLONG"},
        {"ref": "x", "given_name": "A", "family_name": "B", "active": "yes"},
        {"ref": "x", "given_name": "A"},
    ],
)
async def test_driver_validation(http: httpx.AsyncClient, admin: Any, body: dict[str, Any]) -> None:
    response = await http.post(f"{API}/admin/drivers", json=body, headers=admin.headers)
    assert response.status_code == 422


async def test_race_crud(http: httpx.AsyncClient, seeded: None, admin: Any) -> None:
    created = await http.post(f"{API}/admin/races", json=RACE, headers=admin.headers)
    assert created.status_code == 201, created.text
    race = created.json()
    assert race["qualifying_at"] == "2026-12-19T14:00:00Z"
    assert race["sprint_at"] is None and race["status"] == "scheduled"
    dup = await http.post(f"{API}/admin/races", json=RACE, headers=admin.headers)
    assert dup.status_code == 409
    clash = await http.patch(
        f"{API}/admin/races/{race['id']}", json={"round": 1}, headers=admin.headers
    )
    assert clash.status_code == 409
    cancelled = await http.patch(
        f"{API}/admin/races/{race['id']}",
        json={"status": "cancelled", "sprint_at": "2026-12-19T10:00:00Z"},
        headers=admin.headers,
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["sprint_at"] == "2026-12-19T10:00:00Z"
    listed = (await http.get(f"{API}/races?status=cancelled")).json()
    assert [r["id"] for r in listed] == [race["id"]]
    late = await http.patch(
        f"{API}/admin/races/{race['id']}",
        json={"qualifying_at": "2026-12-21T10:00:00Z"},
        headers=admin.headers,
    )
    assert late.status_code == 422
    assert (
        await http.delete(f"{API}/admin/races/{race['id']}", headers=admin.headers)
    ).status_code == 204
    assert (
        await http.delete(f"{API}/admin/races/{race['id']}", headers=admin.headers)
    ).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": "2026-12-20T14:00:00"},  # no timezone
        {"round": "thirty"},
        {"round": 0},
        {"status": "postponed"},
        {"qualifying_at": "2026-12-21T00:00:00Z"},  # after the race
        {"sprint_at": "2026-12-22T00:00:00Z"},
        {"name": ""},
    ],
)
async def test_race_validation(http: httpx.AsyncClient, admin: Any, change: dict[str, Any]) -> None:
    response = await http.post(f"{API}/admin/races", json={**RACE, **change}, headers=admin.headers)
    assert response.status_code == 422


async def test_a_new_season_by_race_becomes_current(
    http: httpx.AsyncClient, seeded: None, admin: Any
) -> None:
    body = {
        **RACE,
        "season": 2027,
        "round": 1,
        "starts_at": "2027-03-07T04:00:00Z",
        "qualifying_at": "2027-03-06T05:00:00Z",
    }
    assert (
        await http.post(f"{API}/admin/races", json=body, headers=admin.headers)
    ).status_code == 201
    races = (await http.get(f"{API}/races")).json()
    assert [r["season"] for r in races] == [2027]
