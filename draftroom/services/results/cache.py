"""Redis cache of computed results views (standings, race results, rankings), with ETags.

Keys carry the revision they were computed from, so a new revision makes new keys; the
ingestion also bumps the revision counters and deletes the superseded keys. Entries expire
after 4 hours whatever happens.

- standings: ``draftroom:standings:{league_id}:{season}:{rev}``, ``rev`` = the league's
  counter ``draftroom:standings:rev:{league_id}`` (bumped when a revision of one of its
  races lands, or by :func:`invalidate_league`).
- race results: ``draftroom:race_results:{race_id}:{revision}``.
- rankings: ``draftroom:rankings:{season}:{rev}``, ``rev`` = ``draftroom:results:rev``
  (bumped by every revision); driver statistics: ``draftroom:driver_stats:{season}:{rev}``,
  likewise.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

log = logging.getLogger(__name__)

TTL_S = 4 * 3600
_PREFIX = "draftroom:"
RESULTS_REV_KEY = f"{_PREFIX}results:rev"


@dataclass(frozen=True)
class Cached:
    """A JSON-ready value and its ETag."""

    value: Any
    etag: str


def etag_of(value: Any) -> str:
    """A strong ETag of a JSON-ready value (quoted, as HTTP wants it)."""
    raw = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def league_rev_key(league_id: int) -> str:
    """The counter of a league's standings revision."""
    return f"{_PREFIX}standings:rev:{league_id}"


def standings_key(league_id: int, season: int, rev: int) -> str:
    """Cache key of a league's standings at a revision."""
    return f"{_PREFIX}standings:{league_id}:{season}:{rev}"


def race_results_key(race_id: int, revision: int) -> str:
    """Cache key of a race's results at a revision."""
    return f"{_PREFIX}race_results:{race_id}:{revision}"


def rankings_key(season: int, rev: int) -> str:
    """Cache key of a season's driver rankings at a results revision."""
    return f"{_PREFIX}rankings:{season}:{rev}"


def driver_stats_key(season: int, rev: int) -> str:
    """Cache key of a season's driver statistics at a results revision."""
    return f"{_PREFIX}driver_stats:{season}:{rev}"


async def counter(redis: aioredis.Redis, key: str) -> int:
    """The current value of a revision counter (0 when never bumped)."""
    value = await redis.get(key)
    return int(value) if value else 0


async def cached(redis: aioredis.Redis, key: str, compute: Callable[[], Awaitable[Any]]) -> Cached:
    """The value under ``key``, computing and storing it (TTL 4 h) on a miss.

    Redis trouble never fails a read: the value is then computed and served uncached.
    """
    try:
        raw = await redis.get(key)
    except Exception:
        log.warning("results cache unavailable for %s", key, exc_info=True)
        raw = None
    if raw:
        entry = json.loads(raw)
        return Cached(entry["value"], entry["etag"])
    value = await compute()
    entry = Cached(value, etag_of(value))
    try:
        await redis.set(key, json.dumps({"value": value, "etag": entry.etag}), ex=TTL_S)
    except Exception:
        log.warning("could not cache %s", key, exc_info=True)
    return entry


async def invalidate_league(redis: aioredis.Redis, league_id: int) -> None:
    """Make the league's cached standings stale (call after teams join, leave or rename)."""
    await redis.incr(league_rev_key(league_id))


async def invalidate_race(
    redis: aioredis.Redis, race_id: int, league_ids: Iterable[int], revision: int | None = None
) -> None:
    """A revision of ``race_id`` landed: bump the counters and drop superseded entries."""
    pipe = redis.pipeline(transaction=False)
    pipe.incr(RESULTS_REV_KEY)
    for league_id in league_ids:
        pipe.incr(league_rev_key(league_id))
    if revision and revision > 1:
        pipe.delete(race_results_key(race_id, revision - 1))
    await pipe.execute()
