"""A race's latest results with fantasy points (default scoring), cached per revision."""

from __future__ import annotations

from typing import Any

from draftroom.contracts.results import DriverRankingOut, DriverResult, SessionResult
from draftroom.db.queries import results as queries
from draftroom.domain.classification import ResultRow
from draftroom.domain.results import classification_from_dict
from draftroom.errors import NotFound
from draftroom.services.rankings import driver_ranking
from draftroom.services.results import cache as results_cache
from draftroom.services.results.cache import Cached
from draftroom.services.runtime import Runtime


def _session(row: ResultRow | None) -> SessionResult | None:
    if row is None:
        return None
    return {
        "position": row.position,
        "position_text": row.position_text,
        "grid": row.grid,
        "status": row.status,
        "points": row.points,
    }


async def _build(race_id: int, revision_id: int, raw: Any, revision: int) -> list[DriverResult]:
    classification = classification_from_dict(raw)
    scores = await queries.driver_scores(revision_id)
    race = {r.driver_ref: r for r in classification.race}
    sprint = {r.driver_ref: r for r in classification.sprint}
    quali = {q.driver_ref: q.position for q in classification.qualifying}
    order = [r.driver_ref for r in classification.race]
    order += sorted((sprint.keys() | quali.keys()) - set(order))
    out: list[DriverResult] = []
    for ref in order:
        score = scores.get(ref)
        if score is None:  # cannot happen for a stored revision; skip rather than fail
            continue
        row = race.get(ref)
        out.append(
            {
                "driver_id": score.driver_id,
                "driver_ref": ref,
                "code": score.code,
                "name": f"{score.given_name} {score.family_name}".strip(),
                "race": _session(row),
                "sprint": _session(sprint.get(ref)),
                "qualifying": {"position": quali[ref]} if ref in quali else None,
                "fastest_lap": bool(row and row.fastest_lap_rank == 1),
                "fantasy_points": score.points,
                "breakdown": score.breakdown,
            }
        )
    return out


async def race_results(rt: Runtime, race_id: int) -> Cached:
    """``{race_id, revision, status, reason, fetched_at, results: [...]}`` (SPEC shape); the
    revision is null and results empty until results arrive; NotFound for an unknown race."""
    found = await queries.race_and_latest(race_id)
    if found is None:
        raise NotFound(f"Race {race_id} not found.")
    status, latest = found
    base = {"race_id": race_id, "status": status}
    if latest is None:
        body = {**base, "revision": None, "reason": None, "fetched_at": None, "results": []}
        return Cached(body, results_cache.etag_of(body))
    key = results_cache.race_results_key(race_id, latest.revision)
    rows = await results_cache.cached(
        rt.redis,
        key,
        lambda: _build(race_id, latest.id, latest.classification, latest.revision),
    )
    body = {
        **base,
        "revision": latest.revision,
        "reason": latest.reason,
        "fetched_at": latest.fetched_at.isoformat().replace("+00:00", "Z"),
        "results": rows.value,
    }
    return Cached(body, results_cache.etag_of(body))


async def rankings(rt: Runtime, season: int) -> Cached:
    """``/drivers/rankings``: the season's drivers by fantasy points (default scoring)."""
    rev = await results_cache.counter(rt.redis, results_cache.RESULTS_REV_KEY)

    async def compute() -> list[DriverRankingOut]:
        return [r.to_dict() for r in await driver_ranking(season)]

    return await results_cache.cached(rt.redis, results_cache.rankings_key(season, rev), compute)
