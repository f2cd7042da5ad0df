"""Results ingestion: numbered revisions of a race's classification and all their scores.

:func:`ingest` is the single writer. In ONE transaction it locks the race row
(``FOR UPDATE``), compares the classification's content hash with the latest revision's
and, only when it differs, writes the next revision (with the diff to the previous one),
every driver's weekend points (default scoring), every drafted team's race score under its
league's scoring, the notifications of the owners concerned, the three verification checks
(first results only) and the race status. A failure anywhere rolls it all back, leaving the
previous revision fully in place; the unique ``(race, revision)`` constraint is the last
defence against two writers. After the commit: caches are invalidated, notifications are
pushed and each affected league namespace gets a ``standings`` event.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from draftroom.contracts.admin import CheckReport
from draftroom.db.engine import transaction
from draftroom.db.queries import results as queries
from draftroom.domain.classification import Classification
from draftroom.domain.results import (
    classification_from_dict,
    classification_hash,
    classification_to_dict,
    diff,
)
from draftroom.domain.scoring import driver_weekend_points
from draftroom.errors import Conflict, NotFound
from draftroom.services import entries, notifications, scoring
from draftroom.services.notifications import NewNotification, titled
from draftroom.services.results import cache as results_cache
from draftroom.services.results.incoming import (
    ensure_drivers,
    enter_in_season,
    validate_classification,
)
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

CHECK_OFFSETS = (timedelta(hours=24), timedelta(hours=48), timedelta(hours=72))
"""The verification checks after first results (check_no 1, 2, 3)."""


@dataclass(frozen=True)
class IngestOutcome:
    """What one ingestion did."""

    race_id: int
    changed: bool
    revision: int | None  # the new revision, or the latest one when unchanged
    first: bool = False
    reason: str = ""
    league_ids: tuple[int, ...] = ()
    notified_user_ids: tuple[int, ...] = ()
    status: str = ""
    notifications: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> CheckReport:
        """JSON-ready summary (for job results and admin responses)."""
        return {
            "race_id": self.race_id,
            "changed": self.changed,
            "revision": self.revision,
            "first": self.first,
            "reason": self.reason,
            "league_ids": list(self.league_ids),
            "notified_user_ids": list(self.notified_user_ids),
            "status": self.status,
        }


async def ingest(
    rt: Runtime,
    race_id: int,
    classification: Classification,
    *,
    source: str,
    check_id: int | None = None,
    now: datetime | None = None,
) -> IngestOutcome:
    """Store ``classification`` as the race's next revision when it differs from the latest.

    ``check_id`` (a scheduled verification check) is marked done in the same transaction.
    """
    now = now or datetime.now(UTC)
    for attempt in (1, 2):
        try:
            async with transaction() as conn:
                outcome = await _ingest_locked(conn, race_id, classification, source, check_id, now)
            break
        except asyncpg.UniqueViolationError:
            # another writer got there first despite the row lock (the unique (race,
            # revision) constraint caught it): look again, it is probably unchanged now
            if attempt == 2:
                raise
            log.warning("concurrent revision of race %s; retrying", race_id)
    await after_commit(rt, outcome)
    return outcome


async def _ingest_locked(
    conn: asyncpg.Connection,
    race_id: int,
    c: Classification,
    source: str,
    check_id: int | None,
    now: datetime,
) -> IngestOutcome:
    race = await queries.lock_race(conn, race_id)
    if race is None:
        raise NotFound(f"Race {race_id} not found.")
    if race["status"] == "cancelled":
        raise Conflict("The race is cancelled.")
    validate_classification(c, race["season"], race["round"])
    latest = await queries.latest_revision(conn, race_id)
    content_hash = classification_hash(c)
    if latest is not None and latest["content_hash"] == content_hash:
        status = await _finish_check(conn, race_id, check_id, "unchanged", now, race["status"])
        return IngestOutcome(race_id, False, latest["revision"], status=status)
    old = classification_from_dict(json.loads(latest["classification"])) if latest else None
    revision = latest["revision"] + 1 if latest else 1
    change = diff(old, c) if old is not None else None
    reason = change.reason if change else "First results"
    revision_id = await queries.insert_revision(
        conn,
        race_id,
        revision,
        content_hash,
        classification_to_dict(c),
        change.to_dict() if change else None,
        reason,
        source,
        now,
    )
    driver_ids, created = await ensure_drivers(conn, c)
    await _write_driver_scores(conn, revision_id, c, driver_ids)
    substituted = await entries.infer_from_results(conn, race, c, driver_ids, now)
    await enter_in_season(conn, c, created)
    team_rows = scoring.score_lineups(await scoring.load_lineups(conn, race_id), c, driver_ids)
    before = await scoring.team_points_before(conn, race_id, revision)
    await scoring.write_team_scores(conn, race_id, revision, team_rows, now)
    items = substituted + _notifications(
        race, revision, reason, team_rows, before, first=old is None
    )
    stored = await notifications.insert_notifications(conn, items, now)
    status = race["status"]
    if old is None:
        await queries.schedule_checks(conn, race_id, [now + offset for offset in CHECK_OFFSETS])
        status = "provisional"
        await queries.set_race_status(conn, race_id, status)
    status = await _finish_check(conn, race_id, check_id, f"revision {revision}", now, status)
    return IngestOutcome(
        race_id=race_id,
        changed=True,
        revision=revision,
        first=old is None,
        reason=reason,
        league_ids=tuple(sorted({r.league_id for r in team_rows})),
        notified_user_ids=tuple(sorted({n["user_id"] for n in stored})),
        status=status,
        notifications=stored,
    )


async def _write_driver_scores(
    conn: asyncpg.Connection, revision_id: int, c: Classification, driver_ids: dict[str, int]
) -> None:
    points = driver_weekend_points(c)
    await queries.insert_driver_scores(
        conn,
        [
            (revision_id, driver_ids[ref], Decimal(str(p.total)), json.dumps(p.breakdown))
            for ref, p in sorted(points.items())
        ],
    )


async def _finish_check(
    conn: asyncpg.Connection,
    race_id: int,
    check_id: int | None,
    outcome: str,
    now: datetime,
    status: str,
) -> str:
    """Mark the check done; the race is final once no scheduled check remains."""
    if check_id is None:
        return status
    pending = await queries.finish_check(conn, race_id, check_id, outcome, now)
    if pending == 0 and status != "final":
        status = "final"
        await queries.mark_final(conn, race_id)
    return str(status)


def _notifications(
    race: Mapping[str, Any],
    revision: int,
    reason: str,
    rows: list[scoring.TeamScoreRow],
    before: dict[int, float],
    *,
    first: bool,
) -> list[NewNotification]:
    race_id, name = race["id"], race["name"]
    items: list[NewNotification] = []
    for row in rows:
        if row.is_bot or row.is_demo:
            continue
        old = before.get(row.team_id)
        base = {"race_id": race_id, "league_id": row.league_id, "team_id": row.team_id,
                "league_name": row.league_name}  # fmt: skip
        if first or old is None:
            items.append(
                NewNotification(
                    row.user_id,
                    "results_available",
                    titled(f"Results: {name}", row.league_name)
                    if row.league_name
                    else f"Results: {name}",
                    f"{row.team_name} scored {row.points:g} points.",
                    {**base, "points": row.points, "revision": revision},
                    f"results_available:{race_id}:{row.team_id}",
                )
            )
        elif old != row.points:
            items.append(
                NewNotification(
                    row.user_id,
                    "results_corrected",
                    titled(f"Results corrected: {name}", row.league_name)
                    if row.league_name
                    else f"Results corrected: {name}",
                    f"{row.team_name}: {old:g} → {row.points:g} points. {reason}",
                    {
                        **base,
                        "old_points": old,
                        "new_points": row.points,
                        "reason": reason,
                        "revision": revision,
                    },
                    f"results_corrected:{race_id}:{revision}:{row.team_id}",
                )
            )
    return items


async def after_commit(rt: Runtime, outcome: IngestOutcome) -> None:
    """Invalidate caches, push notifications and live standings (best effort)."""
    if not outcome.changed:
        return
    from draftroom.services import standings  # standings reads what ingest writes

    try:
        await results_cache.invalidate_race(
            rt.redis, outcome.race_id, outcome.league_ids, outcome.revision
        )
    except Exception:
        log.exception("could not invalidate caches of race %s", outcome.race_id)
    await notifications.push(rt, outcome.notifications)
    for league_id in outcome.league_ids:
        try:
            await standings.push_standings(rt, league_id, outcome.race_id, outcome.revision)
        except Exception:
            log.exception("could not push standings of league %s", league_id)
