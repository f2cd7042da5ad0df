"""Race entry lists: the season's entrants plus per-race substitutions and withdrawals.

The rules are pure (:mod:`draftroom.domain.entries`); this module reads and writes them.
The pool rule itself is :func:`draftroom.domain.entries.pool_numbers` (the draft load
applies it to what its one statement reads; :func:`race_pool` for the others). An admin
records or undoes a change (:func:`record_change`, :func:`undo_change`); the results
ingestion records the changes its results show (:func:`infer_from_results`, inside its
transaction). Owners who drafted the replaced driver, or queued him, are told; open draft
rooms of the race get an ``entries`` event.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg

from draftroom.db.engine import pool
from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.domain.entries import (
    Change,
    Driven,
    Entrant,
    check_change,
    entered,
    entry_list,
    infer_substitutions,
)
from draftroom.errors import Conflict, NotFound, ValidationFailed
from draftroom.services import notifications
from draftroom.services.notifications import NewNotification, titled
from draftroom.services.notifier import league_namespace
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)


CLOSED_STATUSES = ("final", "cancelled")
REF_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")

_RACE = "SELECT id, season, name, status FROM race WHERE id = $1"
_ENTRANTS = """
SELECT de.driver, de.constructor FROM driver_entry de JOIN driver v ON v.id = de.driver
WHERE de.season = $1 AND de.active AND v.active
"""
_CHANGES = """
SELECT out_driver, in_driver, constructor, source FROM race_entry_change WHERE race = $1
ORDER BY id
"""
_INSERT = """
INSERT INTO race_entry_change (race, out_driver, in_driver, constructor, source, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
"""
_DRAFTED = """
SELECT DISTINCT t."user" AS user_id, t.id AS team_id, l.id AS league_id, l.name AS league_name,
       l.settings->>'substitutes' AS policy, d.id AS draft_id
FROM pick p JOIN draft d ON d.id = p.draft JOIN team t ON t.id = p.team
JOIN league l ON l.id = d.league
WHERE d.race = $1 AND p.driver = $2 AND d.status <> 'cancelled' AND NOT t.is_bot
  AND NOT l.is_mock
"""
_QUEUED = """
SELECT t."user" AS user_id, t.id AS team_id, l.id AS league_id, l.name AS league_name,
       d.id AS draft_id
FROM draft_team dt JOIN draft d ON d.id = dt.draft JOIN team t ON t.id = dt.team
JOIN league l ON l.id = d.league
WHERE d.race = $1 AND d.status IN ('scheduled', 'live', 'paused') AND NOT t.is_bot
  AND NOT l.is_mock AND dt.queue @> jsonb_build_array($2::int)
"""
_OPEN_LEAGUES = """
SELECT DISTINCT league FROM draft WHERE race = $1 AND status IN ('scheduled', 'live', 'paused')
"""


async def load(
    conn: asyncpg.Connection, season: int, race_id: int
) -> tuple[list[Entrant], list[Change]]:
    """The season's entrants and the race's changes."""
    entrants = [Entrant(r["driver"], r["constructor"]) for r in await conn.fetch(_ENTRANTS, season)]
    changes = [
        Change(r["out_driver"], r["in_driver"], r["constructor"], r["source"])
        for r in await conn.fetch(_CHANGES, race_id)
    ]
    return entrants, changes


async def race_pool(conn: asyncpg.Connection, season: int, race_id: int) -> list[int]:
    """The race's draftable drivers (its entry list), by id."""
    entrants, changes = await load(conn, season, race_id)
    return sorted(entered(entrants, changes))


async def race_entries(race_id: int) -> list[dict[str, Any]]:
    """``GET /races/{id}/entries``: the race's entry list (NotFound for an unknown race)."""
    async with pool().acquire() as conn:
        race = await conn.fetchrow(_RACE, race_id)
        if race is None:
            raise NotFound(f"Race {race_id} not found.")
        entrants, changes = await load(conn, race["season"], race_id)
    return entry_list(entrants, changes)


async def _locked_race(conn: asyncpg.Connection, race_id: int) -> asyncpg.Record:
    race = await conn.fetchrow(_RACE + " FOR UPDATE", race_id)
    if race is None:
        raise NotFound(f"Race {race_id} not found.")
    if race["status"] in CLOSED_STATUSES:
        raise Conflict(
            f"The race is {race['status']}: its entry list can no longer change.",
            details={"status": race["status"]},
        )
    return race


async def _driver(conn: asyncpg.Connection, driver_id: int, field: str) -> asyncpg.Record:
    row = await conn.fetchrow(
        "SELECT id, given_name, family_name FROM driver WHERE id = $1", driver_id
    )
    if row is None:
        raise ValidationFailed(
            f"No driver with id {driver_id}.",
            details=[{"field": field, "message": "unknown driver"}],
        )
    return row


async def _driver_by_ref(conn: asyncpg.Connection, ref: str) -> asyncpg.Record:
    if not REF_PATTERN.match(ref):
        raise ValidationFailed(
            "in_driver_ref must be a Jolpica driverId (lower case letters, digits, _).",
            details=[{"field": "in_driver_ref", "message": "not a driver ref"}],
        )
    words = ref.replace("_", " ").title().split(" ", 1)
    given, family = (words[0], words[1]) if len(words) == 2 else ("", words[0])
    await conn.execute(
        "INSERT INTO driver (ref, code, number, given_name, family_name, nationality, "
        "constructor, active) VALUES ($1, NULL, NULL, $2, $3, '', NULL, true) "
        "ON CONFLICT (ref) DO NOTHING",
        ref,
        given,
        family,
    )
    row = await conn.fetchrow("SELECT id, given_name, family_name FROM driver WHERE ref = $1", ref)
    assert row is not None
    return row


def _name(row: asyncpg.Record) -> str:
    return f"{row['given_name']} {row['family_name']}".strip()


async def record_change(
    rt: Runtime,
    race_id: int,
    out_driver_id: int,
    in_driver_id: int | None = None,
    in_driver_ref: str | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """An admin's substitution (IN by id, or by ref, created when new) or withdrawal (no
    IN) for one race; the race's entries after it."""
    if in_driver_id is not None and in_driver_ref is not None:
        raise ValidationFailed(
            "Send in_driver_id or in_driver_ref, not both.",
            details=[{"field": "in_driver_ref", "message": "only one of id and ref"}],
        )
    now = now or datetime.now(UTC)
    async with pool().acquire() as conn, conn.transaction():
        race = await _locked_race(conn, race_id)
        out = await _driver(conn, out_driver_id, "out_driver_id")
        if in_driver_ref is not None:
            incoming: asyncpg.Record | None = await _driver_by_ref(conn, in_driver_ref)
        elif in_driver_id is not None:
            incoming = await _driver(conn, in_driver_id, "in_driver_id")
        else:
            incoming = None
        entrants, changes = await load(conn, race["season"], race_id)
        in_id = incoming["id"] if incoming is not None else None
        check_change(entrants, changes, out_driver_id, in_id)
        team = next((e.constructor_id for e in entrants if e.driver_id == out_driver_id), None)
        await conn.execute(_INSERT, race_id, out_driver_id, in_id, team, "admin", now)
        change = Change(out_driver_id, in_id, team, "admin")
        items = await _notices(
            conn, race, [(change, _name(out), _name(incoming) if incoming else None)]
        )
        stored = await notifications.insert_notifications(conn, items, now)
        entrants, changes = await load(conn, race["season"], race_id)
    await notifications.push(rt, stored)
    return await _announce(rt, race_id, entry_list(entrants, changes))


async def undo_change(rt: Runtime, race_id: int, out_driver_id: int) -> list[dict[str, Any]]:
    """Take back the race's change of ``out_driver_id``; the race's entries after it."""
    async with pool().acquire() as conn, conn.transaction():
        race = await _locked_race(conn, race_id)
        deleted = await conn.fetchval(
            "DELETE FROM race_entry_change WHERE race = $1 AND out_driver = $2 RETURNING id",
            race_id,
            out_driver_id,
        )
        if deleted is None:
            raise NotFound(
                "That driver has no substitution or withdrawal in this race.",
                details={"out_driver_id": out_driver_id},
            )
        entrants, changes = await load(conn, race["season"], race_id)
    return await _announce(rt, race_id, entry_list(entrants, changes))


async def _announce(
    rt: Runtime, race_id: int, entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``entries {race_id, entries}`` to the rooms of the race's open drafts (best effort)."""
    try:
        async with pool().acquire() as conn:
            leagues = [r["league"] for r in await conn.fetch(_OPEN_LEAGUES, race_id)]
        for league_id in leagues:
            await rt.notifier.emit(
                "entries",
                {"race_id": race_id, "entries": entries},
                namespace=league_namespace(league_id),
            )
    except Exception:
        log.exception("could not announce the entries of race %s", race_id)
    return entries


async def infer_from_results(
    conn: asyncpg.Connection,
    race: asyncpg.Record,
    c: Classification,
    driver_ids: dict[str, int],
    now: datetime,
) -> list[NewNotification]:
    """Record the substitutions the results show (inside the ingestion's transaction);
    the notifications for the owners concerned."""
    refs = sorted({r.constructor_ref for r in c.race if r.constructor_ref})
    teams = {
        r["ref"]: r["id"]
        for r in await conn.fetch(
            "SELECT id, ref FROM constructor WHERE ref = ANY($1::text[])", refs
        )
    }
    rows: list[ResultRow | QualifyingRow] = [*c.race, *c.sprint, *c.qualifying]
    driven = [
        Driven(driver_ids[r.driver_ref], teams.get(r.constructor_ref or ""))
        for r in rows
        if r.driver_ref in driver_ids
    ]
    entrants, changes = await load(conn, race["season"], race["id"])
    found = infer_substitutions(entrants, changes, driven)
    named: list[tuple[Change, str, str | None]] = []
    for change in found:
        await conn.execute(
            _INSERT,
            race["id"],
            change.out_driver,
            change.in_driver,
            change.constructor_id,
            "results",
            now,
        )
        log.info(
            "race %s: inferred %s replaced by %s", race["id"], change.out_driver, change.in_driver
        )
        out = await _driver(conn, change.out_driver, "out_driver_id")
        incoming = (
            await _driver(conn, change.in_driver, "in_driver_id") if change.in_driver else None
        )
        named.append((change, _name(out), _name(incoming) if incoming else None))
    return await _notices(conn, race, named)


async def replaced_by(conn: asyncpg.Connection, race_id: int) -> dict[int, int]:
    """``{out_driver: in_driver}`` of the race's substitutions (withdrawals excluded)."""
    rows = await conn.fetch(
        "SELECT out_driver, in_driver FROM race_entry_change "
        "WHERE race = $1 AND in_driver IS NOT NULL",
        race_id,
    )
    return {r["out_driver"]: r["in_driver"] for r in rows}


def _where(row: asyncpg.Record) -> dict[str, Any]:
    return {"league_id": row["league_id"], "team_id": row["team_id"], "draft_id": row["draft_id"]}


def _notice(
    about: tuple[asyncpg.Record, Change, str], row: asyncpg.Record, kind: str, title: str, body: str
) -> NewNotification:
    """One owner's notice of a change (``about``: the race, the change and what happened)."""
    race, change, what = about
    data = {"race_id": race["id"], "out_driver_id": change.out_driver}
    data |= {"in_driver_id": change.in_driver, **_where(row)}
    return NewNotification(
        row["user_id"],
        kind,
        titled(title, row["league_name"]),
        f"{what} {body}",
        data,
        f"{kind}:{race['id']}:{change.out_driver}:{row['team_id']}",
    )


async def _notices(
    conn: asyncpg.Connection,
    race: asyncpg.Record,
    named: Sequence[tuple[Change, str, str | None]],
) -> list[NewNotification]:
    items: list[NewNotification] = []
    for change, out_name, in_name in named:
        what = f"{out_name} is out of the {race['name']}" + (
            f"; {in_name} drives his car." if in_name else "."
        )
        about = (race, change, what)
        for row in await conn.fetch(_DRAFTED, race["id"], change.out_driver):
            seat = (row["policy"] or "seat") == "seat" and in_name is not None
            rule = (
                f"Your team scores {in_name}'s points in his place."
                if seat
                else f"{out_name} scores 0 for your team in this race."
            )
            items.append(_notice(about, row, "substitution", f"{out_name} replaced", rule))
        for row in await conn.fetch(_QUEUED, race["id"], change.out_driver):
            skip = "He is in your draft queue: autopick will skip him."
            items.append(_notice(about, row, "queue_driver_out", f"{out_name} is out", skip))
    return items
