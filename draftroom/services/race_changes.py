"""What follows when a race weekend changes (an admin's edit or a sync).

- Sessions moved: the race's unfinished drafts move with it
  (:func:`draftroom.services.drafts.following.follow_race`).
- Cancelled: its unfinished drafts are cancelled (members notified by the commit); a race
  whose draft already completed scores nothing and counts for no standings, and the
  human owners of those drafts are told once (``race_cancelled``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from draftroom.contracts.reference import RaceOut
from draftroom.db.queries import results as queries
from draftroom.services import notifications, reference, reference_admin
from draftroom.services.drafts.following import follow_race
from draftroom.services.notifications import NewNotification, titled
from draftroom.services.results import cache as results_cache
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)


async def edit_race(rt: Runtime, race_id: int, changes: Mapping[str, Any]) -> RaceOut:
    """An admin's change to a race, then its drafts follow (:func:`race_changed`)."""
    before = await reference.get_race(race_id)
    after = await reference_admin.update_race(race_id, changes)
    await race_changed(rt, race_id, was_cancelled=before["status"] == "cancelled")
    return after


async def race_changed(
    rt: Runtime, race_id: int, *, was_cancelled: bool = False, now: datetime | None = None
) -> dict[str, Any]:
    """Bring the race's drafts in line with the race; on a new cancellation also tell the
    owners of its completed drafts and drop the race from their standings."""
    drafts = await follow_race(rt, race_id, now)
    race = await reference.get_race(race_id)
    told: list[int] = []
    if race["status"] == "cancelled" and not was_cancelled:
        told = await _cancelled_after_draft(rt, race)
    return {"race_id": race_id, "drafts": drafts, "notified_user_ids": told}


async def _cancelled_after_draft(rt: Runtime, race: Mapping[str, Any]) -> list[int]:
    race_id = int(race["id"])
    owners, scored = await queries.owners_and_scored_leagues(race_id)
    items = [
        NewNotification(
            row.user_id,
            "race_cancelled",
            titled(f"{race['name']} was cancelled", row.league_name),
            f"The race was cancelled: your {row.league_name} draft for it scores nothing "
            "and does not count in the standings.",
            {"race_id": race_id, "league_id": row.league_id, "draft_id": row.draft_id},
            f"race_cancelled:{race_id}:{row.league_id}:{row.user_id}",
        )
        for row in owners
    ]
    await notifications.notify_many(rt, items)
    leagues = scored or sorted({row.league_id for row in owners})
    try:
        await results_cache.invalidate_race(rt.redis, race_id, leagues)
    except Exception:
        log.exception("could not invalidate the standings of cancelled race %s", race_id)
    return sorted({row.user_id for row in owners})
