"""A full snake draft over REST, queue, autodraft switch, captains and the read routes."""

from __future__ import annotations

from typing import Any

from tests.drafts.conftest import assert_contiguous, create_draft, events, start
from tests.support.leagues import snake_team

API = "/api/v1"


async def test_full_snake_draft_over_rest(http: Any, world: Any) -> None:
    w = await world(teams=4, settings={"picks_per_team": 3})
    created = await create_draft(http, w)
    assert created["status"] == "scheduled"
    assert sorted(created["order"]) == sorted(w.team_of.values())
    assert created["seq"] == 0
    assert created["locks_at"] is not None
    draft_id = created["id"]
    state = await start(http, w, draft_id)
    assert state["status"] == "live"
    order = state["order"]
    drivers = list(w.drivers)
    made = []
    for pick_no in range(1, 13):
        team = snake_team(order, pick_no)
        owner = w.owner(team)
        r = await http.post(
            f"{API}/drafts/{draft_id}/picks",
            json={"pick_no": pick_no, "driver_id": drivers[pick_no - 1]},
            headers=owner.headers,
        )
        assert r.status_code == 201, r.text
        pick = r.json()
        assert (pick["pick_no"], pick["team_id"], pick["by"]) == (pick_no, team, "user")
        assert pick["round"] == (pick_no - 1) // 4 + 1
        made.append(pick)
    final = (await http.get(f"{API}/drafts/{draft_id}", headers=w.users[1].headers)).json()
    assert final["status"] == "complete"
    assert final["current"] is None
    picks = (await http.get(f"{API}/drafts/{draft_id}/picks", headers=w.users[2].headers)).json()
    assert [(p["pick_no"], p["team_id"], p["driver_id"]) for p in picks] == [
        (p["pick_no"], p["team_id"], p["driver_id"]) for p in made
    ]
    log = await events(http, w, draft_id)
    assert_contiguous(log)
    types = [e["type"] for e in log]
    assert types[:2] == ["draft:started", "draft:turn"]
    assert types[-1] == "draft:complete"
    assert types.count("draft:pick") == 12 and types.count("draft:turn") == 12
    logged = [(e["data"]["pick_no"], e["data"]["team_id"], e["data"]["driver_id"])
              for e in log if e["type"] == "draft:pick"]  # fmt: skip
    assert logged == [(p["pick_no"], p["team_id"], p["driver_id"]) for p in picks]
    assert final["seq"] == len(log)
    tail = await events(http, w, draft_id, after=len(log) - 2)
    assert [e["seq"] for e in tail] == [len(log) - 1, len(log)]
    listed = await http.get(f"{API}/leagues/{w.league_id}/drafts", headers=w.users[3].headers)
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()] == [draft_id]


async def test_drafts_listed_newest_first(http: Any, world: Any) -> None:
    w = await world(teams=2)
    first = await create_draft(http, w, w.races[0])
    second = await create_draft(http, w, w.races[1])
    r = await http.get(f"{API}/leagues/{w.league_id}/drafts", headers=w.users[1].headers)
    assert [d["id"] for d in r.json()] == [second["id"], first["id"]]
    assert r.json()[0]["status"] == "scheduled"


async def test_queue_drives_the_commissioner_free_autopick(http: Any, world: Any) -> None:
    w = await world(teams=2)
    draft_id = (await create_draft(http, w))["id"]
    state = await start(http, w, draft_id)
    second = w.owner(state["order"][1])
    wanted = [w.drivers[5], w.drivers[7]]
    r = await http.put(
        f"{API}/drafts/{draft_id}/queue", json={"driver_ids": wanted}, headers=second.headers
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"draft_id": draft_id, "driver_ids": wanted, "autodraft": False}
    mine = (await http.get(f"{API}/drafts/{draft_id}", headers=second.headers)).json()["me"]
    assert mine["queue"] == wanted
    # autodraft on while not on the clock: nothing happens until the team's turn
    r = await http.put(
        f"{API}/drafts/{draft_id}/autodraft", json={"enabled": True}, headers=second.headers
    )
    assert r.json()["autodraft"] is True
    first = w.owner(state["order"][0])
    r = await http.post(
        f"{API}/drafts/{draft_id}/picks",
        json={"pick_no": 1, "driver_id": w.drivers[5]},
        headers=first.headers,
    )
    assert r.status_code == 201
    # the second team is on the clock with autodraft on: picks 2 and 3 are made at once
    picks = (await http.get(f"{API}/drafts/{draft_id}/picks", headers=first.headers)).json()
    assert [(p["pick_no"], p["driver_id"], p["by"]) for p in picks] == [
        (1, w.drivers[5], "user"),
        (2, w.drivers[7], "auto"),
        (3, w.drivers[0], "auto"),  # queue exhausted: the best by ranking (car number 1)
    ]


async def test_captain_defaults_and_can_be_named_until_lock(http: Any, world: Any) -> None:
    from draftroom.services.drafts.captains import captains_for_race

    w = await world(teams=2, settings={"picks_per_team": 2})
    draft_id = (await create_draft(http, w))["id"]
    order = (await start(http, w, draft_id))["order"]
    for pick_no in range(1, 5):
        team = snake_team(order, pick_no)
        r = await http.post(
            f"{API}/drafts/{draft_id}/picks",
            json={"pick_no": pick_no, "driver_id": w.drivers[pick_no]},
            headers=w.owner(team).headers,
        )
        assert r.status_code == 201
    first_team = order[0]
    assert (await captains_for_race(w.league_id, w.race_id))[first_team] == w.drivers[1]
    owner = w.owner(first_team)
    url = f"{API}/teams/{first_team}/races/{w.race_id}/captain"
    r = await http.put(url, json={"driver_id": w.drivers[4]}, headers=owner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["driver_id"] == w.drivers[4]
    assert (await captains_for_race(w.league_id, w.race_id))[first_team] == w.drivers[4]
    r = await http.put(url, json={"driver_id": w.drivers[2]}, headers=owner.headers)
    assert r.status_code == 422  # the other team's driver
    other = w.owner(order[1])
    r = await http.put(url, json={"driver_id": w.drivers[1]}, headers=other.headers)
    assert r.status_code == 403
    # after lock nothing changes
    from draftroom.db.engine import DB

    await DB.pool.execute("UPDATE draft SET locks_at = now() - interval '1 second'")
    r = await http.put(url, json={"driver_id": w.drivers[1]}, headers=owner.headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "draft_locked"
