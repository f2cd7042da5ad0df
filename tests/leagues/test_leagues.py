"""League routes: create, list, search, details, change, delete, invite codes."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from draftroom.db.tables import League
from draftroom.services.leagues import CODE_ALPHABET, new_code
from tests.leagues.conftest import CreateLeague
from tests.leagues.helpers import add_draft, join

API = "/api/v1"


async def test_create_league(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    alice = await make_user("alice")
    league = await create_league(alice, settings={"pick_seconds": 30})
    assert league["name"] == "Grid Pals" and league["season"] == 2026
    assert league["commissioner_id"] == alice.id and league["role"] == "commissioner"
    assert league["is_private"] is True and league["max_teams"] == 4
    assert league["settings"]["pick_seconds"] == 30
    assert league["settings"]["draft_type"] == "snake"  # defaults filled in
    assert len(league["teams"]) == 1 and league["teams"][0]["user_id"] == alice.id
    assert league["my_team_id"] == league["teams"][0]["id"]
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", league["code"])
    older = await create_league(alice, season=2025, name="Old times")
    assert older["season"] == 2025


def test_invite_codes_avoid_ambiguous_characters() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    assert not set("".join(codes)) & set("0O1IL")
    assert all(len(c) == 8 for c in codes)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"team_name": "   "}, "team_name"),
        ({"team_name": "t" * 41}, "team_name"),
        ({"max_teams": 1}, "max_teams"),
        ({"max_teams": 12}, "max_teams"),
        ({"max_teams": "4"}, "max_teams"),
        ({"is_private": "yes"}, "is_private"),
        ({"season": 1990}, "season"),
        ({"season": "2026"}, "season"),
        ({"settings": {"pick_seconds": 3}}, "settings.pick_seconds"),
        ({"settings": {"draft_type": "pinball"}}, "settings.draft_type"),
        ({"settings": {"scoring": {"dnf": 3}}}, "settings.scoring.dnf"),
        ({"settings": {"nope": 1}}, "settings.nope"),
        ({"settings": "snake"}, "settings"),
        ({"max_teams": 11, "settings": {"picks_per_team": 3}}, "max_teams"),
    ],
)
async def test_create_league_validation(
    http: httpx.AsyncClient, seeded: None, make_user: Any, change: dict[str, Any], field: str
) -> None:
    alice = await make_user("alice")
    body = {"name": "L", "is_private": True, "max_teams": 4, "team_name": "T", **change}
    response = await http.post(f"{API}/leagues", json=body, headers=alice.headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [d["field"] for d in error["details"]]


async def test_pool_size_limits_teams_times_picks(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    alice = await make_user("alice")
    ok = await create_league(alice, max_teams=11, settings={"picks_per_team": 2})  # 22 active
    assert ok["max_teams"] == 11
    body = {
        "name": "L",
        "is_private": True,
        "max_teams": 6,
        "team_name": "T",
        "settings": {"picks_per_team": 4},
    }
    response = await http.post(f"{API}/leagues", json=body, headers=alice.headers)
    assert response.status_code == 422


async def test_creating_needs_a_login(http: httpx.AsyncClient, seeded: None) -> None:
    body = {"name": "L", "is_private": True, "max_teams": 4, "team_name": "T"}
    assert (await http.post(f"{API}/leagues", json=body)).status_code == 401
    for path in ("/leagues", "/leagues/mine", "/leagues/1"):
        assert (await http.get(f"{API}{path}")).status_code == 401


async def test_malformed_json_is_400(http: httpx.AsyncClient, make_user: Any) -> None:
    alice = await make_user("alice")
    response = await http.post(
        f"{API}/leagues",
        content=b"{not json",
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400


async def test_public_list_search_and_pagination(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    for i in range(5):
        await create_league(alice, name=f"Tifosi {i}", is_private=False)
    await create_league(alice, name="Secret 100%_club", is_private=True)
    await create_league(alice, name="Orange 100%_army", is_private=False)
    response = await http.get(f"{API}/leagues", headers=bob.headers)
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "6"
    names = [item["name"] for item in response.json()]
    assert "Secret 100%_club" not in names and names[0] == "Orange 100%_army"  # newest first
    assert set(response.json()[0]) >= {"id", "name", "season", "team_count", "max_teams"}
    assert "code" not in response.json()[0]
    search = await http.get(f"{API}/leagues", params={"q": "tifosi"}, headers=bob.headers)
    assert search.headers["X-Total-Count"] == "5"
    assert len(search.json()) == 5
    literal = await http.get(f"{API}/leagues", params={"q": "100%_"}, headers=bob.headers)
    assert [i["name"] for i in literal.json()] == ["Orange 100%_army"]
    page = await http.get(f"{API}/leagues?q=tifosi&page=2&per_page=2", headers=bob.headers)
    assert page.headers["X-Total-Count"] == "5"
    assert [i["name"] for i in page.json()] == ["Tifosi 2", "Tifosi 1"]
    past = await http.get(f"{API}/leagues?q=tifosi&page=9&per_page=2", headers=bob.headers)
    assert past.json() == [] and past.headers["X-Total-Count"] == "5"
    capped = await http.get(f"{API}/leagues?per_page=5000", headers=bob.headers)
    assert capped.status_code == 200 and len(capped.json()) == 6
    for bad in ("page=0", "per_page=0", "page=x", "per_page=-3"):
        assert (await http.get(f"{API}/leagues?{bad}", headers=bob.headers)).status_code == 422


async def test_my_leagues(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    mine = await create_league(alice, name="Mine")
    other = await create_league(bob, name="Bob's")
    assert (await join(http, alice, other["code"], "Alice Two")).status_code == 201
    await create_league(bob, name="Not mine")
    response = await http.get(f"{API}/leagues/mine", headers=alice.headers)
    assert response.status_code == 200
    items = {i["name"]: i for i in response.json()}
    assert set(items) == {"Mine", "Bob's"}
    assert items["Mine"]["role"] == "commissioner" and items["Bob's"]["role"] == "member"
    assert items["Bob's"]["team_name"] == "Alice Two"
    assert items["Mine"]["team_id"] == mine["my_team_id"]
    assert items["Bob's"]["team_count"] == 2


async def test_details_permission_matrix(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    owner, member, stranger = [await make_user(n) for n in ("owner", "member", "stranger")]
    admin = await make_user("root", is_admin=True)
    private = await create_league(owner, is_private=True)
    public = await create_league(owner, is_private=False, name="Open")
    assert (await join(http, member, private["code"], "M1")).status_code == 201
    assert (await join(http, member, public["code"], "M1")).status_code == 201
    url = f"{API}/leagues/{private['id']}"
    hidden = await http.get(url, headers=stranger.headers)
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    as_member = (await http.get(url, headers=member.headers)).json()
    assert as_member["code"] == private["code"] and as_member["role"] == "member"
    assert len(as_member["teams"]) == 2 and as_member["settings"]["pick_seconds"] == 60
    as_admin = (await http.get(url, headers=admin.headers)).json()
    assert as_admin["code"] == private["code"] and as_admin["role"] == "none"
    seen = await http.get(f"{API}/leagues/{public['id']}", headers=stranger.headers)
    assert seen.status_code == 200
    assert seen.json()["code"] is None and seen.json()["role"] == "none"
    assert len(seen.json()["teams"]) == 2
    assert (await http.get(f"{API}/leagues/999999", headers=owner.headers)).status_code == 404
    assert (await http.get(f"{API}/leagues/abc", headers=owner.headers)).status_code == 404


@pytest.mark.parametrize(
    ("who", "private", "status"),
    [
        ("stranger", True, 404),
        ("stranger", False, 403),
        ("member", True, 403),
        ("member", False, 403),
        ("owner", True, 200),
        ("admin", True, 200),
    ],
)
async def test_patch_permission_matrix(
    http: httpx.AsyncClient,
    make_user: Any,
    create_league: CreateLeague,
    who: str,
    private: bool,
    status: int,
) -> None:
    users = {n: await make_user(n) for n in ("owner", "member", "stranger")}
    users["admin"] = await make_user("root", is_admin=True)
    league = await create_league(users["owner"], is_private=private)
    await join(http, users["member"], league["code"], "Member team")
    response = await http.patch(
        f"{API}/leagues/{league['id']}", json={"name": "Renamed"}, headers=users[who].headers
    )
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["name"] == "Renamed"


async def test_patch_changes_and_validation(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    owner, member = await make_user("owner"), await make_user("member")
    league = await create_league(owner, settings={"pick_seconds": 30, "scoring": {"pole": 2}})
    await join(http, member, league["code"], "Member team")
    url = f"{API}/leagues/{league['id']}"
    changed = await http.patch(
        url,
        json={
            "is_private": False,
            "max_teams": 6,
            "settings": {"spectators": "public", "scoring": {"dnf": -2}},
        },
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["is_private"] is False and body["max_teams"] == 6
    assert body["settings"]["pick_seconds"] == 30  # unsent keys keep their value
    assert body["settings"]["scoring"] == {"pole": 2, "dnf": -2}
    assert body["settings"]["spectators"] == "public"
    reset = await http.patch(url, json={"settings": {"pick_seconds": None}}, headers=owner.headers)
    assert reset.json()["settings"]["pick_seconds"] == 60
    for bad in (
        {"max_teams": 1},
        {"max_teams": "6"},
        {"name": ""},
        {"settings": {"captain_multiplier": 5}},
        {"settings": {"picks_per_team": 4}, "max_teams": 11},
        {"code": "AAAAAAAA"},
    ):
        response = await http.patch(url, json=bad, headers=owner.headers)
        assert response.status_code == 422, (bad, response.text)
    exact = await http.patch(url, json={"max_teams": 2}, headers=owner.headers)
    assert exact.status_code == 200  # two teams fit in two seats
    shrink = await http.patch(url, json={"max_teams": 3}, headers=owner.headers)
    assert shrink.status_code == 200
    bob = await make_user("bob")
    assert (await join(http, bob, league["code"], "Bob team")).status_code == 201
    refused = await http.patch(url, json={"max_teams": 2}, headers=owner.headers)
    assert refused.status_code == 409


@pytest.mark.parametrize("status", ["live", "paused"])
async def test_draft_bound_settings_are_frozen_during_a_draft(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague, status: str
) -> None:
    owner = await make_user("owner")
    league = await create_league(owner)
    await add_draft(league["id"], status)
    url = f"{API}/leagues/{league['id']}"
    refused = await http.patch(url, json={"settings": {"pick_seconds": 20}}, headers=owner.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["details"] == {"settings": ["pick_seconds"]}
    allowed = await http.patch(
        url,
        json={"name": "Still fine", "settings": {"captain_multiplier": 2}},
        headers=owner.headers,
    )
    assert allowed.status_code == 200
    assert allowed.json()["settings"]["captain_multiplier"] == 2.0
    assert (await http.delete(url, headers=owner.headers)).status_code == 409


async def test_draft_bound_settings_change_outside_a_draft(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    owner = await make_user("owner")
    league = await create_league(owner)
    await add_draft(league["id"], "complete")
    response = await http.patch(
        f"{API}/leagues/{league['id']}",
        json={"settings": {"draft_type": "linear"}},
        headers=owner.headers,
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "status"), [("stranger", 404), ("member", 403), ("owner", 204), ("admin", 204)]
)
async def test_delete_permission_matrix(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague, who: str, status: int
) -> None:
    users = {n: await make_user(n) for n in ("owner", "member", "stranger")}
    users["admin"] = await make_user("root", is_admin=True)
    league = await create_league(users["owner"])
    await join(http, users["member"], league["code"], "Member team")
    response = await http.delete(f"{API}/leagues/{league['id']}", headers=users[who].headers)
    assert response.status_code == status
    assert await League.exists().where(League.code == league["code"]) == (status != 204)


@pytest.mark.parametrize(
    ("who", "status"), [("stranger", 404), ("member", 403), ("owner", 200), ("admin", 200)]
)
async def test_regenerate_code(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague, who: str, status: int
) -> None:
    users = {n: await make_user(n) for n in ("owner", "member", "stranger", "late")}
    users["admin"] = await make_user("root", is_admin=True)
    league = await create_league(users["owner"])
    await join(http, users["member"], league["code"], "Member team")
    response = await http.post(f"{API}/leagues/{league['id']}/code", headers=users[who].headers)
    assert response.status_code == status
    if status == 200:
        code = response.json()["code"]
        assert code != league["code"] and len(code) == 8
        assert (await join(http, users["late"], league["code"], "Late")).status_code == 404
        assert (await join(http, users["late"], code, "Late")).status_code == 201
