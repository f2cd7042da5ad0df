"""Queries on results: revisions of a race's classification, drivers' weekend scores, the
verification checks and the polling of races without results. Functions taking ``conn``
run inside the ingestion's one transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from draftroom.db.convert import jsonb
from draftroom.db.engine import pool

# Polling and checks.

_DUE = """
SELECT id FROM race_check
WHERE done_at IS NULL AND due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
ORDER BY due_at, id LIMIT $2
"""
_CLAIM = """
UPDATE race_check c SET claimed_until = $3
FROM race r
WHERE c.id = $1 AND r.id = c.race AND c.done_at IS NULL AND c.due_at <= $2
  AND (c.claimed_until IS NULL OR c.claimed_until <= $2)
RETURNING c.race, c.check_no, c.attempts, r.season, r.round
"""
_FAILED = """
UPDATE race_check SET attempts = attempts + 1, last_error = $2, claimed_until = NULL,
  due_at = $3
WHERE id = $1 AND done_at IS NULL RETURNING attempts
"""


@dataclass(frozen=True)
class RaceRef:
    """A race and where Jolpica files it."""

    id: int
    season: int
    round: int


@dataclass(frozen=True)
class Claim:
    """A verification check claimed for a run."""

    race_id: int
    check_no: int
    attempts: int
    season: int
    round: int


async def races_to_poll(now: datetime) -> list[RaceRef]:
    """Races started by ``now``, not cancelled, without results (oldest first); the
    scheduled ones among them become ``awaiting_results`` first."""
    no_results = "NOT EXISTS (SELECT 1 FROM result_revision rr WHERE rr.race = race.id)"
    async with pool().acquire() as conn:
        await conn.execute(
            "UPDATE race SET status = 'awaiting_results' "
            f"WHERE status = 'scheduled' AND starts_at <= $1 AND {no_results}",
            now,
        )
        races = await conn.fetch(
            "SELECT id, season, round FROM race WHERE starts_at <= $1 "
            f"AND status <> 'cancelled' AND {no_results} ORDER BY starts_at, id",
            now,
        )
    return [RaceRef(r["id"], r["season"], r["round"]) for r in races]


async def claim_check(check_id: int, now: datetime, until: datetime) -> Claim | None:
    """Claim the check until ``until`` when it is due and unclaimed (else None)."""
    row = await pool().fetchrow(_CLAIM, check_id, now, until)
    if row is None:
        return None
    return Claim(row["race"], row["check_no"], row["attempts"], row["season"], row["round"])


async def fail_check(check_id: int, error: str, due_at: datetime) -> int | None:
    """Record a failed run (one more attempt, due again at ``due_at``); the attempts."""
    attempts: int | None = await pool().fetchval(_FAILED, check_id, error, due_at)
    return attempts


async def due_checks(now: datetime, limit: int) -> list[int]:
    """Due, unclaimed checks, oldest first."""
    return [r["id"] for r in await pool().fetch(_DUE, now, limit)]


async def race_ref(race_id: int) -> RaceRef | None:
    """Where Jolpica files the race (None when unknown)."""
    row = await pool().fetchrow("SELECT season, round FROM race WHERE id = $1", race_id)
    return None if row is None else RaceRef(race_id, row["season"], row["round"])


# Ingestion (inside its transaction).


async def lock_race(conn: asyncpg.Connection, race_id: int) -> Mapping[str, Any] | None:
    """The race's ``id, season, round, name, status`` under its row lock."""
    row: Mapping[str, Any] | None = await conn.fetchrow(
        "SELECT id, season, round, name, status FROM race WHERE id = $1 FOR UPDATE", race_id
    )
    return row


async def latest_revision(conn: asyncpg.Connection, race_id: int) -> Mapping[str, Any] | None:
    """The race's latest ``revision, content_hash, classification``."""
    row: Mapping[str, Any] | None = await conn.fetchrow(
        "SELECT revision, content_hash, classification FROM result_revision "
        "WHERE race = $1 ORDER BY revision DESC LIMIT 1",
        race_id,
    )
    return row


async def insert_revision(
    conn: asyncpg.Connection,
    race_id: int,
    revision: int,
    content_hash: str,
    classification: dict[str, Any],
    diff: dict[str, Any] | None,
    reason: str,
    source: str,
    now: datetime,
) -> int:
    """Store a revision; its id."""
    revision_id: int = await conn.fetchval(
        """INSERT INTO result_revision
        (race, revision, content_hash, classification, diff, reason, source, fetched_at)
        VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8) RETURNING id""",
        race_id,
        revision,
        content_hash,
        json.dumps(classification),
        json.dumps(diff) if diff is not None else None,
        reason,
        source,
        now,
    )
    return revision_id


async def insert_driver_scores(
    conn: asyncpg.Connection, rows: Sequence[tuple[int, int, Any, str]]
) -> None:
    """Store drivers' weekend points ``(revision_id, driver_id, points, breakdown JSON)``."""
    await conn.executemany(
        "INSERT INTO driver_score (revision, driver, points, breakdown) VALUES ($1, $2, $3, $4)",
        rows,
    )


async def schedule_checks(conn: asyncpg.Connection, race_id: int, due: Sequence[datetime]) -> None:
    """The race's verification checks (check_no 1, 2, ...) due at ``due``."""
    await conn.executemany(
        "INSERT INTO race_check (race, check_no, due_at, done_at, attempts, outcome, "
        "last_error, claimed_until) VALUES ($1, $2, $3, NULL, 0, '', '', NULL) "
        "ON CONFLICT (race, check_no) DO NOTHING",
        [(race_id, n, at) for n, at in enumerate(due, start=1)],
    )


async def set_race_status(conn: asyncpg.Connection, race_id: int, status: str) -> None:
    """The race's status."""
    await conn.execute("UPDATE race SET status = $2 WHERE id = $1", race_id, status)


async def finish_check(
    conn: asyncpg.Connection, race_id: int, check_id: int, outcome: str, now: datetime
) -> int:
    """Mark the check done; how many of the race's checks are still pending."""
    await conn.execute(
        "UPDATE race_check SET done_at = $2, outcome = $3, last_error = '', claimed_until = NULL "
        "WHERE id = $1",
        check_id,
        now,
        outcome,
    )
    pending: int = await conn.fetchval(
        "SELECT count(*) FROM race_check WHERE race = $1 AND done_at IS NULL", race_id
    )
    return pending


async def mark_final(conn: asyncpg.Connection, race_id: int) -> None:
    """The race is final."""
    await conn.execute("UPDATE race SET status = 'final' WHERE id = $1", race_id)


# Drivers a results payload names.

_DRIVERS = "SELECT id, ref FROM driver WHERE ref = ANY($1::text[])"
_NEW_ENTRY = """
INSERT INTO driver_entry (season, driver, constructor, active)
SELECT $1, id, $3, true FROM driver WHERE ref = $2
ON CONFLICT (season, driver) DO NOTHING
"""
"""A driver the results created is entered in the season, so later pools have him."""
_NEW_CONSTRUCTOR = """
INSERT INTO constructor (ref, name, nationality, color) VALUES ($1, $2, '', '#888888')
ON CONFLICT (ref) DO NOTHING
"""
_NEW_DRIVER = """
INSERT INTO driver (ref, code, number, given_name, family_name, nationality, constructor, active)
VALUES ($1, NULL, $2, $3, $4, '', $5, true) ON CONFLICT (ref) DO NOTHING
"""


async def driver_ids(conn: asyncpg.Connection, refs: Sequence[str]) -> dict[str, int]:
    """ref -> id of the known drivers among ``refs``."""
    return {r["ref"]: r["id"] for r in await conn.fetch(_DRIVERS, list(refs))}


async def constructor_id(conn: asyncpg.Connection, ref: str) -> int | None:
    """The constructor of a Jolpica ref."""
    found: int | None = await conn.fetchval("SELECT id FROM constructor WHERE ref = $1", ref)
    return found


async def ensure_constructor(conn: asyncpg.Connection, ref: str, name: str) -> int | None:
    """The constructor of a ref, created (grey, no nationality) when new; its id."""
    await conn.execute(_NEW_CONSTRUCTOR, ref, name)
    return await constructor_id(conn, ref)


async def insert_driver(
    conn: asyncpg.Connection,
    ref: str,
    number: int | None,
    given: str,
    family: str,
    constructor: int | None,
) -> None:
    """A driver from a results payload (nothing when the ref is known)."""
    await conn.execute(_NEW_DRIVER, ref, number, given, family, constructor)


async def enter_driver(
    conn: asyncpg.Connection, season: int, ref: str, constructor: int | None
) -> None:
    """Enter the driver of ``ref`` in the season (nothing when entered)."""
    await conn.execute(_NEW_ENTRY, season, ref, constructor)


# Reading results.

_LATEST = """
SELECT id, revision, classification, reason, fetched_at FROM result_revision
WHERE race = $1 ORDER BY revision DESC LIMIT 1
"""
_SCORES = """
SELECT s.points, s.breakdown, d.id, d.ref, d.code, d.given_name, d.family_name
FROM driver_score s JOIN driver d ON d.id = s.driver WHERE s.revision = $1
"""


@dataclass(frozen=True)
class Revision:
    """A stored revision (``classification`` decoded)."""

    id: int
    revision: int
    classification: Any
    reason: str
    fetched_at: datetime


@dataclass(frozen=True)
class DriverScore:
    """A driver's weekend points in one revision (``breakdown`` decoded)."""

    driver_id: int
    ref: str
    code: str | None
    given_name: str
    family_name: str
    points: float
    breakdown: Any


async def race_and_latest(race_id: int) -> tuple[str, Revision | None] | None:
    """The race's status and its latest revision (None when there are no results yet);
    None when the race is unknown."""
    async with pool().acquire() as conn:
        race = await conn.fetchrow("SELECT id, status FROM race WHERE id = $1", race_id)
        if race is None:
            return None
        latest = await conn.fetchrow(_LATEST, race_id)
    if latest is None:
        return race["status"], None
    return race["status"], Revision(
        latest["id"],
        latest["revision"],
        jsonb(latest["classification"]),
        latest["reason"],
        latest["fetched_at"],
    )


async def driver_scores(revision_id: int) -> dict[str, DriverScore]:
    """driver ref -> weekend points of every driver in the revision."""
    rows = await pool().fetch(_SCORES, revision_id)
    return {
        r["ref"]: DriverScore(
            r["id"],
            r["ref"],
            r["code"],
            r["given_name"],
            r["family_name"],
            float(r["points"]),
            jsonb(r["breakdown"]),
        )
        for r in rows
    }


_UNSCORED = """
SELECT id, season, round FROM race r
WHERE starts_at <= $1 AND status <> 'cancelled'
  AND NOT EXISTS (SELECT 1 FROM result_revision rr WHERE rr.race = r.id)
ORDER BY season, round
"""


async def unscored_races(now: datetime) -> list[RaceRef]:
    """Races started by ``now``, not cancelled, without results, by season and round
    (unlike :func:`races_to_poll`, statuses are left alone)."""
    return [RaceRef(r["id"], r["season"], r["round"]) for r in await pool().fetch(_UNSCORED, now)]


_COMPLETE_OWNERS = """
SELECT d.id AS draft_id, d.league AS league_id, l.name AS league_name, t."user" AS user_id
FROM draft d JOIN league l ON l.id = d.league
JOIN draft_team dt ON dt.draft = d.id JOIN team t ON t.id = dt.team
WHERE d.race = $1 AND d.status = 'complete' AND NOT t.is_bot AND NOT l.is_mock
ORDER BY d.id, t.id
"""
_SCORED_LEAGUES = "SELECT DISTINCT league FROM team_race_score WHERE race = $1"


@dataclass(frozen=True)
class DraftOwner:
    """A human owner of a team in a completed draft of the race (mock drafts left out)."""

    draft_id: int
    league_id: int
    league_name: str
    user_id: int


async def owners_and_scored_leagues(race_id: int) -> tuple[list[DraftOwner], list[int]]:
    """The race's completed drafts' human owners, and the leagues with scores of the race."""
    async with pool().acquire() as conn:
        owners = await conn.fetch(_COMPLETE_OWNERS, race_id)
        scored = [r["league"] for r in await conn.fetch(_SCORED_LEAGUES, race_id)]
    return [
        DraftOwner(r["draft_id"], r["league_id"], r["league_name"], r["user_id"]) for r in owners
    ], scored
