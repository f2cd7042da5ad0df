"""Sync one season's constructors, drivers (and their season entries) and schedule from
Jolpica.

Everything is fetched first, then written in one transaction (nothing is half-written),
serialised with the seed by a PostgreSQL advisory lock. Idempotent: a second sync with the
same upstream data changes nothing. Jolpica is the authority for names, numbers, codes,
teams and session times; colours, ``active`` flags and race statuses stay ours.

Drivers are matched by Jolpica ``driverId`` (our ``ref``); an unknown ref whose permanent
number and code match a driver entered in the season is the same driver under a new ref,
which is adopted. A driver's team for the season comes from the drivers' standings (the
last team listed); before the first race, from ``{season}/constructors/{id}/drivers``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from draftroom.contracts.admin import SyncSummaryOut
from draftroom.coordination.ratelimit import RateLimiter
from draftroom.db.engine import DB
from draftroom.db.queries import reference as queries
from draftroom.errors import UpstreamError
from draftroom.jolpica import JolpicaClient, parsing
from draftroom.jolpica.models import ConstructorInfo, DriverInfo, ScheduledRace
from draftroom.services import race_changes, reference
from draftroom.services.runtime import Runtime
from draftroom.timestamps import iso_utc

log = logging.getLogger(__name__)

DEFAULT_QUALIFYING_GAP = timedelta(days=1)
"""Qualifying time assumed for a new race the schedule gives none for."""


@dataclass
class Counts:
    """Rows created and updated of one kind."""

    created: int = 0
    updated: int = 0


@dataclass
class SyncSummary:
    """What one sync changed."""

    season: int
    constructors: Counts = field(default_factory=Counts)
    drivers: Counts = field(default_factory=Counts)
    entries: Counts = field(default_factory=Counts)
    races: Counts = field(default_factory=Counts)
    adopted_refs: list[dict[str, Any]] = field(default_factory=list)
    moved_races: list[dict[str, Any]] = field(default_factory=list)
    cancelled_races: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when any row was created or updated."""
        kinds = (self.constructors, self.drivers, self.entries, self.races)
        return any(c.created or c.updated for c in kinds)

    def to_dict(self) -> SyncSummaryOut:
        """JSON-ready summary."""
        return {
            "season": self.season,
            "changed": self.changed,
            "constructors": vars(self.constructors).copy(),
            "drivers": vars(self.drivers).copy(),
            "entries": vars(self.entries).copy(),
            "races": vars(self.races).copy(),
            "adopted_refs": self.adopted_refs,
            "moved_races": self.moved_races,
            "cancelled_races": self.cancelled_races,
        }


async def run_sync(rt: Runtime, season: int | None = None) -> SyncSummary:
    """Sync ``season`` (default: the current season, else this year) with the configured
    Jolpica base URL, sharing the process-wide Jolpica rate limit through Redis."""
    year = await reference.season_or_current(season) or datetime.now(UTC).year
    limiter = RateLimiter(rt.redis)
    async with JolpicaClient(rt.settings.jolpica_base_url, limiter=limiter) as client:
        summary = await sync_season(client, year)
    await follow_moved_races(rt, summary)
    return summary


async def follow_moved_races(rt: Runtime, summary: SyncSummary) -> None:
    """After a sync: the drafts of every race that moved or was cancelled follow it."""
    for moved in summary.moved_races + summary.cancelled_races:
        try:
            await race_changes.race_changed(rt, moved["race_id"])
        except Exception:  # one race's drafts must not stop the others
            log.exception("drafts of race %s could not follow its move", moved["race_id"])


async def _teams_of(
    client: JolpicaClient, season: int, drivers: list[DriverInfo], teams: list[ConstructorInfo]
) -> dict[str, str]:
    """Driver ref -> constructor ref for the season (best effort)."""
    team_of: dict[str, str] = {}
    try:
        standings = await client.driver_standings(season)
    except UpstreamError as error:
        log.warning("sync %s: driver standings unavailable: %s", season, error.message)
        standings = None
    for row in standings.rows if standings else ():
        if row.constructor_refs:
            team_of[row.driver.ref] = row.constructor_refs[-1]
    missing = {d.ref for d in drivers} - team_of.keys() - await queries.refs_with_team(season)
    if not missing:
        return team_of
    for team in teams:
        try:
            pages = await client.fetch_all(f"{season}/constructors/{team.ref}/drivers.json")
        except UpstreamError as error:
            log.warning("sync %s: drivers of %s unavailable: %s", season, team.ref, error.message)
            if isinstance(error.details, dict) and error.details.get("status") == 404:
                break  # the server does not know this filter: asking the others is useless
            continue
        for driver in parsing.parse_drivers(pages):
            team_of.setdefault(driver.ref, team.ref)
    return team_of


async def sync_season(
    client: JolpicaClient, season: int, *, now: datetime | None = None
) -> SyncSummary:
    """Fetch the season from ``client`` and upsert it; the summary of what changed."""
    teams = await client.season_constructors(season)
    drivers = await client.season_drivers(season)
    schedule = [r for r in await client.season_races(season) if r.season == season]
    team_of = await _teams_of(client, season, drivers, teams)
    summary = SyncSummary(season)
    async with DB.transaction():
        await queries.lock_reference()
        await reference.ensure_season(season)
        current = await reference.current_season() or season
        ids = {t.ref: await _upsert_constructor(t, summary) for t in teams}
        for driver in drivers:
            team_ref = team_of.get(driver.ref)
            constructor_id = ids.get(team_ref) if team_ref else None
            if team_ref and constructor_id is None:
                constructor_id = await _constructor_id(team_ref)
            driver_id = await _upsert_driver(season, driver, summary)
            await _upsert_entry(season, driver_id, constructor_id, summary)
            if constructor_id is not None and season >= current:
                await queries.set_driver_team(driver_id, constructor_id)
        await _sync_schedule(season, schedule, summary, now or datetime.now(UTC))
    log.info("sync %s: %s", season, summary.to_dict())
    return summary


async def _constructor_id(ref: str) -> int | None:
    row = await queries.constructor_by_ref(ref)
    return int(row["id"]) if row else None


async def _upsert_constructor(team: ConstructorInfo, summary: SyncSummary) -> int:
    row = await queries.constructor_by_ref(team.ref)
    wanted: dict[Any, Any] = {"name": team.name, "nationality": team.nationality or ""}
    if row is None:
        constructor_id = await queries.insert_constructor(ref=team.ref, **wanted)
        summary.constructors.created += 1
        return constructor_id
    if team.nationality is None:
        del wanted["nationality"]
    changes: dict[Any, Any] = {k: v for k, v in wanted.items() if row[k] != v}
    if changes:
        await queries.update_constructor(row["id"], changes)
        summary.constructors.updated += 1
    return int(row["id"])


async def _upsert_driver(season: int, driver: DriverInfo, summary: SyncSummary) -> int:
    driver_id = await reference.find_driver_id(season, driver.ref, driver.number, driver.code)
    wanted: dict[str, Any] = {
        "ref": driver.ref,
        "given_name": driver.given_name,
        "family_name": driver.family_name,
        "code": driver.code,
        "number": driver.number,
        "nationality": driver.nationality,
    }
    if driver_id is None:
        wanted["nationality"] = driver.nationality or ""
        new_id = await queries.insert_driver(**wanted)
        summary.drivers.created += 1
        return new_id
    row = await queries.driver(driver_id)
    assert row is not None
    changes: dict[Any, Any] = {
        k: v for k, v in wanted.items() if v is not None and v != "" and row[k] != v
    }
    if changes:
        await queries.update_driver(driver_id, changes)
        summary.drivers.updated += 1
        if "ref" in changes:
            summary.adopted_refs.append(
                {"driver_id": driver_id, "old_ref": row["ref"], "new_ref": driver.ref}
            )
    return driver_id


async def _upsert_entry(
    season: int, driver_id: int, constructor_id: int | None, summary: SyncSummary
) -> None:
    row = await queries.entry(season, driver_id)
    if row is None:
        await queries.insert_entry(season, driver_id, constructor_id)
        summary.entries.created += 1
    elif constructor_id is not None and row["constructor"] != constructor_id:
        await queries.set_entry_team(row["id"], constructor_id)
        summary.entries.updated += 1


def match_schedule(
    stored: list[dict[str, Any]], schedule: list[ScheduledRace]
) -> tuple[dict[int, dict[str, Any]], list[dict[str, Any]]]:
    """Which stored race each upstream race is (by name, else by a round whose stored race
    upstream no longer names), and the stored races upstream no longer has at all."""
    names = {race.name for race in schedule}
    by_name = {row["name"]: row for row in stored}
    by_round = {row["round"]: row for row in stored}
    matched: dict[int, dict[str, Any]] = {}
    used: set[int] = set()
    for race in schedule:
        row = by_name.get(race.name)
        if row is None or row["id"] in used:
            row = by_round.get(race.round)
            if row is not None and (row["name"] in names or row["id"] in used):
                row = None
        if row is not None:
            matched[race.round] = row
            used.add(row["id"])
    return matched, [row for row in stored if row["id"] not in used]


CANCELLED_ROUND_OFFSET = 100
"""A cancelled race whose round number an upstream race took keeps ``100 + round``."""


async def _sync_schedule(
    season: int, schedule: list[ScheduledRace], summary: SyncSummary, now: datetime
) -> None:
    """Upsert the schedule; a race upstream dropped (Jolpica removes a cancelled race and
    renumbers the rest) is cancelled when it has no results yet."""
    stored = [dict(row) for row in await queries.races_unordered(season)]
    matched, gone = match_schedule(stored, schedule)
    scored = await queries.scored_races([row["id"] for row in gone])
    dropped = (
        [r for r in gone if r["status"] != "cancelled" and r["id"] not in scored]
        if schedule
        else []
    )
    taken = {race.round for race in schedule}
    moving = [row for rnd, row in matched.items() if row["round"] != rnd]
    moving += [row for row in dropped if row["round"] in taken]
    for row in moving:  # out of the way of the new numbers (unique season+round)
        await queries.update_race(row["id"], {"round": -row["id"]})
    for row in dropped:
        new_round = (
            row["round"] if row["round"] not in taken else CANCELLED_ROUND_OFFSET + row["round"]
        )
        await queries.update_race(row["id"], {"status": "cancelled", "round": new_round})
        summary.races.updated += 1
        summary.cancelled_races.append({"race_id": row["id"], "name": row["name"]})
    for race in schedule:
        await _upsert_race(race, matched.get(race.round), summary, now)


async def _upsert_race(
    race: ScheduledRace, row: dict[str, Any] | None, summary: SyncSummary, now: datetime
) -> None:
    qualifying_at = race.qualifying_at
    if qualifying_at is None:
        qualifying_at = row["qualifying_at"] if row else race.starts_at - DEFAULT_QUALIFYING_GAP
    wanted: dict[str, Any] = {
        "round": race.round,
        "name": race.name,
        "circuit": race.circuit,
        "country": race.country or (row["country"] if row else ""),
        "starts_at": race.starts_at,
        "qualifying_at": qualifying_at,
        "sprint_qualifying_at": race.sprint_qualifying_at,
        "sprint_at": race.sprint_at,
    }
    if row is None:
        await queries.insert_race(season=race.season, **wanted)
        summary.races.created += 1
        return
    changes: dict[Any, Any] = {k: v for k, v in wanted.items() if row[k] != v}
    if not changes:
        return
    if "starts_at" in changes and row["status"] == "awaiting_results" and race.starts_at > now:
        changes["status"] = "scheduled"  # postponed: it has not happened yet
    await queries.update_race(row["id"], changes)
    summary.races.updated += 1
    if {"starts_at", "qualifying_at", "sprint_qualifying_at", "sprint_at"} & changes.keys():
        summary.moved_races.append(
            {
                "race_id": row["id"],
                "round": race.round,
                "starts_at": iso_utc(race.starts_at),
                "previous_starts_at": iso_utc(row["starts_at"]),
                "qualifying_at": iso_utc(qualifying_at),
                "previous_qualifying_at": iso_utc(row["qualifying_at"]),
            }
        )
