"""Fixtures of the draft-room socket tests: drafts (through the drafts service) of leagues
from tests/support/leagues.py, room clients, and two ``draftroom serve`` processes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.realtime.client import RoomClient
from tests.support.contract import checked_client
from tests.support.leagues import World, make_league
from tests.support.processes import ServerProcess, serve_processes
from tests.support.server import forget_id_caches


async def create_draft(rt: Any, room: World, race_id: int | None = None) -> int:
    """The league's draft of its race (order computed by the drafts service)."""
    from draftroom.services.drafts.creation import create_draft as service_create

    return await service_create(rt, room.league_id, race_id or room.race_id)


@pytest.fixture
async def clients(live_server: str) -> AsyncIterator[list[RoomClient]]:
    """Room clients opened by a test; all closed at its end. Every payload they received
    that has a contract type must be that type (tests/support/contract.SOCKET_EVENTS)."""
    opened: list[RoomClient] = []
    yield opened
    for client in opened:
        with contextlib.suppress(Exception):
            await client.close()
    assert [v for client in opened for v in client.violations] == []


@pytest.fixture
def open_client(live_server: str, clients: list[RoomClient]) -> Any:
    """Factory: ``await open_client(league_id, user, url=None)`` -> connected RoomClient."""

    async def factory(league_id: int, user: Any, url: str | None = None) -> RoomClient:
        client = RoomClient(url or live_server, league_id, user.token, name=user.username)
        clients.append(client)
        await client.connect()
        return client

    return factory


@pytest.fixture(autouse=True)
def _forget_draft_leagues() -> None:
    """Ids restart with every test's TRUNCATE: forget the draft -> league cache."""
    forget_id_caches()


async def started_room(
    make_user: Any, runtime: Any, open_client: Any, url: str, teams: int = 3
) -> tuple[World, int, list[int], RoomClient]:
    """A league whose draft the commissioner started (through ``url``); returns the draft
    id, its first-round order and the commissioner's client."""
    room = await make_league(make_user, teams=teams)
    draft_id = await create_draft(runtime, room)
    commissioner = await open_client(room.league_id, room.commissioner, url)
    await commissioner.wait_for(lambda: bool(commissioner.state()))
    ack = await commissioner.call("draft:start", {"draft_id": draft_id})
    assert ack["ok"], ack
    return room, draft_id, commissioner.state()["order"], commissioner


async def rest_pick(url: str, user: Any, draft_id: int, pick_no: int, driver_id: int) -> Any:
    """POST /drafts/{id}/picks; returns an ack-shaped dict (``ok`` plus the body)."""
    async with checked_client(base_url=url, timeout=10) as http:
        response = await http.post(
            f"/api/v1/drafts/{draft_id}/picks",
            json={"pick_no": pick_no, "driver_id": driver_id},
            headers=user.headers,
        )
    body = response.json()
    if response.status_code == 201:
        return {"ok": True, **body}
    return {"ok": False, "status": response.status_code, **body}


@pytest.fixture(scope="module")
def servers(database: None, settings: Any) -> Iterator[list[ServerProcess]]:
    """Two ``draftroom serve`` processes on their own ports, for one test module."""
    with serve_processes(settings.database_url, settings.redis_url) as procs:
        yield procs
