"""One rule for a commissioner's pick on both transports (docs/contract.md).

A plain pick (socket ``pick``, REST ``POST /drafts/{id}/picks``) is the caller's own team's
pick; the commissioner picks for the team on the clock only through ``draft:force_pick``
or REST ``for_team: true``, recorded ``by: "commissioner"``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.realtime.conftest import started_room
from tests.support.contract import checked_client
from tests.support.leagues import World, snake_team


async def rest(url: str, user: Any, draft_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """POST a pick; an ack-shaped answer (``ok`` plus the pick or ``error``)."""
    async with checked_client(base_url=url, timeout=10) as http:
        response = await http.post(
            f"/api/v1/drafts/{draft_id}/picks", json=body, headers=user.headers
        )
    return {"ok": response.status_code == 201, **response.json()}


async def room_off_the_clock(
    live_server: str, make_user: Any, runtime: Any, open_client: Any
) -> tuple[World, int, int, list[int], Any]:
    """A started 3-team draft whose team on the clock is not the commissioner's: returns
    the room, the draft, the pick number, the order and the commissioner's socket."""
    room, draft_id, order, boss = await started_room(
        make_user, runtime, open_client, live_server, teams=3
    )
    pick_no = 1
    if order[0] == room.team_of[room.commissioner.id]:  # his own pick first: make it
        ack = await boss.call(
            "pick", {"draft_id": draft_id, "pick_no": 1, "driver_id": room.drivers[-1]}
        )
        assert ack["ok"] and ack["by"] == "user", ack
        pick_no = 2
    assert snake_team(order, pick_no) != room.team_of[room.commissioner.id]
    return room, draft_id, pick_no, order, boss


async def attempt(
    transport: str, url: str, user: Any, socket: Any, draft_id: int, body: dict[str, Any],
    *, for_team: bool,
) -> dict[str, Any]:  # fmt: skip
    """A pick by ``user``: the socket ``pick`` / ``draft:force_pick``, or REST with or
    without ``for_team: true``; an ack-shaped answer."""
    if transport == "socket":
        event = "draft:force_pick" if for_team else "pick"
        ack: dict[str, Any] = await socket.call(event, {"draft_id": draft_id, **body})
        return ack
    return await rest(url, user, draft_id, {**body, "for_team": True} if for_team else body)


TRANSPORTS = pytest.mark.parametrize("transport", ["socket", "rest"])


@TRANSPORTS
async def test_a_plain_pick_is_only_for_the_callers_team(
    live_server: str, make_user: Any, runtime: Any, open_client: Any, transport: str
) -> None:
    room, draft_id, pick_no, _order, boss = await room_off_the_clock(
        live_server, make_user, runtime, open_client
    )
    body = {"pick_no": pick_no, "driver_id": room.drivers[0]}
    ack = await attempt(
        transport, live_server, room.commissioner, boss, draft_id, body, for_team=False
    )
    assert ack["ok"] is False and ack["error"]["code"] == "not_your_turn", ack
    state = await boss.call("sync", {"draft_id": draft_id, "after_seq": 0})
    picks = [e for e in state["events"] if e["type"] == "draft:pick"]
    assert len(picks) == pick_no - 1  # nothing was picked


@TRANSPORTS
async def test_the_commissioner_picks_for_the_team_on_the_clock_explicitly(
    live_server: str, make_user: Any, runtime: Any, open_client: Any, transport: str
) -> None:
    room, draft_id, pick_no, order, boss = await room_off_the_clock(
        live_server, make_user, runtime, open_client
    )
    on_clock = snake_team(order, pick_no)
    # the third owner: neither on the clock nor the commissioner
    member = next(u for u in room.users[1:] if room.team_of[u.id] != on_clock)
    other = await open_client(room.league_id, member)
    body = {"pick_no": pick_no, "driver_id": room.drivers[0]}
    refused = await attempt(transport, live_server, member, other, draft_id, body, for_team=True)
    assert refused["error"]["code"] == "forbidden", refused
    ack = await attempt(
        transport, live_server, room.commissioner, boss, draft_id, body, for_team=True
    )
    assert ack["ok"] is True, ack
    assert (ack["team_id"], ack["by"], ack["pick_no"]) == (on_clock, "commissioner", pick_no)


async def test_for_team_must_be_a_boolean(
    live_server: str, make_user: Any, runtime: Any, open_client: Any
) -> None:
    room, draft_id, pick_no, _order, _boss = await room_off_the_clock(
        live_server, make_user, runtime, open_client
    )
    body = {"pick_no": pick_no, "driver_id": room.drivers[0], "for_team": "yes"}
    ack = await rest(live_server, room.commissioner, draft_id, body)
    assert ack["error"]["code"] == "validation_error"
    assert ack["error"]["details"][0]["field"] == "for_team"
