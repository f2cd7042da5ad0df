"""Public reference routes: filtering, shapes, HTTP caching."""

from __future__ import annotations

import httpx
import pytest

API = "/api/v1"


async def test_drivers_default_to_the_current_season(http: httpx.AsyncClient, seeded: None) -> None:
    response = await http.get(f"{API}/drivers")
    assert response.status_code == 200
    drivers = response.json()
    assert len(drivers) == 23
    assert set(drivers[0]) == {
        "id",
        "ref",
        "code",
        "number",
        "given_name",
        "family_name",
        "nationality",
        "constructor_id",
        "active",
    }
    refs = {d["ref"] for d in drivers}
    assert "bottas" in refs and "doohan" not in refs
    again = await http.get(f"{API}/drivers", params={"season": 2026})
    assert again.json() == drivers


async def test_drivers_of_a_season_carry_that_seasons_team(
    http: httpx.AsyncClient, seeded: None
) -> None:
    old = {d["ref"]: d for d in (await http.get(f"{API}/drivers?season=2025")).json()}
    new = {d["ref"]: d for d in (await http.get(f"{API}/drivers?season=2026")).json()}
    assert len(old) == 21 and old["doohan"]["active"] is False
    assert old["tsunoda"]["constructor_id"] != new["tsunoda"]["constructor_id"]
    assert (await http.get(f"{API}/drivers?season=1999")).json() == []


async def test_one_driver_and_unknown_ids(http: httpx.AsyncClient, seeded: None) -> None:
    drivers = (await http.get(f"{API}/drivers")).json()
    verstappen = next(d for d in drivers if d["ref"] == "max_verstappen")
    response = await http.get(f"{API}/drivers/{verstappen['id']}")
    assert response.status_code == 200
    assert response.json() == verstappen
    assert verstappen["code"] == "VER" and verstappen["number"] == 3
    missing = await http.get(f"{API}/drivers/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


async def test_constructors(http: httpx.AsyncClient, seeded: None) -> None:
    teams = (await http.get(f"{API}/constructors")).json()
    assert {t["ref"] for t in teams} >= {"cadillac", "audi", "red_bull"}
    assert len(teams) == 11
    ferrari = next(t for t in teams if t["ref"] == "ferrari")
    assert set(ferrari) == {"id", "ref", "name", "nationality", "color"}
    assert ferrari["color"].startswith("#") and len(ferrari["color"]) == 7
    one = await http.get(f"{API}/constructors/{ferrari['id']}")
    assert one.json() == ferrari
    old = {t["ref"] for t in (await http.get(f"{API}/constructors?season=2025")).json()}
    assert "sauber" in old and "cadillac" not in old
    assert (await http.get(f"{API}/constructors/999999")).status_code == 404


async def test_races_filter_by_season_and_status(http: httpx.AsyncClient, seeded: None) -> None:
    races = (await http.get(f"{API}/races")).json()
    assert len(races) == 23
    assert [r["round"] for r in races] == list(range(1, 24))
    first = races[0]
    assert first["season"] == 2026 and first["name"] == "Australian Grand Prix"
    assert first["starts_at"] == "2026-03-08T04:00:00Z"
    assert first["qualifying_at"] == "2026-03-07T05:00:00Z"
    assert first["sprint_at"] is None and races[1]["sprint_at"] == "2026-03-14T03:00:00Z"
    assert first["status"] == "scheduled"
    assert len((await http.get(f"{API}/races?season=2026&status=scheduled")).json()) == 23
    assert (await http.get(f"{API}/races?season=2026&status=final")).json() == []
    one = await http.get(f"{API}/races/{first['id']}")
    assert one.json() == first
    assert (await http.get(f"{API}/races/999999")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/races?status=finished",
        "/races?season=abc",
        "/drivers?season=twenty",
        "/constructors?season=x",
    ],
)
async def test_bad_filters_are_422(http: httpx.AsyncClient, seeded: None, path: str) -> None:
    response = await http.get(f"{API}{path}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("path", ["/drivers", "/constructors", "/races", "/races?season=2025"])
async def test_cache_headers_and_etag_304(http: httpx.AsyncClient, seeded: None, path: str) -> None:
    response = await http.get(f"{API}{path}")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    cached = await http.get(f"{API}{path}", headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["ETag"] == etag
    listed = await http.get(f"{API}{path}", headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    stale = await http.get(f"{API}{path}", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.json() == response.json()


async def test_etag_changes_with_the_data(http: httpx.AsyncClient, seeded: None, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = await make_user("root", is_admin=True)
    race = (await http.get(f"{API}/races")).json()[0]
    before = await http.get(f"{API}/races/{race['id']}")
    patched = await http.patch(
        f"{API}/admin/races/{race['id']}", json={"name": "Melbourne GP"}, headers=admin.headers
    )
    assert patched.status_code == 200
    after = await http.get(
        f"{API}/races/{race['id']}", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert after.status_code == 200
    assert after.json()["name"] == "Melbourne GP"
    assert after.headers["ETag"] != before.headers["ETag"]


async def test_reference_routes_are_public_with_no_data(http: httpx.AsyncClient) -> None:
    for path in ("/drivers", "/constructors", "/races"):
        response = await http.get(f"{API}{path}")
        assert response.status_code == 200
        assert response.json() == []


async def test_openapi_documents_the_routes(http: httpx.AsyncClient) -> None:
    response = await http.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/drivers",
        "/api/v1/races/{race_id}",
        "/api/v1/leagues",
        "/api/v1/leagues/join",
        "/api/v1/admin/sync",
        "/api/v1/admin/races/{race_id}",
    ):
        assert path in paths, path
