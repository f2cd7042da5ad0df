"""Test data for the results tests: a season's reference data from the recorded Jolpica
fixtures, leagues with teams, completed drafts with picks, and small DB readers."""

from __future__ import annotations

import itertools
import json
import random
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from draftroom.db.engine import pool
from draftroom.db.tables import (
    Captain,
    Constructor,
    Draft,
    DraftTeam,
    Driver,
    DriverEntry,
    League,
    Pick,
    Race,
    Season,
    Team,
)
from draftroom.jolpica import parsing

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jolpica"
_codes = itertools.count(1)


def fixture(season: int, name: str) -> dict[str, Any]:
    """A recorded Jolpica envelope, e.g. ``fixture(2024, "14/results")``."""
    data: dict[str, Any] = json.loads((FIXTURES / str(season) / f"{name}.json").read_text())
    return data


@dataclass
class SeasonData:
    """Ids of a loaded season: ``drivers[ref]``, ``races[round]``."""

    season: int
    drivers: dict[str, int]
    races: dict[int, int]


async def load_season(season: int, rounds: Iterable[int] | None = None) -> SeasonData:
    """Insert the season's constructors, drivers (+ entries) and races (some rounds only)."""
    await Season.insert(Season(year=season)).on_conflict(action="DO NOTHING")
    constructors = parsing.parse_constructors(fixture(season, "constructors"))
    for c in constructors:
        await Constructor.insert(
            Constructor(ref=c.ref, name=c.name, nationality=c.nationality or "")
        )
    drivers: dict[str, int] = {}
    for d in parsing.parse_drivers(fixture(season, "drivers")):
        rows = await Driver.insert(
            Driver(
                ref=d.ref,
                code=d.code,
                number=d.number,
                given_name=d.given_name,
                family_name=d.family_name,
                nationality=d.nationality or "",
            )
        ).returning(Driver._meta.primary_key)
        drivers[d.ref] = rows[0]["id"]
        await DriverEntry.insert(DriverEntry(season=season, driver=drivers[d.ref]))
    wanted = set(rounds) if rounds is not None else None
    races: dict[int, int] = {}
    for r in parsing.parse_races(fixture(season, "races")):
        if wanted is not None and r.round not in wanted:
            continue
        rows = await Race.insert(
            Race(
                season=season,
                round=r.round,
                name=r.name,
                circuit=r.circuit,
                country=r.country or "",
                starts_at=r.starts_at,
                qualifying_at=r.qualifying_at or r.starts_at - timedelta(days=1),
                sprint_qualifying_at=r.sprint_qualifying_at,
                sprint_at=r.sprint_at,
            )
        ).returning(Race._meta.primary_key)
        races[r.round] = rows[0]["id"]
    return SeasonData(season, drivers, races)


async def make_league(
    season: int,
    owners: Sequence[int],
    *,
    settings: Mapping[str, Any] | None = None,
    is_private: bool = True,
    names: Sequence[str] | None = None,
) -> tuple[int, list[int]]:
    """A league (first owner is commissioner) with one team per owner, joined in order."""
    code = "".join(random.choices(string.ascii_uppercase, k=4)) + f"{next(_codes):04d}"
    now = datetime.now(UTC)
    rows = await League.insert(
        League(
            name=f"League {code}",
            season=season,
            commissioner=owners[0],
            is_private=is_private,
            code=code,
            max_teams=max(2, len(owners)),
            settings=dict(settings or {}),
            created_at=now,
        )
    ).returning(League._meta.primary_key)
    league_id = rows[0]["id"]
    teams = []
    for i, owner in enumerate(owners):
        name = names[i] if names else f"Team {i + 1}"
        team = await Team.insert(
            Team(
                league=league_id,
                user=owner,
                name=name,
                name_key=name.casefold(),
                joined_at=now + timedelta(seconds=i),
            )
        ).returning(Team._meta.primary_key)
        teams.append(team[0]["id"])
    return league_id, teams


async def make_draft(
    league_id: int,
    race_id: int,
    picks: Sequence[tuple[int, int]],
    *,
    status: str = "complete",
    captains: Mapping[int, int] | None = None,
) -> int:
    """A draft of ``race_id`` with ``picks`` = [(team_id, driver_id)] in pick order."""
    now = datetime.now(UTC)
    teams = list(dict.fromkeys(team for team, _ in picks))
    rows = await Draft.insert(
        Draft(
            league=league_id,
            race=race_id,
            status=status,
            picks_per_team=max(1, len(picks) // max(1, len(teams))),
            order=teams,
            locks_at=now,
            created_at=now,
        )
    ).returning(Draft._meta.primary_key)
    draft_id = rows[0]["id"]
    for team in teams:
        await DraftTeam.insert(DraftTeam(draft=draft_id, team=team))
    for n, (team, driver) in enumerate(picks, start=1):
        await Pick.insert(
            Pick(
                draft=draft_id,
                pick_no=n,
                round=(n - 1) // len(teams) + 1,
                team=team,
                driver=driver,
                by="user",
                made_at=now,
            )
        )
    for team, driver in (captains or {}).items():
        await Captain.insert(Captain(team=team, race=race_id, driver=driver, set_at=now))
    return int(draft_id)


async def fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows of a query as dicts."""
    async with pool().acquire() as conn:
        return [dict(r) for r in await conn.fetch(sql, *args)]


async def value(sql: str, *args: Any) -> Any:
    """One value of a query."""
    async with pool().acquire() as conn:
        return await conn.fetchval(sql, *args)


async def team_points(race_id: int, revision: int) -> dict[int, float]:
    """``{team_id: points}`` stored for a revision of a race."""
    rows = await fetch(
        "SELECT team, points FROM team_race_score WHERE race = $1 AND revision = $2",
        race_id,
        revision,
    )
    return {r["team"]: float(r["points"]) for r in rows}


async def notifications_of(kind: str | None = None) -> list[dict[str, Any]]:
    """Every stored notification (optionally of one kind), oldest first."""
    rows = await fetch('SELECT id, "user", kind, title, data FROM notification ORDER BY id')
    out = [{**r, "data": json.loads(r["data"])} for r in rows]
    return [r for r in out if kind is None or r["kind"] == kind]


async def counts(race_id: int) -> dict[str, int]:
    """How many rows of each results table belong to the race."""
    return {
        "revisions": await value("SELECT count(*) FROM result_revision WHERE race = $1", race_id),
        "driver_scores": await value(
            "SELECT count(*) FROM driver_score s JOIN result_revision r ON r.id = s.revision "
            "WHERE r.race = $1",
            race_id,
        ),
        "team_scores": await value("SELECT count(*) FROM team_race_score WHERE race = $1", race_id),
        "notifications": await value("SELECT count(*) FROM notification"),
        "checks": await value("SELECT count(*) FROM race_check WHERE race = $1", race_id),
    }
