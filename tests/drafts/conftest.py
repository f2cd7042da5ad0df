"""Fixtures of the drafts tests: a season with drivers and races, leagues with teams,
drafts over REST, helpers to poll the event log, and control of the in-process supervisor."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

SEASON = 2026
DRIVER_COUNT = 22
_names = itertools.count(1)


@dataclass
class World:
    """A league ready to draft: users (commissioner first), teams, drivers, races."""

    league_id: int
    code: str
    users: list[Any]  # TestUser
    team_of: dict[int, int]  # user id -> team id
    drivers: list[int]
    races: list[int]

    @property
    def commissioner(self) -> Any:
        return self.users[0]

    @property
    def race_id(self) -> int:
        return self.races[0]

    def owner(self, team_id: int) -> Any:
        """The TestUser owning ``team_id``."""
        return next(u for u in self.users if self.team_of[u.id] == team_id)


async def seed_reference(
    qualifying_in: timedelta = timedelta(days=3), races: int = 2
) -> tuple[list[int], list[int]]:
    """DRIVER_COUNT active drivers of SEASON (car numbers 1..N) and ``races`` races."""
    from draftroom.db.tables import Driver, DriverEntry, Race, Season

    now = datetime.now(UTC)
    await Season.insert(Season(year=SEASON)).on_conflict(action="DO NOTHING")
    rows = await Driver.insert(
        *[
            Driver(ref=f"drv{n}", code=f"D{n:02d}", number=n, given_name="Test",
                   family_name=f"Driver{n}")
            for n in range(1, DRIVER_COUNT + 1)
        ]
    ).returning(Driver.id)  # fmt: skip
    driver_ids = [int(r["id"]) for r in rows]
    await DriverEntry.insert(*[DriverEntry(season=SEASON, driver=d) for d in driver_ids])
    race_rows = await Race.insert(
        *[
            Race(season=SEASON, round=r, name=f"Test GP {r}",
                 qualifying_at=now + qualifying_in + timedelta(days=7 * (r - 1)),
                 starts_at=now + qualifying_in + timedelta(days=7 * (r - 1), hours=24))
            for r in range(1, races + 1)
        ]
    ).returning(Race.id)  # fmt: skip
    return driver_ids, [int(r["id"]) for r in race_rows]


async def make_world(
    make_user: Callable[..., Awaitable[Any]],
    *,
    teams: int = 4,
    is_private: bool = True,
    settings: dict[str, Any] | None = None,
    reference: tuple[list[int], list[int]] | None = None,
    bots: int = 0,
) -> World:
    """A league (through the leagues services) whose commissioner and members own teams;
    the last ``bots`` teams are bot teams."""
    from draftroom.db.tables import Team
    from draftroom.services.leagues import create_league
    from draftroom.services.membership import join_league

    driver_ids, race_ids = reference or await seed_reference()
    n = next(_names)
    users = [await make_user(f"w{n}u{i}") for i in range(teams)]
    league = await create_league(
        users[0].id,
        name=f"World {n}",
        is_private=is_private,
        max_teams=max(teams, 2),
        team_name=f"Team {n}-0",
        season=SEASON,
        settings={"pick_seconds": 60, "picks_per_team": 2, **(settings or {})},
    )
    for i, user in enumerate(users[1:], start=1):
        is_bot = i >= teams - bots
        await join_league(user.id, league["code"], f"Team {n}-{i}", is_bot=is_bot)
    rows = await Team.select(Team.id, Team.user).where(Team.league == league["id"])
    team_of = {int(r["user"]): int(r["id"]) for r in rows}
    return World(league["id"], league["code"], users, team_of, driver_ids, race_ids)


@pytest.fixture(autouse=True)
async def _forget_caches() -> None:
    """Ids restart with every test's TRUNCATE: forget id-keyed caches and stop the
    in-process supervisor's runners of the previous test's drafts."""
    from draftroom.services.drafts import commit, snapshot

    snapshot._league_of.clear()
    commit._rankings.clear()
    async with paused_local_supervisors():
        pass


@pytest.fixture
def world(make_user: Any) -> Callable[..., Awaitable[World]]:
    """Factory: ``await world(teams=4, settings={...})`` -> World."""

    async def factory(**kwargs: Any) -> World:
        return await make_world(make_user, **kwargs)

    return factory


@contextlib.asynccontextmanager
async def paused_local_supervisors() -> AsyncIterator[None]:
    """Stop this process's draft supervisors (the in-process live server's) for a block."""
    from draftroom.runner.supervisor import DraftSupervisor

    paused = list(DraftSupervisor.instances)
    for sup in paused:
        await sup.pause()
    try:
        yield
    finally:
        for sup in paused:
            sup.resume()


@pytest.fixture
async def no_local_supervisor() -> AsyncIterator[None]:
    """The test's drafts are driven only by the subprocess servers it starts."""
    async with paused_local_supervisors():
        yield


async def create_draft(
    http: httpx.AsyncClient, w: World, race_id: int | None = None, **body: Any
) -> dict[str, Any]:
    """POST /leagues/{id}/drafts as the commissioner; returns the snapshot."""
    r = await http.post(
        f"/api/v1/leagues/{w.league_id}/drafts",
        json={"race_id": race_id or w.race_id, **body},
        headers=w.commissioner.headers,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def start(http: httpx.AsyncClient, w: World, draft_id: int) -> dict[str, Any]:
    """POST /drafts/{id}/start as the commissioner; returns the snapshot."""
    r = await http.post(f"/api/v1/drafts/{draft_id}/start", headers=w.commissioner.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def get_state(http: httpx.AsyncClient, w: World, draft_id: int) -> dict[str, Any]:
    """GET /drafts/{id} as the commissioner."""
    r = await http.get(f"/api/v1/drafts/{draft_id}", headers=w.commissioner.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def wait_for(
    probe: Callable[[], Awaitable[Any]], timeout_s: float = 10.0, every_s: float = 0.05
) -> Any:
    """Poll ``probe`` until it returns something truthy; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        await asyncio.sleep(every_s)


async def events(http: httpx.AsyncClient, w: World, draft_id: int, after: int = 0) -> list[Any]:
    """GET /drafts/{id}/events?after_seq= as the commissioner."""
    r = await http.get(
        f"/api/v1/drafts/{draft_id}/events",
        params={"after_seq": after},
        headers=w.commissioner.headers,
    )
    assert r.status_code == 200, r.text
    return list(r.json())


def snake_team(order: list[int], pick_no: int) -> int:
    """The team of ``pick_no`` in a snake draft with first-round ``order``."""
    n = len(order)
    rnd, i = divmod(pick_no - 1, n)
    return order[i] if rnd % 2 == 0 else order[n - 1 - i]


def assert_contiguous(log: list[dict[str, Any]]) -> None:
    """Event seqs are 1..n without gaps and each payload carries its seq."""
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert all(e["data"]["seq"] == e["seq"] for e in log)
