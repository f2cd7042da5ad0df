"""Drafts follow their race: when a weekend's sessions move, or the race is cancelled.

:func:`follow_race` is called after a sync or an admin edit changed a race. Every draft of
the race that is not finished is brought in line through the one commit path:

- a cancelled race cancels the draft (``draft:cancelled``; its members are notified);
- a moved lock (sprint qualifying, else qualifying) moves ``locks_at`` and shifts
  ``opens_at`` by the same amount (``draft:rescheduled``; members notified), and the
  runner adopts the new times from the commit's wake-up. A draft whose new lock has
  already passed is completed by autopick at once, as at lock time.

The room then gets a fresh ``draft:state``. Demo drafts keep their own short clocks.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from draftroom.db.queries import draft_planning
from draftroom.db.queries.drafts import Loaded
from draftroom.domain import draft
from draftroom.domain.draft import Transition
from draftroom.domain.weekend import lock_time, moved_opens_at
from draftroom.errors import DraftroomError
from draftroom.services.drafts.commit import commit
from draftroom.services.drafts.snapshot import announce_state
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)


def _ms(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


async def follow_race(
    rt: Runtime, race_id: int, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Cancel or move the race's unfinished drafts to match the race; what changed, per
    draft (``{draft_id, league_id, change: "cancelled" | "moved", status}``)."""
    now = now or datetime.now(UTC)
    race, drafts = await draft_planning.race_and_open_drafts(race_id)
    if race is None:
        return []
    changed: list[dict[str, Any]] = []
    new_lock = lock_time(race["qualifying_at"], race["sprint_qualifying_at"])
    for row in drafts:
        action: Any
        if race["status"] == "cancelled":
            action, change = _cancel, "cancelled"
        elif _ms(row.locks_at) != _ms(new_lock):
            action = _reschedule(
                _ms(moved_opens_at(row.opens_at, row.locks_at, new_lock)), _ms(new_lock)
            )
            change = "moved"
        else:
            continue
        try:
            done = await commit(rt, row.id, action, clock=True)
        except DraftroomError as error:  # finished meanwhile: nothing to follow
            log.info("draft %s did not follow race %s: %s", row.id, race_id, error.message)
            continue
        await announce_state(rt, row.league_id, row.id)
        changed.append(
            {
                "draft_id": row.id,
                "league_id": row.league_id,
                "change": change,
                "status": done.transition.state.status,
            }
        )
    return changed


def _cancel(loaded: Loaded, now_ms: int) -> Transition:
    return draft.cancel(loaded.state, now_ms=now_ms)


def _reschedule(opens_at_ms: int | None, locks_at_ms: int | None) -> Any:
    assert locks_at_ms is not None

    def action(loaded: Loaded, now_ms: int) -> Transition:
        return draft.reschedule(
            loaded.state, opens_at_ms=opens_at_ms, locks_at_ms=locks_at_ms, now_ms=now_ms
        )

    return action
