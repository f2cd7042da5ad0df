"""Redis restarts mid-draft: the room recovers, no pick is lost or doubled."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from draftroom.embedded import EmbeddedRedis
from tests.realtime.conftest import started_room
from tests.support.leagues import snake_team
from tests.support.processes import ServerProcess, serve_processes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    """A Redis of this module's own, so the test can restart it whatever REDIS_URL is."""
    redis = EmbeddedRedis(tmp_path_factory.mktemp("restart-redis"))
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture(scope="module")
def servers(database: None, settings: Any, own_redis: EmbeddedRedis) -> Iterator[list[Any]]:
    """Two ``draftroom serve`` processes on the shared database and this module's Redis."""
    with serve_processes(settings.database_url, own_redis.url) as procs:
        yield procs


@pytest.fixture
async def runtime(db: None, settings: Any, own_redis: EmbeddedRedis) -> AsyncIterator[Any]:
    """A Runtime whose wake-ups reach the servers through this module's Redis."""
    from draftroom.coordination.redis import connect
    from draftroom.services.notifier import RecordingNotifier
    from draftroom.services.runtime import Runtime

    client = connect(own_redis.url)
    yield Runtime(settings=settings, redis=client, notifier=RecordingNotifier())
    await client.aclose()


async def pick_until_ok(client: Any, payload: dict[str, Any], timeout: float = 20) -> Any:
    """Retry a pick while Redis is coming back (service_unavailable, internal errors)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            ack = await client.call("pick", payload, timeout=5)
        except Exception as error:  # the ack may be lost while things reconnect
            ack = {"ok": False, "error": {"code": type(error).__name__}}
        if ack["ok"] or ack["error"]["code"] in ("pick_taken", "driver_taken"):
            return ack
        assert time.monotonic() < deadline, ack
        await asyncio.sleep(0.2)


async def test_room_recovers_after_redis_restart(
    servers: list[ServerProcess],
    own_redis: EmbeddedRedis,
    make_user: Any,
    runtime: Any,
    open_client: Any,
) -> None:
    redis_server = own_redis
    a, b = servers[0].url, servers[1].url
    room, draft_id, order, watcher = await started_room(make_user, runtime, open_client, a, teams=4)
    owners = {
        team: await open_client(room.league_id, room.owner(team), url)
        for team, url in zip(order, [a, b, a, b], strict=True)
    }
    total = 8
    drivers = room.drivers
    for pick_no in (1, 2, 3):
        team = snake_team(order, pick_no)
        ack = await owners[team].call(
            "pick", {"draft_id": draft_id, "pick_no": pick_no, "driver_id": drivers[pick_no]}
        )
        assert ack["ok"], ack

    await asyncio.to_thread(redis_server.restart)

    last: Any = None
    for pick_no in range(4, total):
        team = snake_team(order, pick_no)
        client = owners[team]
        if not client.connected:
            await client.reconnect()
        last = await pick_until_ok(
            client, {"draft_id": draft_id, "pick_no": pick_no, "driver_id": drivers[pick_no]}
        )
        assert last["ok"], last

    # fan-out between the processes comes back (python-socketio resubscribes with a
    # backoff); broadcasts made meanwhile are recovered by sync below. The probe must
    # cross from a to b: a process delivers its own broadcasts locally without Redis, so
    # a broadcast b makes (its presence after the restart) proves nothing. `queue` goes
    # to the user's sockets only: set from a second socket of far's user on a, far (on b)
    # receives it only through b's subscription.
    far_team = order[1]
    far = owners[far_team]  # a client of process b
    await far.wait_for(lambda: far.connected, timeout=10)
    probe = await open_client(room.league_id, room.owner(far_team), a)
    deadline = time.monotonic() + 15
    while True:
        seen = len(far.queues)
        ack = await probe.call("queue:set", {"draft_id": draft_id, "driver_ids": [drivers[total]]})
        assert ack["ok"], ack
        try:
            await far.wait_for(lambda n=seen: len(far.queues) > n, timeout=0.5)
            break
        except TimeoutError:
            assert time.monotonic() < deadline, "cross-process broadcasts never came back"
    await probe.close()

    team = snake_team(order, total)
    assert owners[team].url == a
    last = await pick_until_ok(
        owners[team], {"draft_id": draft_id, "pick_no": total, "driver_id": drivers[total]}
    )
    assert last["ok"], last
    await far.wait_for(lambda: last["seq"] in far.live.get(draft_id, []), timeout=5)

    everyone = [watcher, *owners.values()]
    for client in everyone:
        if not client.connected:
            await client.reconnect()
        await client.wait_seq(draft_id, last["seq"], timeout=15)
    reference = watcher.log(draft_id)
    for client in everyone:
        assert client.log(draft_id) == reference
    picks = watcher.picks(draft_id)
    assert [p["pick_no"] for p in picks] == list(range(1, total + 1))
    assert [p["driver_id"] for p in picks] == [drivers[n] for n in range(1, total + 1)]
    types = [event for _, event, _ in reference]
    assert types.count("draft:pick") == total and types[-1] == "draft:complete"
