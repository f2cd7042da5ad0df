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


async def test_every_visitor_gets_a_demo_seat(http: Any, runtime: Any, make_user: Any) -> None:
    """The open seat first, then one bot team each (never the commissioner's); then a new
    public demo league opens, listed first; a taken name or a second join loses nothing."""
    await seed(runtime, demo=True)
    first = await make_user("visitor")
    found = await http.get("/api/v1/leagues", params={"q": "demo"}, headers=first.headers)
    league_id = found.json()[0]["id"]
    details = (await http.get(f"/api/v1/leagues/{league_id}", headers=first.headers)).json()
    assert details["code"] and details["role"] != "member"
    code = details["code"]

    async def join(user: Any, team: str) -> Any:
        body = {"code": code, "team_name": team}
        return await http.post("/api/v1/leagues/join", json=body, headers=user.headers)

    opened = await join(first, "Visitors")
    assert opened.status_code == 201, opened.text
    assert opened.json()["league_id"] == league_id
    assert (await join(first, "Again")).status_code == 409  # one team per visitor
    bots_before = {t["id"] for t in await Team.select().where(Team.league == league_id)
                   if t["is_bot"]}  # fmt: skip
    taken = await join(await make_user("copycat"), "Box Box Bots")  # a bot team's name
    assert taken.status_code == 409
    assert {t["id"] for t in await Team.select().where(Team.league == league_id)
            if t["is_bot"]} == bots_before  # fmt: skip
    league = await League.select().where(League.id == league_id).first()
    assert league is not None
    seats = []
    for i in range(len(DEMO_BOTS) - 1):  # every bot but the commissioner's is taken over
        joined = await join(await make_user(f"late{i}"), f"Late {i}")
        assert joined.status_code == 201, joined.text
        team = joined.json()
        assert team["league_id"] == league_id and team["is_bot"] is False
        assert team["id"] in bots_before and team["name"] == f"Late {i}"
        seats.append(team["id"])
    assert len(set(seats)) == len(DEMO_BOTS) - 1
    teams = await Team.select().where(Team.league == league_id)
    assert len(teams) == league["max_teams"]
    assert [t["user"] for t in teams if t["is_bot"]] == [league["commissioner"]]

    overflow = await join(await make_user("overflow"), "Overflow")
    assert overflow.status_code == 201, overflow.text
    second_id = overflow.json()["league_id"]
    assert second_id != league_id
    listed = (await http.get("/api/v1/leagues", headers=first.headers)).json()
    assert [x["id"] for x in listed[:2]] == [second_id, league_id]
    assert listed[0]["name"] == "Demo League 2"
    second = await Team.select().where(Team.league == second_id)
    assert sum(t["is_bot"] for t in second) == len(DEMO_BOTS)
    again = await join(await make_user("next"), "Next")  # the old code: the newest demo
    assert again.status_code == 201 and again.json()["league_id"] == second_id


async def test_the_demo_league_is_public_to_anonymous_visitors(http: Any, runtime: Any) -> None:
    missing = await http.get("/api/v1/demo")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    await seed(runtime, demo=True)
    demo = await http.get("/api/v1/demo")  # no token
    assert demo.status_code == 200, demo.text
    body = demo.json()
    assert body["is_demo"] is True and body["code"] and body["role"] == "none"
    assert len(body["teams"]) == len(DEMO_BOTS)
