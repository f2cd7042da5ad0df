"""Public watch mode: a connect without a token may watch a public demo league's draft
room read-only (state, live events, sync); every other league still refuses it."""

from __future__ import annotations

from typing import Any

import pytest
import socketio

from tests.realtime.client import RoomClient
from tests.realtime.conftest import create_draft
from tests.support.leagues import make_league, seed_reference, snake_team


async def demo_room(make_user: Any) -> Any:
    from draftroom.db.engine import DB

    room = await make_league(
        make_user, teams=3, bots=2, is_private=False, settings={"spectators": "public"}
    )
    await DB.pool.execute("UPDATE league SET is_demo = true WHERE id = $1", room.league_id)
    return room


async def test_anonymous_visitor_watches_a_demo_draft_live(
    live_server: str, make_user: Any, runtime: Any, open_client: Any, clients: list[Any]
) -> None:
    room = await demo_room(make_user)
    draft_id = await create_draft(runtime, room)
    owner = await open_client(room.league_id, room.commissioner)
    await owner.wait_for(lambda: bool(owner.state()))
    assert (await owner.call("draft:start", {"draft_id": draft_id}))["ok"]

    visitor = RoomClient(live_server, room.league_id, "", name="anonymous")
    clients.append(visitor)
    await visitor.connect()
    await visitor.wait_for(lambda: bool(visitor.state()))
    state = visitor.state()
    assert state["id"] == draft_id and state["status"] == "live"
    assert state.get("me") is None  # nobody's queue
    await visitor.wait_for(lambda: any(p.get("spectators") for p in visitor.presence))

    # a pick made by the team on the clock reaches the anonymous visitor live
    order = state["order"]
    team = snake_team(order, 1)
    user = room.owner(team)
    client = owner if user is room.commissioner else await open_client(room.league_id, user)
    ack = await client.call(
        "pick", {"draft_id": draft_id, "pick_no": 1, "driver_id": room.drivers[0]}
    )
    assert ack["ok"], ack
    await visitor.wait_for(
        lambda: (
            any(p["pick_no"] == 1 for p in (visitor.state() or {}).get("picks", []))
            or any(e == "draft:pick" for e, _ in visitor.received)
        )
    )

    # read-only: sync works, acting is forbidden
    synced = await visitor.call("sync", {"draft_id": draft_id, "after_seq": 0})
    assert synced["ok"], synced
    refused = await visitor.call(
        "pick", {"draft_id": draft_id, "pick_no": 2, "driver_id": room.drivers[1]}
    )
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    queue = await visitor.call("queue:set", {"draft_id": draft_id, "driver_ids": []})
    assert queue["ok"] is False and queue["error"]["code"] == "forbidden"


async def test_anonymous_connect_to_other_leagues_is_refused(
    live_server: str, make_user: Any
) -> None:
    reference = await seed_reference()
    public = await make_league(
        make_user,
        teams=2,
        is_private=False,
        settings={"spectators": "public"},
        reference=reference,
    )
    private = await make_league(make_user, teams=2, reference=reference)
    for league_id in (public.league_id, private.league_id):
        client = RoomClient(live_server, league_id, "")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect()
        await client.close()
        assert client.connect_error["code"] == "unauthorized"
