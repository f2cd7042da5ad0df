"""Results polling and verification checks (the use cases behind the taskiq jobs and the
admin routes).

- :func:`poll` (hourly): every race whose ``starts_at`` has passed and that has no results
  yet (``scheduled`` ones move to ``awaiting_results``) is fetched; results found are
  ingested as revision 1, which also schedules the three verification checks. A race with
  a bad payload is skipped; when Jolpica itself is down (retries spent) the poll stops
  there, and the next hour's poll tries again.
- :func:`run_due_checks` (every minute): runs every check whose ``due_at`` has passed and
  that is not done, so a check that fell due while no worker ran (restart) runs now. A check
  is claimed with a lease (``claimed_until``) so two ticks never run it at once; a failure
  (fetch exhausted its retries, bad payload, crash in the transaction) leaves it due with
  ``attempts + 1`` and ``due_at`` a little later, and nothing written.
- :func:`check_race` (admin): a check at any time, also of a final race; it does not count
  toward the three.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from draftroom.contracts.admin import CheckReport, PollReport
from draftroom.coordination.ratelimit import RateLimiter
from draftroom.db.queries import results as queries
from draftroom.domain.classification import Classification
from draftroom.errors import MalformedPayload, NotFound, UpstreamError
from draftroom.jolpica.client import JolpicaClient
from draftroom.services.results import ingest
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

CHECK_LEASE = timedelta(minutes=10)
RETRY_BASE = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=2)
DUE_BATCH = 50


def jolpica_client(rt: Runtime) -> JolpicaClient:
    """A Jolpica client on ``JOLPICA_BASE_URL`` sharing the Redis rate limit."""
    if rt.jolpica_factory is not None:
        return rt.jolpica_factory()
    return JolpicaClient(rt.settings.jolpica_base_url, limiter=RateLimiter(rt.redis))


def retry_delay(attempts: int) -> timedelta:
    """How long a failed check waits after its ``attempts``-th failure (5 min doubling, ≤ 2 h)."""
    return min(RETRY_MAX, RETRY_BASE * 2 ** max(0, attempts - 1))


async def poll(rt: Runtime, now: datetime | None = None) -> PollReport:
    """The hourly poll; returns ``{considered, ingested, waiting, failed}``."""
    now = now or datetime.now(UTC)
    races = await queries.races_to_poll(now)
    report: PollReport = {
        "considered": [r.id for r in races],
        "ingested": [],
        "waiting": [],
        "failed": [],
    }
    async with jolpica_client(rt) as client:
        for race in races:
            try:
                found = await client.weekend_classification(race.season, race.round)
                if found is None:
                    report["waiting"].append(race.id)
                    continue
                outcome = await ingest.ingest(rt, race.id, found, source="poll", now=now)
                report["ingested"].append(outcome.to_dict())
            except Exception as error:  # one race's bad data must not stop the others
                log.warning("poll of race %s failed: %s", race.id, error, exc_info=True)
                report["failed"].append({"race_id": race.id, "error": _describe(error)})
                if _upstream_down(error):  # retries are spent: leave the rest to next hour
                    done = {race.id} | {f["race_id"] for f in report["failed"]}
                    done |= set(report["waiting"]) | {i["race_id"] for i in report["ingested"]}
                    report["failed"] += [
                        {"race_id": r.id, "error": "skipped: Jolpica unavailable"}
                        for r in races
                        if r.id not in done
                    ]
                    break
    return report


def _upstream_down(error: BaseException) -> bool:
    return isinstance(error, UpstreamError) and not isinstance(error, MalformedPayload)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


async def run_check(rt: Runtime, check_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Run one scheduled check if it is due and unclaimed; ``outcome`` says what happened."""
    now = now or datetime.now(UTC)
    claim = await queries.claim_check(check_id, now, now + CHECK_LEASE)
    if claim is None:
        return {"check_id": check_id, "outcome": "skipped"}
    report: dict[str, Any] = {
        "check_id": check_id,
        "race_id": claim.race_id,
        "check_no": claim.check_no,
    }
    try:
        found = await _fetch(rt, claim.season, claim.round)
        outcome = await ingest.ingest(
            rt,
            claim.race_id,
            found,
            source=f"check {claim.check_no}",
            check_id=check_id,
            now=now,
        )
    except Exception as error:
        attempts = await _reschedule(check_id, error, claim.attempts + 1, now)
        log.warning(
            "check %s of race %s failed (attempt %s): %s",
            claim.check_no,
            claim.race_id,
            attempts,
            error,
        )
        return {**report, "outcome": "failed", "attempts": attempts, "error": _describe(error)}
    return {**report, "outcome": "changed" if outcome.changed else "unchanged", **outcome.to_dict()}


async def _fetch(rt: Runtime, season: int, round_: int) -> Classification:
    async with jolpica_client(rt) as client:
        found = await client.weekend_classification(season, round_)
    if found is None:
        raise UpstreamError(f"Jolpica has no results for {season} round {round_} any more.")
    return found


async def _reschedule(check_id: int, error: BaseException, attempts: int, now: datetime) -> int:
    stored = await queries.fail_check(check_id, _describe(error), now + retry_delay(attempts))
    return int(stored or attempts)


async def run_due_checks(rt: Runtime, now: datetime | None = None) -> list[dict[str, Any]]:
    """Run every due check (oldest first); the minute tick."""
    now = now or datetime.now(UTC)
    due = await queries.due_checks(now, DUE_BATCH)
    return [await run_check(rt, check_id, now) for check_id in due]


async def check_race(rt: Runtime, race_id: int, now: datetime | None = None) -> CheckReport:
    """An admin's check of one race now (any status but cancelled; not one of the three)."""
    race = await queries.race_ref(race_id)
    if race is None:
        raise NotFound(f"Race {race_id} not found.")
    async with jolpica_client(rt) as client:
        found = await client.weekend_classification(race.season, race.round)
    if found is None:
        return {
            "race_id": race_id,
            "changed": False,
            "revision": None,
            "reason": "No results published yet.",
        }
    outcome = await ingest.ingest(rt, race_id, found, source="admin", now=now)
    return outcome.to_dict()
