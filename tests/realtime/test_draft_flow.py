"""A whole snake draft over real websockets: 4 team owners and a spectator."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.realtime.conftest import create_draft
from tests.support.contract import checked_client
from tests.support.leagues import make_league, snake_team


async def test_full_snake_draft_seen_by_everyone(
    live_server: str, make_user: Any, runtime: Any, open_client: Any
) -> None:
    room = await make_league(
        make_user, teams=4, is_private=False,
        settings={"draft_type": "snake", "picks_per_team": 2, "spectators": "public"},
    )  # fmt: skip
    draft_id = await create_draft(runtime, room)
    owners = {room.team_of[u.id]: await open_client(room.league_id, u) for u in room.users}
    viewer = await make_user("viewer")
    spectator = await open_client(room.league_id, viewer)
    everyone = [*owners.values(), spectator]
    for client in everyone:
        await client.wait_for(lambda c=client: bool(c.state()))
        assert client.state()["id"] == draft_id
        assert client.state()["status"] == "scheduled"
    order = spectator.state()["order"]
    assert sorted(order) == sorted(owners)
    commissioner = owners[room.team_of[room.commissioner.id]]

    ack = await commissioner.call("draft:start", {"draft_id": draft_id})
    assert ack["ok"] is True, ack
    total = len(order) * 2
    for pick_no in range(1, total + 1):
        team = snake_team(order, pick_no)
        client = owners[team]
        await client.wait_for(
            lambda c=client, n=pick_no: any(t["pick_no"] == n for t in c.events_named("draft:turn"))
        )
        turn = next(t for t in client.events_named("draft:turn") if t["pick_no"] == pick_no)
        assert turn["team_id"] == team
        driver = room.drivers[pick_no - 1]
        ack = await client.call(
            "pick", {"draft_id": draft_id, "pick_no": pick_no, "driver_id": driver}
        )
        assert ack["ok"] is True, ack
        assert (ack["pick_no"], ack["team_id"], ack["driver_id"], ack["by"]) == (
            pick_no, team, driver, "user",
        )  # fmt: skip
    last_seq = ack["seq"]

    # a spectator watches read-only
    refused = await spectator.call("pick", {"draft_id": draft_id, "pick_no": 1, "driver_id": 1})
    assert refused == {"ok": False, "error": refused["error"]}
    assert refused["error"]["code"] == "forbidden"

    await asyncio.gather(*(c.wait_seq(draft_id, last_seq) for c in everyone))
    reference = spectator.log(draft_id)
    types = [event for _, event, _ in reference]
    assert types == ["draft:started", "draft:turn"] + ["draft:pick", "draft:turn"] * (total - 1) + [
        "draft:pick",
        "draft:complete",
    ]
    for client in everyone:
        assert client.log(draft_id) == reference
        live = client.live[draft_id]
        assert sorted(live) == list(range(1, last_seq + 1)), "every event arrived live, once"
        for _, _, data in client.log(draft_id):
            assert data["draft_id"] == draft_id and isinstance(data["at"], int)

    socket_picks = [
        (p["pick_no"], p["round"], p["team_id"], p["driver_id"], p["by"])
        for p in spectator.picks(draft_id)
    ]
    async with checked_client(base_url=live_server) as http:
        response = await http.get(
            f"/api/v1/drafts/{draft_id}/picks", headers=room.commissioner.headers
        )
    assert response.status_code == 200, response.text
    rest_picks = [
        (p["pick_no"], p["round"], p["team_id"], p["driver_id"], p["by"]) for p in response.json()
    ]
    assert rest_picks == socket_picks
    assert [p[0] for p in socket_picks] == list(range(1, total + 1))
    assert len({p[3] for p in socket_picks}) == total
