"""Past capacity a pick is refused fast with ``overloaded`` and ``retry_after_ms``, over
both transports, while the draft clock's own commits still go through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from draftroom.admission import Admission
from tests.realtime.client import RoomClient
from tests.realtime.conftest import create_draft
from tests.support.contract import checked_client
from tests.support.leagues import make_league
from tests.support.server import serve_app


@pytest.fixture(scope="module")
async def gated(database: None, settings: Any) -> AsyncIterator[tuple[str, Any]]:
    """A server of this module's own whose admission gate a test can replace."""
    from draftroom.asgi import create_app
    from draftroom.db import engine

    app = create_app(settings)
    async with serve_app(app) as url:
        yield url, app
    await engine.open_pool(10)  # the app closed the process's pool on shutdown


@pytest.fixture
async def opened() -> AsyncIterator[list[RoomClient]]:
    """Clients a test opens; closed at its end."""
    clients: list[RoomClient] = []
    yield clients
    for client in clients:
        await client.close()


async def connect(url: str, room: Any, user: Any, opened: list[RoomClient]) -> RoomClient:
    client = RoomClient(url, room.league_id, user.token, user.username)
    opened.append(client)
    await client.connect()
    await client.wait_for(lambda: bool(client.state()))
    return client


async def test_a_pick_past_capacity_is_refused_fast_on_socket_and_rest(
    gated: tuple[str, Any], make_user: Any, runtime: Any, opened: list[RoomClient]
) -> None:
    url, app = gated
    gate = Admission(slots=1, queue=0, wait_s=0.05)
    app.runtime.admission = gate
    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    boss = await connect(url, room, room.commissioner, opened)
    started = await boss.call("draft:start", {"draft_id": draft_id})
    assert started["ok"], started
    owner = room.owner(started["current"]["team_id"])
    picker = await connect(url, room, owner, opened)
    pick = {"draft_id": draft_id, "pick_no": 1, "driver_id": room.drivers[0]}
    async with gate.slot():  # the process is at capacity
        refused = await picker.call("pick", pick)
        async with checked_client(base_url=url) as http:
            response = await http.post(
                f"/api/v1/drafts/{draft_id}/picks",
                json={"pick_no": 1, "driver_id": room.drivers[0]},
                headers=owner.headers,
            )
    assert refused["ok"] is False
    assert refused["error"]["code"] == "overloaded"
    assert refused["error"]["details"]["retry_after_ms"] > 0
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "overloaded"
    assert int(response.headers["Retry-After"]) >= 1
    accepted = await picker.call("pick", pick)  # capacity is back: nothing was lost
    assert accepted["ok"] is True, accepted


async def test_the_clock_autopicks_while_user_commits_are_refused(
    gated: tuple[str, Any], make_user: Any, runtime: Any, opened: list[RoomClient]
) -> None:
    """The runner's commits do not pass the user gate (and have their own connections):
    a timeout autopick lands on time while every user commit is refused."""
    url, app = gated
    gate = Admission(slots=1, queue=0, wait_s=0.05)
    app.runtime.admission = gate
    room = await make_league(make_user, teams=2, settings={"pick_seconds": 5})
    draft_id = await create_draft(runtime, room)
    boss = await connect(url, room, room.commissioner, opened)
    started = await boss.call("draft:start", {"draft_id": draft_id})
    assert started["ok"], started
    async with gate.slot():
        await boss.wait_for(lambda: bool(boss.events_named("draft:pick")), timeout=10)
        refused = await boss.call("draft:pause", {"draft_id": draft_id})
    [autopick] = boss.events_named("draft:pick")
    assert autopick["by"] == "auto"
    turns = boss.events_named("draft:turn")
    assert autopick["at"] - turns[0]["deadline"] < 1000  # on time
    assert refused["ok"] is False and refused["error"]["code"] == "overloaded"
