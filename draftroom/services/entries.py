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
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

import asyncpg

from draftroom.contracts.reference import EntryOut
from draftroom.db.engine import connection, transaction
from draftroom.db.queries import entries as queries
from draftroom.db.queries.entries import Concerned, DriverName, Race
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


async def race_pool(conn: asyncpg.Connection, season: int, race_id: int) -> list[int]:
    """The race's draftable drivers (its entry list), by id."""
    entrants, changes = await queries.entrants_and_changes(conn, season, race_id)
    return sorted(entered(entrants, changes))


async def race_entries(race_id: int) -> list[EntryOut]:
    """``GET /races/{id}/entries``: the race's entry list (NotFound for an unknown race)."""
    async with connection() as conn:
        race = await queries.race(conn, race_id)
        if race is None:
            raise NotFound(f"Race {race_id} not found.")
        entrants, changes = await queries.entrants_and_changes(conn, race.season, race_id)
    return _entries(entrants, changes)


async def _locked_race(conn: asyncpg.Connection, race_id: int) -> Race:
    race = await queries.race(conn, race_id, for_update=True)
    if race is None:
        raise NotFound(f"Race {race_id} not found.")
    if race.status in CLOSED_STATUSES:
        raise Conflict(
            f"The race is {race.status}: its entry list can no longer change.",
            details={"status": race.status},
        )
    return race


async def _driver(conn: asyncpg.Connection, driver_id: int, field: str) -> DriverName:
    row = await queries.driver_name(conn, driver_id)
    if row is None:
        raise ValidationFailed(
            f"No driver with id {driver_id}.",
            details=[{"field": field, "message": "unknown driver"}],
        )
    return row


async def _driver_by_ref(conn: asyncpg.Connection, ref: str) -> DriverName:
    if not REF_PATTERN.match(ref):
        raise ValidationFailed(
            "in_driver_ref must be a Jolpica driverId (lower case letters, digits, _).",
            details=[{"field": "in_driver_ref", "message": "not a driver ref"}],
        )
    words = ref.replace("_", " ").title().split(" ", 1)
    given, family = (words[0], words[1]) if len(words) == 2 else ("", words[0])
    return await queries.ensure_driver(conn, ref, given, family)


async def record_change(
    rt: Runtime,
    race_id: int,
    out_driver_id: int,
    in_driver_id: int | None = None,
    in_driver_ref: str | None = None,
    now: datetime | None = None,
) -> list[EntryOut]:
    """An admin's substitution (IN by id, or by ref, created when new) or withdrawal (no
    IN) for one race; the race's entries after it."""
    if in_driver_id is not None and in_driver_ref is not None:
        raise ValidationFailed(
            "Send in_driver_id or in_driver_ref, not both.",
            details=[{"field": "in_driver_ref", "message": "only one of id and ref"}],
        )
    now = now or datetime.now(UTC)
    async with transaction() as conn:
        race = await _locked_race(conn, race_id)
        out = await _driver(conn, out_driver_id, "out_driver_id")
        if in_driver_ref is not None:
            incoming: DriverName | None = await _driver_by_ref(conn, in_driver_ref)
        elif in_driver_id is not None:
            incoming = await _driver(conn, in_driver_id, "in_driver_id")
        else:
            incoming = None
        entrants, changes = await queries.entrants_and_changes(conn, race.season, race_id)
        in_id = incoming.id if incoming is not None else None
        check_change(entrants, changes, out_driver_id, in_id)
        team = next((e.constructor_id for e in entrants if e.driver_id == out_driver_id), None)
        change = Change(out_driver_id, in_id, team, "admin")
        await queries.insert_change(conn, race_id, change, now)
        items = await _notices(
            conn, race, [(change, out.name, incoming.name if incoming else None)]
        )
        stored = await notifications.insert_notifications(conn, items, now)
        entrants, changes = await queries.entrants_and_changes(conn, race.season, race_id)
    await notifications.push(rt, stored)
    return await _announce(rt, race_id, _entries(entrants, changes))


async def undo_change(rt: Runtime, race_id: int, out_driver_id: int) -> list[EntryOut]:
    """Take back the race's change of ``out_driver_id``; the race's entries after it."""
    async with transaction() as conn:
        race = await _locked_race(conn, race_id)
        if not await queries.delete_change(conn, race_id, out_driver_id):
            raise NotFound(
                "That driver has no substitution or withdrawal in this race.",
                details={"out_driver_id": out_driver_id},
            )
        entrants, changes = await queries.entrants_and_changes(conn, race.season, race_id)
    return await _announce(rt, race_id, _entries(entrants, changes))


def _entries(entrants: Iterable[Entrant], changes: Iterable[Change]) -> list[EntryOut]:
    """The domain's entry list (its dicts have this shape)."""
    return cast("list[EntryOut]", entry_list(entrants, changes))


async def _announce(rt: Runtime, race_id: int, entries: list[EntryOut]) -> list[EntryOut]:
    """``entries {race_id, entries}`` to the rooms of the race's open drafts (best effort)."""
    try:
        async with connection() as conn:
            leagues = await queries.open_draft_leagues(conn, race_id)
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
    race: Mapping[str, Any],
    c: Classification,
    driver_ids: dict[str, int],
    now: datetime,
) -> list[NewNotification]:
    """Record the substitutions the results show (inside the ingestion's transaction);
    the notifications for the owners concerned."""
    refs = sorted({r.constructor_ref for r in c.race if r.constructor_ref})
    teams = await queries.constructor_ids(conn, refs)
    rows: list[ResultRow | QualifyingRow] = [*c.race, *c.sprint, *c.qualifying]
    driven = [
        Driven(driver_ids[r.driver_ref], teams.get(r.constructor_ref or ""))
        for r in rows
        if r.driver_ref in driver_ids
    ]
    about = Race(race["id"], race["season"], race["name"], race["status"])
    entrants, changes = await queries.entrants_and_changes(conn, about.season, about.id)
    found = infer_substitutions(entrants, changes, driven)
    named: list[tuple[Change, str, str | None]] = []
    for change in found:
        await queries.insert_change(conn, about.id, change, now)
        log.info(
            "race %s: inferred %s replaced by %s", race["id"], change.out_driver, change.in_driver
        )
        out = await _driver(conn, change.out_driver, "out_driver_id")
        incoming = (
            await _driver(conn, change.in_driver, "in_driver_id") if change.in_driver else None
        )
        named.append((change, out.name, incoming.name if incoming else None))
    return await _notices(conn, about, named)


def _where(row: Concerned) -> dict[str, Any]:
    return {"league_id": row.league_id, "team_id": row.team_id, "draft_id": row.draft_id}


def _notice(
    about: tuple[Race, Change, str], row: Concerned, kind: str, title: str, body: str
) -> NewNotification:
    """One owner's notice of a change (``about``: the race, the change and what happened)."""
    race, change, what = about
    data: dict[str, Any] = {"race_id": race.id, "out_driver_id": change.out_driver}
    data |= {"in_driver_id": change.in_driver, **_where(row)}
    return NewNotification(
        row.user_id,
        kind,
        titled(title, row.league_name),
        f"{what} {body}",
        data,
        f"{kind}:{race.id}:{change.out_driver}:{row.team_id}",
    )


async def _notices(
    conn: asyncpg.Connection,
    race: Race,
    named: Sequence[tuple[Change, str, str | None]],
) -> list[NewNotification]:
    items: list[NewNotification] = []
    for change, out_name, in_name in named:
        what = f"{out_name} is out of the {race.name}" + (
            f"; {in_name} drives his car." if in_name else "."
        )
        about = (race, change, what)
        for row in await queries.drafted_by(conn, race.id, change.out_driver):
            seat = (row.policy or "seat") == "seat" and in_name is not None
            rule = (
                f"Your team scores {in_name}'s points in his place."
                if seat
                else f"{out_name} scores 0 for your team in this race."
            )
            items.append(_notice(about, row, "substitution", f"{out_name} replaced", rule))
        for row in await queries.queued_by(conn, race.id, change.out_driver):
            skip = "He is in your draft queue: autopick will skip him."
            items.append(_notice(about, row, "queue_driver_out", f"{out_name} is out", skip))
    return items
