"""Driver statistics for drafting (``/drivers/stats``, ``/drivers/{id}/stats``).

Read from the latest result revision of each race of the season (``result_revision``) and
that revision's fantasy points (``driver_score``, default scoring), computed by
:func:`draftroom.domain.driver_stats.season_stats`, and cached in Redis per season and
results revision (``results_cache``), so a new revision of any race makes a fresh entry,
like the rankings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from draftroom.db.engine import pool
from draftroom.domain.driver_stats import DriverStats, Weekend, season_stats
from draftroom.domain.results import classification_from_dict
from draftroom.errors import NotFound
from draftroom.runtime import Runtime
from draftroom.services.results import cache as results_cache
from draftroom.services.results.cache import Cached

_LATEST = """
SELECT DISTINCT ON (rr.race) rr.id, rr.race, r.round, rr.classification
FROM result_revision rr JOIN race r ON r.id = rr.race
WHERE r.season = $1 AND r.status <> 'cancelled'
ORDER BY rr.race, rr.revision DESC
"""
_POINTS = """
SELECT s.revision, d.ref, s.points FROM driver_score s JOIN driver d ON d.id = s.driver
WHERE s.revision = ANY($1::int[])
"""
_DRIVERS = """
SELECT id, ref, code, given_name, family_name FROM driver
WHERE id IN (SELECT driver FROM driver_entry WHERE season = $1) OR ref = ANY($2::text[])
ORDER BY id
"""


async def _weekends(season: int) -> list[Weekend]:
    async with pool().acquire() as conn:
        latest = await conn.fetch(_LATEST, season)
        scores = await conn.fetch(_POINTS, [r["id"] for r in latest])
    points: dict[int, dict[str, float]] = defaultdict(dict)
    for score in scores:
        points[score["revision"]][score["ref"]] = float(score["points"])
    return [
        Weekend(
            race_id=r["race"],
            round=r["round"],
            classification=classification_from_dict(json.loads(r["classification"])),
            points=points[r["id"]],
        )
        for r in latest
    ]


async def _compute(season: int) -> list[dict[str, Any]]:
    stats = season_stats(await _weekends(season))
    async with pool().acquire() as conn:
        drivers = await conn.fetch(_DRIVERS, season, sorted(stats))
    return [
        {
            "driver_id": d["id"],
            "driver_ref": d["ref"],
            "code": d["code"],
            "name": f"{d['given_name']} {d['family_name']}".strip(),
            "season": season,
            **stats.get(d["ref"], DriverStats()).to_dict(),
        }
        for d in drivers
    ]


async def season_driver_stats(rt: Runtime, season: int) -> Cached:
    """Every driver of the season (entered, or with a result) with his statistics, by id."""
    rev = await results_cache.counter(rt.redis, results_cache.RESULTS_REV_KEY)
    return await results_cache.cached(
        rt.redis, results_cache.driver_stats_key(season, rev), lambda: _compute(season)
    )


async def driver_stats(rt: Runtime, driver_id: int, season: int) -> Cached:
    """One driver's statistics in ``season`` (zeros when he has no result in it); NotFound
    for an unknown driver."""
    async with pool().acquire() as conn:
        driver = await conn.fetchrow(
            "SELECT id, ref, code, given_name, family_name FROM driver WHERE id = $1", driver_id
        )
    if driver is None:
        raise NotFound(f"Driver {driver_id} not found.")
    rows = (await season_driver_stats(rt, season)).value
    body = next((r for r in rows if r["driver_id"] == driver_id), None)
    if body is None:  # a driver of another season: nothing to count in this one
        body = {
            "driver_id": driver["id"],
            "driver_ref": driver["ref"],
            "code": driver["code"],
            "name": f"{driver['given_name']} {driver['family_name']}".strip(),
            "season": season,
            **DriverStats().to_dict(),
        }
    return Cached(body, results_cache.etag_of(body))
