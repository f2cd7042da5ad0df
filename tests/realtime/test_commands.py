"""Commissioner controls, queue/autodraft (private ``queue`` event) and captains over sockets."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.realtime.conftest import started_room
from tests.support.leagues import snake_team


async def test_commissioner_controls(
    live_server: str, make_user: Any, runtime: Any, open_client: Any
) -> None:
    room, draft_id, order, boss = await started_room(
        make_user, runtime, open_client, live_server, teams=3
    )
    member = await open_client(room.league_id, room.owner(order[0]))
    d = {"draft_id": draft_id}

    paused = await boss.call("draft:pause", d)
    assert paused["ok"] is True and paused["status"] == "paused", paused
    resumed = await boss.call("draft:resume", d)
    assert resumed["ok"] is True and resumed["status"] == "live", resumed
    forced = await boss.call("draft:force_pick", {**d, "pick_no": 1, "driver_id": room.drivers[0]})
    assert forced["ok"] is True, forced
    assert (forced["team_id"], forced["by"]) == (order[0], "commissioner")
    undone = await boss.call("draft:undo", d)
    assert undone["ok"] is True, undone
    again = await member.call("pick", {**d, "pick_no": 1, "driver_id": room.drivers[0]})
    assert again["ok"] is True and again["by"] == "user", again

    await member.wait_seq(draft_id, again["seq"])
    types = [event for _, event, _ in member.log(draft_id)]
    assert types == [
        "draft:started", "draft:turn", "draft:paused", "draft:resumed", "draft:turn",
        "draft:pick", "draft:turn", "draft:undo", "draft:turn", "draft:pick", "draft:turn",
    ]  # fmt: skip
    log = {event: data for _, event, data in member.log(draft_id)}
    assert log["draft:paused"]["remaining_ms"] > 0
    assert log["draft:undo"]["pick_no"] == 1
    # the commissioner's socket "pick" is for its own team only (others: draft:force_pick)
    pick_no = 2
    if snake_team(order, 2) == room.team_of[room.commissioner.id]:
        own = await boss.call("pick", {**d, "pick_no": 2, "driver_id": room.drivers[1]})
        assert own["ok"] is True and own["by"] == "user", own
        pick_no = 3
    refused = await boss.call("pick", {**d, "pick_no": pick_no, "driver_id": room.drivers[2]})
    assert refused["ok"] is False and refused["error"]["code"] == "not_your_turn", refused


async def test_queue_goes_to_the_owners_sockets_only(
    live_server: str, make_user: Any, runtime: Any, open_client: Any
) -> None:
    room, draft_id, _order, boss = await started_room(
        make_user, runtime, open_client, live_server, teams=3
    )
    owner = room.users[1]
    tab1 = await open_client(room.league_id, owner)
    tab2 = await open_client(room.league_id, owner)
    queue = [room.drivers[3], room.drivers[1]]
    ack = await tab1.call("queue:set", {"draft_id": draft_id, "driver_ids": queue})
    assert ack["ok"] is True, ack
    ack = await tab1.call("autodraft:set", {"draft_id": draft_id, "enabled": True})
    assert ack["ok"] is True, ack
    for tab in (tab1, tab2):
        await tab.wait_for(lambda t=tab: len(t.queues) >= 2)
        assert tab.queues[0] == {"draft_id": draft_id, "driver_ids": queue, "autodraft": False}
        assert tab.queues[-1]["autodraft"] is True
    await asyncio.sleep(0.2)
    assert boss.queues == []


async def test_captain_after_the_draft(
    live_server: str, make_user: Any, runtime: Any, open_client: Any
) -> None:
    room, draft_id, order, _boss = await started_room(
        make_user, runtime, open_client, live_server, teams=2
    )
    owners = {t: await open_client(room.league_id, room.owner(t)) for t in order}
    mine: dict[int, list[int]] = {t: [] for t in order}
    for pick_no in range(1, 5):
        team = snake_team(order, pick_no)
        driver = room.drivers[pick_no]
        ack = await owners[team].call(
            "pick", {"draft_id": draft_id, "pick_no": pick_no, "driver_id": driver}
        )
        assert ack["ok"], ack
        mine[team].append(driver)
    first, second = order
    ack = await owners[first].call(
        "captain:set", {"race_id": room.race_id, "driver_id": mine[first][1]}
    )
    assert ack["ok"] is True, ack
    wrong = await owners[first].call(
        "captain:set", {"race_id": room.race_id, "driver_id": mine[second][0]}
    )
    assert wrong["ok"] is False and wrong["error"]["code"] == "validation_error", wrong
