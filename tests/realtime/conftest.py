"""Fixtures of the draft-room socket tests: a season with drivers and a race, leagues with
teams (through the leagues services), drafts (through the drafts service), room clients."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.realtime.client import RoomClient
from tests.support.processes import ServerProcess

SEASON = 2026
DRIVER_COUNT = 22
_names = itertools.count(1)


@dataclass
class Room:
    """A league ready to draft: its users (commissioner first), teams and drivers."""

    league_id: int
    code: str
    users: list[Any]  # TestUser; users[0] is the commissioner
    team_of: dict[int, int]  # user id -> team id
    drivers: list[int]
    race_id: int
    draft_id: int | None = None
    clients: list[RoomClient] = field(default_factory=list)

    @property
    def commissioner(self) -> Any:
        return self.users[0]

    def user_of_team(self, team_id: int) -> Any:
        """The TestUser owning ``team_id``."""
        return next(u for u in self.users if self.team_of[u.id] == team_id)


async def seed_reference(now: datetime | None = None) -> tuple[list[int], list[int]]:
    """A season with DRIVER_COUNT active drivers and two races far ahead; returns ids."""
    from draftroom.db.tables import Constructor, Driver, DriverEntry, Race, Season

    now = now or datetime.now(UTC)
    await Season.insert(Season(year=SEASON)).on_conflict(action="DO NOTHING")
    cons = await Constructor.insert(Constructor(ref="testcar", name="Test Car")).returning(
        Constructor.id
    )
    constructor_id = cons[0]["id"]
    drivers = [
        Driver(
            ref=f"driver{n}", code=f"D{n:02d}"[:3], number=n, given_name="Test",
            family_name=f"Driver{n}", constructor=constructor_id,
        )
        for n in range(1, DRIVER_COUNT + 1)
    ]  # fmt: skip
    rows = await Driver.insert(*drivers).returning(Driver.id)
    driver_ids = [int(r["id"]) for r in rows]
    await DriverEntry.insert(
        *[DriverEntry(season=SEASON, driver=d, constructor=constructor_id) for d in driver_ids]
    )
    races = []
    for rnd in (1, 2):
        start = now + timedelta(days=7 * rnd)
        race = Race(
            season=SEASON, round=rnd, name=f"Test GP {rnd}", starts_at=start,
            qualifying_at=start - timedelta(days=1),
        )  # fmt: skip
        races.append(race)
    race_rows = await Race.insert(*races).returning(Race.id)
    return driver_ids, [int(r["id"]) for r in race_rows]


async def make_league(
    make_user: Any,
    *,
    teams: int = 4,
    is_private: bool = True,
    settings: dict[str, Any] | None = None,
    reference: tuple[list[int], list[int]] | None = None,
) -> Room:
    """A league whose commissioner and ``teams - 1`` members each own a team."""
    from draftroom.services.leagues import create_league
    from draftroom.services.membership import join_league

    driver_ids, race_ids = reference or await seed_reference()
    n = next(_names)
    users = [await make_user(f"u{n}x{i}") for i in range(teams)]
    league = await create_league(
        users[0].id,
        name=f"League {n}",
        is_private=is_private,
        max_teams=max(teams, 2),
        team_name=f"Team {n}-0",
        season=SEASON,
        settings={"pick_seconds": 60, "picks_per_team": 2, **(settings or {})},
    )
    for i, user in enumerate(users[1:], start=1):
        await join_league(user.id, league["code"], f"Team {n}-{i}")
    from draftroom.db.tables import Team

    rows = await Team.select(Team.id, Team.user).where(Team.league == league["id"])
    team_of = {int(r["user"]): int(r["id"]) for r in rows}
    return Room(league["id"], league["code"], users, team_of, driver_ids, race_ids[0])


async def create_draft(rt: Any, room: Room, race_id: int | None = None) -> int:
    """The league's draft of its race (order computed by the drafts service)."""
    from draftroom.services.drafts.creation import create_draft as service_create

    room.draft_id = await service_create(rt, room.league_id, race_id or room.race_id)
    return room.draft_id


async def start_draft(rt: Any, room: Room) -> dict[str, Any]:
    """Start the room's draft now (as its commissioner); returns the service's summary."""
    from draftroom.services.drafts.commands import start_draft as service_start

    assert room.draft_id is not None
    return await service_start(rt, room.draft_id, room.commissioner.id)


@pytest.fixture
async def clients(live_server: str) -> AsyncIterator[list[RoomClient]]:
    """Room clients opened by a test; all closed at its end."""
    opened: list[RoomClient] = []
    yield opened
    for client in opened:
        with contextlib.suppress(Exception):
            await client.close()


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
    from draftroom.services.drafts import snapshot

    snapshot._league_of.clear()


def snake_team(order: list[int], pick_no: int) -> int:
    """The team of ``pick_no`` in a snake draft with first-round ``order``."""
    n = len(order)
    rnd, i = divmod(pick_no - 1, n)
    return order[i] if rnd % 2 == 0 else order[n - 1 - i]


async def started_room(
    make_user: Any, runtime: Any, open_client: Any, url: str, teams: int = 3
) -> tuple[Room, int, list[int], RoomClient]:
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
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
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
    env = dict(os.environ, DATABASE_URL=settings.database_url, REDIS_URL=settings.redis_url)
    procs = [ServerProcess(env) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda p: p.start(), procs))
    yield procs
    for proc in procs:
        proc.stop()
