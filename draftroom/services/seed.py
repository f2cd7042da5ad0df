"""Load the packaged season files (``draftroom/seed_data/<year>.json``), on request the
demo league, then the shipped results of the races already run
(:mod:`draftroom.services.seed_results`).

Idempotent: the seed only inserts what is missing, so running it twice changes nothing and
running it after a sync keeps what the sync updated (a driver whose ref the sync changed is
recognised by season, permanent number and code). Seasons load newest first, so a driver
row's team and status are those of the latest season. It runs in one transaction under the
advisory lock the sync uses.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from draftroom.db.engine import DB
from draftroom.db.queries import accounts as account_queries
from draftroom.db.queries import leagues as league_queries
from draftroom.db.queries import reference as ref_queries
from draftroom.services import leagues, membership, reference
from draftroom.services.accounts import create_user
from draftroom.services.runtime import Runtime
from draftroom.services.seed_results import seed_results

log = logging.getLogger(__name__)

DEMO_LEAGUE_NAME = "Demo League"
DEMO_BOTS = (
    ("demo-bot-1", "Box Box Bots"),
    ("demo-bot-2", "Undercut United"),
    ("demo-bot-3", "Pit Wall Prophets"),
    ("demo-bot-4", "Slipstream Syndicate"),
    ("demo-bot-5", "DRS Dreamers"),
)
DEMO_SETTINGS = {
    "draft_type": "snake",
    "pick_seconds": 15,
    "picks_per_team": 2,
    "draft_opens_hours_before": 0,
    "spectators": "public",
}


@dataclass
class SeedReport:
    """Rows inserted by one seed run."""

    seasons: int = 0
    constructors: int = 0
    drivers: int = 0
    entries: int = 0
    races: int = 0
    demo_league_id: int | None = None
    results: int = 0
    demo_drafts: int = 0


def season_files() -> list[dict[str, Any]]:
    """Every packaged season file, newest season first."""
    folder = resources.files("draftroom") / "seed_data"
    seasons = [
        json.loads(item.read_text(encoding="utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".json") and item.name[:4].isdigit()
    ]
    return sorted(seasons, key=lambda s: int(s["season"]), reverse=True)


async def seed(rt: Runtime, *, demo: bool, now: datetime | None = None) -> SeedReport:
    """Insert the packaged seasons' missing rows; with ``demo``, the demo league too; then
    ingest the shipped results of past races that have none (the demo's last ones with a
    past draft each)."""
    report = await seed_reference(season_files())
    if demo:
        report.demo_league_id = await ensure_demo_league()
    seeded = await seed_results(rt, demo_league_id=report.demo_league_id, now=now)
    report.results, report.demo_drafts = len(seeded.race_ids), len(seeded.draft_ids)
    log.info("seed: %s", vars(report))
    return report


async def seed_reference(seasons: list[dict[str, Any]]) -> SeedReport:
    """Insert what is missing of ``seasons`` (files in the seed_data shape)."""
    report = SeedReport()
    async with DB.transaction():
        await ref_queries.lock_reference()
        for data in seasons:
            await _seed_season(data, report)
    return report


async def _seed_season(data: dict[str, Any], report: SeedReport) -> None:
    season = int(data["season"])
    report.seasons += await reference.ensure_season(season)
    constructor_ids: dict[str, int] = {}
    for team in data["constructors"]:
        row = await ref_queries.constructor_by_ref(team["ref"])
        if row is None:
            constructor_ids[team["ref"]] = await ref_queries.insert_constructor(
                ref=team["ref"],
                name=team["name"],
                nationality=team.get("nationality") or "",
                color=team.get("color") or "#888888",
            )
            report.constructors += 1
        else:
            constructor_ids[team["ref"]] = int(row["id"])
    for driver in data["drivers"]:
        constructor_id = constructor_ids.get(driver.get("constructor_ref") or "")
        active = bool(driver.get("active", True))
        driver_id = await reference.find_driver_id(
            season, driver["ref"], driver.get("number"), driver.get("code")
        )
        if driver_id is None:
            driver_id = await ref_queries.insert_driver(
                ref=driver["ref"],
                code=driver.get("code"),
                number=driver.get("number"),
                given_name=driver["given_name"],
                family_name=driver["family_name"],
                nationality=driver.get("nationality") or "",
                constructor=constructor_id,
                active=active,
            )
            report.drivers += 1
        if not await ref_queries.entry_exists(season, driver_id):
            await ref_queries.insert_entry(season, driver_id, constructor_id, active)
            report.entries += 1
    for race in data["races"]:
        if await ref_queries.round_exists(season, race["round"]):
            if race.get("sprint_qualifying_at"):  # filled in on databases seeded before it
                await ref_queries.fill_sprint_qualifying(
                    season, race["round"], _utc(race["sprint_qualifying_at"])
                )
            continue
        await ref_queries.insert_race(
            season=season,
            round=int(race["round"]),
            name=race["name"],
            circuit=race.get("circuit") or "",
            country=race.get("country") or "",
            starts_at=_utc(race["starts_at"]),
            qualifying_at=_utc(race["qualifying_at"]),
            sprint_at=_utc(race["sprint_at"]) if race.get("sprint_at") else None,
            sprint_qualifying_at=_utc(race["sprint_qualifying_at"])
            if race.get("sprint_qualifying_at")
            else None,
        )
        report.races += 1


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


async def bot_account(username: str, display_name: str) -> int:
    """The bot account ``username`` (demo and mock-draft bots), created with a random
    password when missing (nobody can log in as it)."""
    found = await account_queries.user_id_by_username(username)
    if found is not None:
        return found
    user = await create_user(
        username,
        f"{username}@demo.example.org",
        secrets.token_urlsafe(24),
        display_name=display_name,
    )
    return user.id


async def ensure_demo_league() -> int | None:
    """The public demo league of the current season: bot teams (``is_bot``) and one open
    seat; created once. Returns its id (None when no season is loaded)."""
    season = await reference.current_season()
    if season is None:
        return None
    async with DB.transaction():
        await ref_queries.lock_reference()
        existing = await league_queries.demo_league_of_season(season)
        if existing is not None:
            return existing
        return await create_demo_league(season)
    raise AssertionError("unreachable")  # pragma: no cover


async def create_demo_league(season: int, number: int = 1) -> int:
    """Create the demo bots (if missing) and a demo league (inside a transaction); the
    ``number``-th demo league of a season is named "Demo League {number}"."""
    user_ids = [await bot_account(name, team) for name, team in DEMO_BOTS]
    league = await leagues.create_league(
        user_ids[0],
        name=DEMO_LEAGUE_NAME if number == 1 else f"{DEMO_LEAGUE_NAME} {number}",
        is_private=False,
        max_teams=len(DEMO_BOTS) + 1,
        team_name=DEMO_BOTS[0][1],
        season=season,
        settings=DEMO_SETTINGS,
        is_demo=True,
        is_bot=True,
    )
    code = league["code"]
    assert code is not None  # the commissioner's own view shows it
    for user_id, (_, team_name) in zip(user_ids[1:], DEMO_BOTS[1:], strict=True):
        await membership.join_league(user_id, code, team_name, is_bot=True)
    return int(league["id"])
