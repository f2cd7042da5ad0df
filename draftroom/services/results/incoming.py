"""An incoming classification: sanity checks before storing it, and the drivers it names.

Jolpica's parser already refuses missing fields and text where numbers go; these checks
catch what parses but cannot be a real classification (duplicate drivers or positions,
negative grid). Drivers (and constructors) the payload names but we do not know are
created from it, keyed by Jolpica's ids, inside the caller's transaction.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg

from draftroom.db.queries import results as queries
from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.errors import MalformedPayload

log = logging.getLogger(__name__)

_REF = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


def validate_classification(c: Classification, season: int, round_: int) -> None:
    """Refuse a classification that cannot be stored as-is (MalformedPayload)."""
    if (c.season, c.round) != (season, round_):
        raise MalformedPayload(f"Classification is {c.season}/{c.round}, not {season}/{round_}.")
    if not c.race:
        raise MalformedPayload("The race classification is empty.")
    sessions: list[tuple[str, Any]] = [("race", c.race), ("sprint", c.sprint)]
    sessions.append(("qualifying", c.qualifying))
    for name, rows in sessions:
        refs = [r.driver_ref for r in rows]
        bad = [ref for ref in refs if not _REF.match(ref)]
        if bad:
            raise MalformedPayload(f"Bad driver id in the {name}: {bad[0]!r}.")
        if len(set(refs)) != len(refs):
            raise MalformedPayload(f"A driver appears twice in the {name} classification.")
        positions = sorted(r.position for r in rows)
        if positions and positions != list(range(1, len(rows) + 1)):
            raise MalformedPayload(f"The {name} positions are not 1..{len(rows)}.")
        for row in rows:
            if isinstance(row, ResultRow) and (row.grid < 0 or row.laps < 0):
                raise MalformedPayload(f"Negative grid or laps for {row.driver_ref} ({name}).")


async def ensure_drivers(
    conn: asyncpg.Connection, c: Classification
) -> tuple[dict[str, int], list[str]]:
    """``{driver_ref: driver_id}`` for every driver of ``c``, creating unknown ones (and their
    constructors) from the payload, keyed by Jolpica's ids; and the refs it created."""
    rows: list[ResultRow | QualifyingRow] = [*c.race, *c.sprint, *c.qualifying]
    refs = sorted({r.driver_ref for r in rows} | {q.driver_ref for q in c.qualifying})
    known = await queries.driver_ids(conn, refs)
    missing = [ref for ref in refs if ref not in known]
    if not missing:
        return known, []
    names = dict(c.driver_names)
    info: dict[str, tuple[str | None, int | None]] = {}
    for r in rows:
        old = info.get(r.driver_ref, (None, None))
        info[r.driver_ref] = (old[0] or r.constructor_ref, old[1] or r.number)
    for ref in missing:
        constructor_ref, number = info.get(ref, (None, None))
        constructor_id = None
        if constructor_ref:
            constructor_id = await queries.ensure_constructor(
                conn, constructor_ref, _title(constructor_ref)
            )
        given, _, family = names.get(ref, _title(ref)).partition(" ")
        await queries.insert_driver(conn, ref, number, given, family, constructor_id)
        log.info("created driver %s from a results payload", ref)
    return await queries.driver_ids(conn, refs), missing


async def enter_in_season(conn: asyncpg.Connection, c: Classification, refs: list[str]) -> None:
    """Enter the drivers a results payload created in its season (with the constructor they
    drove for), so that later races' pools have them without waiting for a sync."""
    teams = {r.driver_ref: r.constructor_ref for r in (*c.race, *c.sprint) if r.constructor_ref}
    for ref in refs:
        constructor_id = await queries.constructor_id(conn, teams.get(ref, ""))
        await queries.enter_driver(conn, c.season, ref, constructor_id)


def _title(ref: str) -> str:
    return ref.replace("_", " ").replace("-", " ").title()
