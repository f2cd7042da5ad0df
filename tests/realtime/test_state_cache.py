"""The per-process draft cache (``draft:state`` on connect, ``sync``) stays equal to what
PostgreSQL holds across picks on either process, undo, pause, resume and a failover."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.realtime.client import RoomClient
from tests.realtime.conftest import create_draft
from tests.support.leagues import make_league, snake_team
from tests.support.polling import wait_for
from tests.support.processes import ServerProcess, serve_processes

pytestmark = pytest.mark.slow

COMPARED = ("status", "seq", "picks", "order")


@pytest.fixture
def pair(database: None, settings: Any) -> Iterator[list[ServerProcess]]:
    """Two serve processes of this test's own (one of them will be killed)."""
    with serve_processes(settings.database_url, settings.redis_url) as procs:
        yield procs


async def truth(runtime: Any, draft_id: int) -> dict[str, Any]:
    """The snapshot as PostgreSQL holds it (the test runtime has no cache)."""
    from draftroom.services.drafts.snapshot import draft_snapshot

    return await draft_snapshot(runtime, draft_id)


def summary(state: dict[str, Any]) -> dict[str, Any]:
    current = state["current"] or {}
    return {
        **{key: state[key] for key in COMPARED},
        "turn": (current.get("pick_no"), current.get("team_id")),
        "autodraft": [t["autodraft"] for t in state["teams"]],
    }


async def fresh_state(url: str, league_id: int, user: Any) -> dict[str, Any]:
    """The ``draft:state`` a socket connecting now receives, and what ``sync`` from 0 gives."""
    client = RoomClient(url, league_id, user.token, "fresh")
    await client.connect()
    try:
        await client.wait_for(lambda: bool(client.state()))
        state = client.state()
        ack = await client.call("sync", {"draft_id": state["id"], "after_seq": 0})
        assert ack["ok"] is True
        if "events" in ack:
            assert [e["seq"] for e in ack["events"]] == list(range(1, state["seq"] + 1))
        return dict(state)
    finally:
        await client.close()


async def test_the_cache_follows_picks_undo_pause_and_failover(
    pair: list[ServerProcess], make_user: Any, runtime: Any, redis: Any
) -> None:
    a, b = pair
    room = await make_league(make_user, teams=4)
    draft_id = await create_draft(runtime, room)
    boss = {url: RoomClient(url, room.league_id, room.commissioner.token, f"boss@{url}")
            for url in (a.url, b.url)}  # fmt: skip
    for client in boss.values():
        await client.connect()
        await client.wait_for(lambda c=client: bool(c.state()))  # both processes watch
    started = await boss[a.url].call("draft:start", {"draft_id": draft_id})
    assert started["ok"], started
    order = (await truth(runtime, draft_id))["order"]

    async def agree(step: str) -> None:
        expected = summary(await truth(runtime, draft_id))
        for client in boss.values():
            await client.wait_seq(draft_id, expected["seq"])
        for url in (a.url, b.url):
            if url in alive:
                got = summary(await fresh_state(url, room.league_id, room.commissioner))
                assert got == expected, (step, url)

    alive = {a.url, b.url}
    pickers = {t: room.owner(t) for t in order}
    d = {"draft_id": draft_id}
    for pick_no, url in ((1, a.url), (2, b.url)):
        team = snake_team(order, pick_no)
        client = RoomClient(url, room.league_id, pickers[team].token, "picker")
        await client.connect()
        ack = await client.call(
            "pick", {**d, "pick_no": pick_no, "driver_id": room.drivers[pick_no]}
        )
        assert ack["ok"], ack
        await client.close()
        await agree(f"pick {pick_no}")
    assert (await boss[a.url].call("draft:undo", d))["ok"]
    await agree("undo")
    assert (await boss[b.url].call("draft:pause", d))["ok"]
    await agree("pause")
    assert (await boss[a.url].call("draft:resume", d))["ok"]
    await agree("resume")

    owner = str(await redis.get(f"draft:{draft_id}:owner"))
    victim, survivor = (a, b) if f":{a.process.pid}:" in owner else (b, a)
    victim.kill()  # kill -9 the process running the draft
    alive.discard(victim.url)

    async def taken_over() -> bool:
        holder = await redis.get(f"draft:{draft_id}:owner")
        return holder is not None and f":{survivor.process.pid}:" in str(holder)

    await wait_for(taken_over, timeout_s=15)
    team = snake_team(order, 2)
    client = RoomClient(survivor.url, room.league_id, pickers[team].token, "after")
    await client.connect()
    ack = await client.call("pick", {**d, "pick_no": 2, "driver_id": room.drivers[7]})
    assert ack["ok"], ack
    await client.close()
    del boss[victim.url]
    await agree("after failover")
