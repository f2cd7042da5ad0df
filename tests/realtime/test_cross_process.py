"""Two real ``draftroom serve`` processes sharing PostgreSQL and Redis: races, reconnects."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.realtime.conftest import rest_pick, started_room
from tests.support.leagues import snake_team
from tests.support.processes import ServerProcess

pytestmark = pytest.mark.slow


async def test_twenty_concurrent_picks_for_one_slot(
    servers: list[ServerProcess], make_user: Any, runtime: Any, open_client: Any
) -> None:
    a, b = servers[0].url, servers[1].url
    room, draft_id, order, watcher = await started_room(make_user, runtime, open_client, a)
    owner = room.owner(order[0])
    sockets = [await open_client(room.league_id, owner, url) for url in [a] * 5 + [b] * 5]
    drivers = iter(room.drivers)
    attempts = [s.call("pick", {"draft_id": draft_id, "pick_no": 1, "driver_id": next(drivers)})
                for s in sockets]  # fmt: skip
    attempts += [rest_pick(url, owner, draft_id, 1, next(drivers)) for url in [a, b] * 3]
    attempts += [
        rest_pick(url, room.commissioner, draft_id, 1, next(drivers)) for url in [a, b] * 2
    ]
    assert len(attempts) == 20
    results = await asyncio.gather(*attempts)

    winners = [r for r in results if r["ok"]]
    assert len(winners) == 1, results
    owners = [r["error"]["code"] for r in results[:16] if not r["ok"]]
    assert set(owners) == {"pick_taken"}, results  # the team on the clock: the slot is gone
    # the commissioner's plain picks (not his turn): judged before the winner's commit
    # they are not_your_turn, after it pick_taken (a stale pick_no comes first)
    late = {r["error"]["code"] for r in results[16:] if not r["ok"]}
    assert late <= {"pick_taken", "not_your_turn"}, results
    seq = winners[0]["seq"]
    await watcher.wait_seq(draft_id, seq)
    picks = watcher.picks(draft_id)
    assert [(p["pick_no"], p["driver_id"]) for p in picks] == [(1, winners[0]["driver_id"])]
    assert [e for _, e, _ in watcher.log(draft_id)].count("draft:pick") == 1


async def test_same_driver_for_two_slots_gives_one_driver_taken(
    servers: list[ServerProcess], make_user: Any, runtime: Any, open_client: Any
) -> None:
    a, b = servers[0].url, servers[1].url
    room, draft_id, order, watcher = await started_room(make_user, runtime, open_client, a)
    first = await open_client(room.league_id, room.owner(snake_team(order, 1)), a)
    second = await open_client(room.league_id, room.owner(snake_team(order, 2)), b)
    driver = room.drivers[5]

    async def keep_trying() -> Any:
        while True:  # slot 2 opens the instant slot 1 is committed (on the other process)
            ack = await second.call(
                "pick", {"draft_id": draft_id, "pick_no": 2, "driver_id": driver}
            )
            if ack["ok"] or ack["error"]["code"] not in ("pick_taken", "rate_limited"):
                return ack
            await asyncio.sleep(0.005)

    trying = asyncio.create_task(keep_trying())
    await asyncio.sleep(0.02)
    won = await first.call("pick", {"draft_id": draft_id, "pick_no": 1, "driver_id": driver})
    lost = await asyncio.wait_for(trying, 10)
    assert won["ok"] is True, won
    assert lost["ok"] is False and lost["error"]["code"] == "driver_taken", lost
    ok = await second.call(
        "pick", {"draft_id": draft_id, "pick_no": 2, "driver_id": room.drivers[6]}
    )
    assert ok["ok"] is True, ok
    await watcher.wait_seq(draft_id, ok["seq"])
    assert [p["driver_id"] for p in watcher.picks(draft_id)] == [driver, room.drivers[6]]


async def test_reconnect_gets_exactly_the_missed_events(
    servers: list[ServerProcess], make_user: Any, runtime: Any, open_client: Any
) -> None:
    a, b = servers[0].url, servers[1].url
    room, draft_id, order, watcher = await started_room(make_user, runtime, open_client, a, teams=4)
    owners = {t: await open_client(room.league_id, room.owner(t), url)
              for t, url in zip(order, [a, b, a, b], strict=True)}  # fmt: skip
    leaver = owners[order[3]]
    await leaver.wait_seq(draft_id, 2)  # started, turn
    seen = leaver.contiguous_seq(draft_id)
    await leaver.close()
    last: Any = None
    for pick_no in (1, 2, 3):
        team = snake_team(order, pick_no)
        last = await owners[team].call(
            "pick", {"draft_id": draft_id, "pick_no": pick_no, "driver_id": room.drivers[pick_no]}
        )
        assert last["ok"], last
    await leaver.reconnect(b)  # the other process this time
    ack = await leaver.sync(draft_id, seen)
    assert ack["ok"] is True
    missed = [e["seq"] for e in ack["events"]]
    assert missed == list(range(seen + 1, last["seq"] + 1))
    await watcher.wait_seq(draft_id, last["seq"])
    assert leaver.log(draft_id) == watcher.log(draft_id)
    assert leaver.state()["seq"] >= seen  # draft:state on reconnect too


async def test_broadcast_after_idle_fan_out_still_arrives(
    servers: list[ServerProcess], make_user: Any, runtime: Any, open_client: Any
) -> None:
    """The pub/sub listener outlives an idle spell longer than redis-py 8's 5 s default
    read timeout: a pick on one process still reaches the other's clients live."""
    a, b = servers[0].url, servers[1].url
    room, draft_id, order, watcher = await started_room(make_user, runtime, open_client, a)
    picker = await open_client(room.league_id, room.owner(order[0]), b)
    await asyncio.sleep(7)  # longer than the default socket timeout, with no traffic
    pick = {"draft_id": draft_id, "pick_no": 1, "driver_id": room.drivers[0]}
    ack = await picker.call("pick", pick)
    assert ack["ok"] is True, ack
    # received live through the fan-out (not recovered by sync)
    await watcher.wait_for(lambda: ack["seq"] in watcher.live.get(draft_id, []), timeout=2)
