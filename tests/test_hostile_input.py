"""Client input never causes a 500 (issue 15, defect 4): out-of-range integers, bodies that
are not UTF-8, NUL bytes, nulls where a value is required, and a sprint at the epoch."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

API = "/api/v1"
BIG = 2**31  # one past PostgreSQL's int32


@pytest.fixture
async def users(make_user: Any) -> tuple[Any, Any]:
    return await make_user("plain"), await make_user("boss", is_admin=True)


def assert_error(response: httpx.Response, statuses: set[int], code: str | None = None) -> None:
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"]["message"], str), body
    if code is not None:
        assert body["error"]["code"] == code, body


@pytest.mark.parametrize(
    "path",
    [
        f"/races/{BIG}",
        f"/races/{BIG}/entries",
        f"/races/{BIG}/results",
        f"/drivers/{BIG}",
        f"/drivers/{BIG}/stats",
        f"/constructors/{BIG}",
        f"/leagues/{BIG}",
        f"/leagues/{BIG}/standings",
        f"/drafts/{BIG}",
        f"/drafts/{BIG}/events",
        f"/teams/{BIG}/history",
        f"/races?season={BIG}",
        f"/drivers?season={BIG}",
        f"/constructors?season={BIG}",
        f"/drivers/rankings?season={BIG}",
        f"/drivers/1/stats?season={BIG}",
        f"/leagues?page={BIG}",
        f"/leagues?per_page={BIG}",
        f"/leagues?season={BIG}",
        f"/notifications?page={BIG}",
        f"/drafts/1/events?after_seq={BIG}",
        "/leagues?q=a%00b",
    ],
)
async def test_out_of_range_ids_and_nul_in_query(
    path: str, http: httpx.AsyncClient, users: tuple[Any, Any]
) -> None:
    response = await http.get(API + path, headers=users[0].headers)
    assert_error(response, {404, 422})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/leagues", {"name": "x", "is_private": True, "max_teams": 4,
                              "team_name": "t", "season": BIG}),
        ("POST", "/leagues", {"name": "a\u0000b", "is_private": True, "max_teams": 4,
                              "team_name": "t"}),
        ("POST", "/leagues/join", {"code": "ABCD\u0000EFG", "team_name": "t"}),
        ("POST", f"/drafts/{BIG}/picks", {"pick_no": 1, "driver_id": 1}),
        ("POST", "/drafts/1/picks", {"pick_no": BIG, "driver_id": BIG}),
        ("PUT", "/drafts/1/queue", {"driver_ids": [BIG]}),
        ("PUT", f"/teams/1/races/{BIG}/captain", {"driver_id": BIG}),
        ("POST", "/leagues/1/drafts", {"race_id": BIG}),
        ("PATCH", "/users/me", {"display_name": "a\u0000"}),
        ("POST", f"/notifications/{BIG}/read", None),
    ],
)  # fmt: skip
async def test_out_of_range_and_nul_in_bodies(
    method: str, path: str, body: Any, http: httpx.AsyncClient, users: tuple[Any, Any]
) -> None:
    response = await http.request(method, API + path, json=body, headers=users[0].headers)
    assert_error(response, {400, 403, 404, 409, 422})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/admin/races/{race}", {"season": None}),
        ("PATCH", "/admin/races/{race}", {"round": None}),
        ("PATCH", "/admin/races/{race}", {"name": None}),
        ("PATCH", "/admin/races/{race}", {"season": BIG}),
        ("PATCH", "/admin/races/{race}", {"sprint_at": 0}),
        ("PATCH", "/admin/races/{race}", {"name": "x\u0000"}),
        ("POST", "/admin/races", {"season": 2026, "round": 31, "name": "N", "circuit": "c",
                                  "country": "c", "starts_at": "2026-12-20T14:00:00Z",
                                  "qualifying_at": "2026-12-19T14:00:00Z", "sprint_at": 0}),
        ("POST", "/admin/drivers", {"ref": "newguy", "given_name": "A\u0000",
                                    "family_name": "B"}),
        ("PATCH", f"/admin/drivers/{BIG}", {"given_name": "A"}),
        ("POST", "/admin/sync", {"season": BIG}),
    ],
)  # fmt: skip
async def test_admin_bad_values(
    method: str, path: str, body: Any, http: httpx.AsyncClient, users: tuple[Any, Any]
) -> None:
    from tests.support.leagues import seed_reference

    _drivers, races = await seed_reference()
    response = await http.request(
        method, API + path.format(race=races[0]), json=body, headers=users[1].headers
    )
    assert_error(response, {404, 422})


@pytest.mark.parametrize(
    "path", ["/auth/login", "/auth/register", "/auth/refresh", "/leagues", "/users/me"]
)
@pytest.mark.parametrize("raw", [b"\xff\xfe{", b'{"username": "\xff"}', b"\x00"])
async def test_body_not_utf8_is_malformed_json(
    path: str, raw: bytes, http: httpx.AsyncClient, users: tuple[Any, Any]
) -> None:
    method = "PATCH" if path == "/users/me" else "POST"
    response = await http.request(
        method,
        API + path,
        content=raw,
        headers={"Content-Type": "application/json", **users[0].headers},
    )
    assert_error(response, {400}, "malformed_json")
