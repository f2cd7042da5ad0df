"""The per-league fan-out across real ``draftroom serve`` processes: who subscribes to what,
who receives what, and in which order (draftroom.realtime.fanout)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from draftroom.realtime.fanout import channel_of
from draftroom.services.notifier import league_namespace
from tests.realtime.client import RoomClient
from tests.realtime.conftest import create_draft, started_room
from tests.support.contract import checked_client
from tests.support.leagues import make_league, snake_team
from tests.support.polling import wait_for
from tests.support.processes import ServerProcess

pytestmark = pytest.mark.slow


async def subscribers(redis: Any, league_id: int) -> int:
    """Processes subscribed to the league's channel."""
    [(_, count)] = await redis.pubsub_numsub(channel_of(league_namespace(league_id)))
    return int(count)


async def fanout_received(url: str) -> float:
    """The process's count of fan-out messages received from Redis."""
    async with checked_client(base_url=url, timeout=10) as http:
        text = (await http.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (
                sample.name == "draftroom_fanout_messages_total"
                and sample.labels.get("direction") == "received"
            ):
                return float(sample.value)
    return 0.0


async def test_a_process_subscribes_while_it_holds_a_socket_of_the_league(
    servers: list[ServerProcess], make_user: Any, open_client: Any, redis: Any
) -> None:
    a = servers[0].url
    room = await make_league(make_user, teams=2)
    assert await subscribers(redis, room.league_id) == 0
    first = await open_client(room.league_id, room.commissioner, a)
    second = await open_client(room.league_id, room.users[1], a)
    assert await subscribers(redis, room.league_id) == 1  # one per process, not per socket
    await first.close()
    await asyncio.sleep(1.0)  # past the linger: the other socket still holds it
    assert await subscribers(redis, room.league_id) == 1
    await second.close()

    async def dropped() -> bool:
        return await subscribers(redis, room.league_id) == 0

    await wait_for(dropped, timeout_s=5)


async def test_a_process_without_sockets_of_a_league_receives_none_of_its_traffic(
    servers: list[ServerProcess], make_user: Any, runtime: Any, open_client: Any, redis: Any
) -> None:
    a, b = servers[0].url, servers[1].url
    room, draft_id, order, watcher = await started_room(make_user, runtime, open_client, a, 4)
    elsewhere = await make_league(make_user, teams=2, reference=(room.drivers, room.races))
    await open_client(elsewhere.league_id, elsewhere.commissioner, b)  # b listens, elsewhere
    owners = {t: await open_client(room.league_id, room.owner(t), a) for t in order}
    await asyncio.sleep(0.5)  # presence broadcasts of the joins settle
    before = await fanout_received(b)
    last: Any = None
    for pick_no in range(1, 7):
        team = snake_team(order, pick_no)
        pick = {"draft_id": draft_id, "pick_no": pick_no, "driver_id": room.drivers[pick_no]}
        last = await owners[team].call("pick", pick)
        assert last["ok"], last
    await watcher.wait_seq(draft_id, last["seq"])
    assert await subscribers(redis, room.league_id) == 1  # a's sockets and its runner
    assert await fanout_received(b) == before


async def test_a_league_split_across_two_processes_gets_every_event_live_in_seq_order(
    servers: list[ServerProcess], make_user: Any, runtime: Any, open_client: Any
) -> None:
    """Each pick is committed on the other process than the one before; every socket,
    on either process, receives every event live, in seq order, without a sync."""
    a, b = servers[0].url, servers[1].url
    room, draft_id, order, watcher = await started_room(make_user, runtime, open_client, a, 4)
    urls = [a, b, a, b]
    owners = {t: await open_client(room.league_id, room.owner(t), url)
              for t, url in zip(order, urls, strict=True)}  # fmt: skip
    watchers = [watcher, await open_client(room.league_id, room.commissioner, b)]
    total = 4 * 2
    for pick_no in range(1, total + 1):
        team = snake_team(order, pick_no)
        client = owners[team]
        await client.wait_for(lambda c=client, n=pick_no: _on_clock(c, draft_id, n))
        pick = {"draft_id": draft_id, "pick_no": pick_no, "driver_id": room.drivers[pick_no]}
        ack = await client.call("pick", pick)
        assert ack["ok"], ack
    everyone: list[RoomClient] = [*owners.values(), *watchers]
    for client in everyone:
        await client.wait_for(lambda c=client: "draft:complete" in _events(c, draft_id))
        seqs = client.live[draft_id]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), (client.name, seqs)
        assert len([e for e in _events(client, draft_id) if e == "draft:pick"]) == total


def _events(client: RoomClient, draft_id: int) -> list[str]:
    return [event for _, event, _ in client.log(draft_id)]


def _on_clock(client: RoomClient, draft_id: int, pick_no: int) -> bool:
    turns = [d for _, e, d in client.log(draft_id) if e == "draft:turn"]
    state = client.state()
    current = (state or {}).get("current") or {}
    return (turns and turns[-1]["pick_no"] == pick_no) or current.get("pick_no") == pick_no


async def test_a_commit_is_one_publish(
    make_user: Any, runtime: Any, open_client: Any, redis: Any, live_server: str
) -> None:
    """With every owner in the room (no notification to push), a pick is one PUBLISH: its
    events and the runner's wake-up travel together, and nothing else carries them."""
    from draftroom.realtime.fanout import channel_of, decode

    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    clients = {u.id: await open_client(room.league_id, u, live_server) for u in room.users}
    commissioner = clients[room.commissioner.id]
    await commissioner.wait_for(lambda: bool(commissioner.state()))
    ack = await commissioner.call("draft:start", {"draft_id": draft_id})
    assert ack["ok"], ack
    order = commissioner.state()["order"] if commissioner.state()["order"] else []
    await commissioner.wait_seq(draft_id, ack["seq"])
    first_team = order[0]
    picker = clients[room.owner(first_team).id]
    listener = redis.pubsub()
    await listener.subscribe(channel_of(f"/league/{room.league_id}"))
    try:
        pick = {"draft_id": draft_id, "pick_no": 1, "driver_id": room.drivers[0]}
        ack = await picker.call("pick", pick)
        assert ack["ok"], ack
        await commissioner.wait_seq(draft_id, ack["seq"])
        heard = []
        while (message := await listener.get_message(timeout=0.5)) is not None:
            if message["type"] == "message":
                data = message["data"]
                heard.append(decode(data.encode() if isinstance(data, str) else data))
    finally:
        await listener.aclose()
    carrying = [b for b in heard if any(e.event.startswith("draft:") for e in b.emits)]
    assert len(carrying) == 1, heard  # presence may come and go; the pick is one message
    (commit,) = carrying
    assert [e.event for e in commit.emits] == ["draft:pick", "draft:turn"]
    assert commit.wake is not None and commit.wake.seq == ack["seq"]
