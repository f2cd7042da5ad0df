"""The seed: packaged seasons and the demo league, idempotent."""

from __future__ import annotations

from typing import Any

from draftroom.db.tables import Account, Driver, DriverEntry, League, Race, Team
from draftroom.services import reference
from draftroom.services.seed import DEMO_BOTS, season_files, seed
from tests.reference.support import table_rows


def test_the_packaged_seasons_are_2026_then_2025() -> None:
    assert [s["season"] for s in season_files()] == [2026, 2025]


async def test_seed_loads_both_seasons(runtime: Any) -> None:
    await seed(runtime, demo=False)
    assert await reference.current_season() == 2026
    assert await DriverEntry.count().where(DriverEntry.season == 2026) == 23
    assert await DriverEntry.count().where(DriverEntry.season == 2025) == 21
    assert await Race.count().where(Race.season == 2026) == 23
    assert await reference.active_driver_count(2026) == 22
    drivers = {d["ref"]: d for d in await reference.list_drivers(2026)}
    constructors = {c["id"]: c for c in await reference.list_constructors(2026)}
    assert constructors[drivers["bortoleto"]["constructor_id"]]["ref"] == "audi"
    assert drivers["hadjar"]["active"] is False
    old = {d["ref"]: d for d in await reference.list_drivers(2025)}
    assert constructors.get(old["bortoleto"]["constructor_id"]) is None  # sauber, not in 2026
    # the driver row holds the latest season's team
    bortoleto = await reference.get_driver(drivers["bortoleto"]["id"])
    assert bortoleto["constructor_id"] == drivers["bortoleto"]["constructor_id"]
    assert await League.count() == 0


async def test_seed_twice_changes_nothing(runtime: Any) -> None:
    await seed(runtime, demo=True)
    before = await table_rows()
    await seed(runtime, demo=True)
    assert await table_rows() == before


async def test_seed_keeps_what_a_sync_changed(runtime: Any) -> None:
    await seed(runtime, demo=False)
    race = await Race.select().where((Race.season == 2026) & (Race.round == 3)).first()
    assert race is not None
    moved = race["starts_at"].replace(year=2026, month=12, day=1)
    await Race.update({Race.starts_at: moved}).where(Race.season == 2026, Race.round == 3)
    await Driver.update({Driver.ref: "lindblad"}).where(Driver.ref == "arvid_lindblad")
    await seed(runtime, demo=False)
    again = await Race.select().where((Race.season == 2026) & (Race.round == 3)).first()
    assert again is not None and again["starts_at"] == moved
    assert not await Driver.exists().where(Driver.ref == "arvid_lindblad")
    assert await Driver.exists().where(Driver.ref == "lindblad")


async def test_demo_league_has_bot_teams_and_one_open_seat(runtime: Any) -> None:
    await seed(runtime, demo=True)
    league = await League.select().where(League.is_demo.eq(True)).first()
    assert league is not None
    assert league["season"] == 2026 and league["is_private"] is False
    teams = await Team.select().where(Team.league == league["id"])
    assert len(teams) == len(DEMO_BOTS) == league["max_teams"] - 1
    assert all(t["is_bot"] for t in teams)
    bots = await Account.select().where(Account.username.is_in([u for u, _ in DEMO_BOTS]))
    assert len(bots) == len(DEMO_BOTS)
    assert all(b["password_hash"].startswith("$argon2") for b in bots)
    assert len({b["password_hash"] for b in bots}) == len(bots)  # generated, not one fixed password


async def test_a_visitor_sees_the_demo_code_and_takes_the_open_seat(
    http: Any, runtime: Any, make_user: Any
) -> None:
    await seed(runtime, demo=True)
    visitor = await make_user("visitor")
    found = await http.get("/api/v1/leagues", params={"q": "demo"}, headers=visitor.headers)
    league_id = found.json()[0]["id"]
    details = (await http.get(f"/api/v1/leagues/{league_id}", headers=visitor.headers)).json()
    assert details["code"] and details["role"] != "member"
    joined = await http.post(
        "/api/v1/leagues/join",
        json={"code": details["code"], "team_name": "Visitors"},
        headers=visitor.headers,
    )
    assert joined.status_code == 201, joined.text
    full = await http.post(
        "/api/v1/leagues/join",
        json={"code": details["code"], "team_name": "Too Late"},
        headers=(await make_user("latecomer")).headers,
    )
    assert full.status_code == 409
