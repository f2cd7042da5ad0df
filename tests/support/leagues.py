"""Draft-ready test data: a season with drivers and races, and a league of N teams whose
owners are test users (built through the leagues services)."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

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
    """SEASON with DRIVER_COUNT active drivers (car numbers 1..N, one constructor) and
    ``races`` weekly races, the first qualifying ``qualifying_in`` from now; returns the
    driver ids and the race ids."""
    from draftroom.db.tables import Constructor, Driver, DriverEntry, Race, Season

    now = datetime.now(UTC)
    await Season.insert(Season(year=SEASON)).on_conflict(action="DO NOTHING")
    cons = await Constructor.insert(Constructor(ref="testcar", name="Test Car")).returning(
        Constructor.id
    )
    constructor_id = cons[0]["id"]
    rows = await Driver.insert(
        *[
            Driver(ref=f"driver{n}", code=f"D{n:02d}", number=n, given_name="Test",
                   family_name=f"Driver{n}", constructor=constructor_id)
            for n in range(1, DRIVER_COUNT + 1)
        ]
    ).returning(Driver.id)  # fmt: skip
    driver_ids = [int(r["id"]) for r in rows]
    await DriverEntry.insert(
        *[DriverEntry(season=SEASON, driver=d, constructor=constructor_id) for d in driver_ids]
    )
    race_rows = await Race.insert(
        *[
            Race(season=SEASON, round=r, name=f"Test GP {r}",
                 qualifying_at=now + qualifying_in + timedelta(days=7 * (r - 1)),
                 starts_at=now + qualifying_in + timedelta(days=7 * (r - 1), hours=24))
            for r in range(1, races + 1)
        ]
    ).returning(Race.id)  # fmt: skip
    return driver_ids, [int(r["id"]) for r in race_rows]


async def make_league(
    make_user: Callable[..., Awaitable[Any]],
    *,
    teams: int = 4,
    is_private: bool = True,
    settings: dict[str, Any] | None = None,
    reference: tuple[list[int], list[int]] | None = None,
    bots: int = 0,
) -> World:
    """A league (through the leagues services) whose commissioner and ``teams - 1`` members
    each own a team; the last ``bots`` teams are bot teams. Seeds the reference data
    unless ``reference`` (ids from :func:`seed_reference`) is given."""
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


def snake_team(order: list[int], pick_no: int) -> int:
    """The team of ``pick_no`` in a snake draft with first-round ``order``."""
    n = len(order)
    rnd, i = divmod(pick_no - 1, n)
    return order[i] if rnd % 2 == 0 else order[n - 1 - i]
