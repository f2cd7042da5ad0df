"""A race's latest results with fantasy points (default scoring), cached per revision."""

from __future__ import annotations

import json
from typing import Any

from draftroom.db.engine import pool
from draftroom.domain.classification import ResultRow
from draftroom.domain.results import classification_from_dict
from draftroom.errors import NotFound
from draftroom.services import results_cache
from draftroom.services.rankings import driver_ranking
from draftroom.services.results_cache import Cached
from draftroom.services.runtime import Runtime

_LATEST = """
SELECT id, revision, classification, reason, fetched_at FROM result_revision
WHERE race = $1 ORDER BY revision DESC LIMIT 1
"""
_SCORES = """
SELECT s.points, s.breakdown, d.id, d.ref, d.code, d.given_name, d.family_name
FROM driver_score s JOIN driver d ON d.id = s.driver WHERE s.revision = $1
"""


def _session(row: ResultRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "position": row.position,
        "position_text": row.position_text,
        "grid": row.grid,
        "status": row.status,
        "points": row.points,
    }


async def _build(race_id: int, revision_id: int, raw: Any, revision: int) -> list[dict[str, Any]]:
    classification = classification_from_dict(json.loads(raw) if isinstance(raw, str) else raw)
    async with pool().acquire() as conn:
        scores = {r["ref"]: r for r in await conn.fetch(_SCORES, revision_id)}
    race = {r.driver_ref: r for r in classification.race}
    sprint = {r.driver_ref: r for r in classification.sprint}
    quali = {q.driver_ref: q.position for q in classification.qualifying}
    order = [r.driver_ref for r in classification.race]
    order += sorted((sprint.keys() | quali.keys()) - set(order))
    out: list[dict[str, Any]] = []
    for ref in order:
        score = scores.get(ref)
        if score is None:  # cannot happen for a stored revision; skip rather than fail
            continue
        row = race.get(ref)
        breakdown = score["breakdown"]
        out.append(
            {
                "driver_id": score["id"],
                "driver_ref": ref,
                "code": score["code"],
                "name": f"{score['given_name']} {score['family_name']}".strip(),
                "race": _session(row),
                "sprint": _session(sprint.get(ref)),
                "qualifying": {"position": quali[ref]} if ref in quali else None,
                "fastest_lap": bool(row and row.fastest_lap_rank == 1),
                "fantasy_points": float(score["points"]),
                "breakdown": json.loads(breakdown) if isinstance(breakdown, str) else breakdown,
            }
        )
    return out


async def race_results(rt: Runtime, race_id: int) -> Cached:
    """``{race_id, revision, status, reason, fetched_at, results: [...]}`` (SPEC shape); the
    revision is null and results empty until results arrive; NotFound for an unknown race."""
    async with pool().acquire() as conn:
        race = await conn.fetchrow("SELECT id, status FROM race WHERE id = $1", race_id)
        if race is None:
            raise NotFound(f"Race {race_id} not found.")
        latest = await conn.fetchrow(_LATEST, race_id)
    base = {"race_id": race_id, "status": race["status"]}
    if latest is None:
        body = {**base, "revision": None, "reason": None, "fetched_at": None, "results": []}
        return Cached(body, results_cache.etag_of(body))
    key = results_cache.race_results_key(race_id, latest["revision"])
    rows = await results_cache.cached(
        rt.redis,
        key,
        lambda: _build(race_id, latest["id"], latest["classification"], latest["revision"]),
    )
    body = {
        **base,
        "revision": latest["revision"],
        "reason": latest["reason"],
        "fetched_at": latest["fetched_at"].isoformat().replace("+00:00", "Z"),
        "results": rows.value,
    }
    return Cached(body, results_cache.etag_of(body))


async def rankings(rt: Runtime, season: int) -> Cached:
    """``/drivers/rankings``: the season's drivers by fantasy points (default scoring)."""
    rev = await results_cache.counter(rt.redis, results_cache.RESULTS_REV_KEY)

    async def compute() -> list[dict[str, Any]]:
        return [r.to_dict() for r in await driver_ranking(season)]

    return await results_cache.cached(rt.redis, results_cache.rankings_key(season, rev), compute)
