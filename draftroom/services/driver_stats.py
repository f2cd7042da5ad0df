"""Driver statistics for drafting (``/drivers/stats``, ``/drivers/{id}/stats``).

Read from the latest result revision of each race of the season (``result_revision``) and
that revision's fantasy points (``driver_score``, default scoring), computed by
:func:`draftroom.domain.driver_stats.season_stats`, and cached in Redis per season and
results revision (:mod:`draftroom.services.results.cache`), so a new revision of any race
makes a fresh entry, like the rankings.
"""

from __future__ import annotations

from typing import cast

from draftroom.contracts.results import DriverStatsOut
from draftroom.db.queries import rankings as queries
from draftroom.domain.driver_stats import DriverStats, Weekend, season_stats
from draftroom.domain.results import classification_from_dict
from draftroom.errors import NotFound
from draftroom.services.results import cache as results_cache
from draftroom.services.results.cache import Cached
from draftroom.services.runtime import Runtime


async def _weekends(season: int) -> list[Weekend]:
    return [
        Weekend(
            race_id=r.race_id,
            round=r.round,
            classification=classification_from_dict(r.classification),
            points=r.points,
        )
        for r in await queries.latest_revisions(season)
    ]


async def _compute(season: int) -> list[DriverStatsOut]:
    stats = season_stats(await _weekends(season))
    return [
        cast(  # the domain's stats dict completes the shape
            "DriverStatsOut",
            {
                "driver_id": d.id,
                "driver_ref": d.ref,
                "code": d.code,
                "name": d.name,
                "season": season,
                **stats.get(d.ref, DriverStats()).to_dict(),
            },
        )
        for d in await queries.season_drivers_by_id(season, sorted(stats))
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
    driver = await queries.driver(driver_id)
    if driver is None:
        raise NotFound(f"Driver {driver_id} not found.")
    rows = (await season_driver_stats(rt, season)).value
    body = next((r for r in rows if r["driver_id"] == driver_id), None)
    if body is None:  # a driver of another season: nothing to count in this one
        body = {
            "driver_id": driver.id,
            "driver_ref": driver.ref,
            "code": driver.code,
            "name": driver.name,
            "season": season,
            **DriverStats().to_dict(),
        }
    return Cached(body, results_cache.etag_of(body))
