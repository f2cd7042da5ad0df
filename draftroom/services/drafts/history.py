"""A draft that took place before a past race, replayed at its own times (the seed's demo
history).

:func:`replay_past_draft` creates a league's draft of a race whose weekend is over, as if
it had been created a week before the race and opened six days before it, and completes it
at its ``locks_at`` by autopick, exactly as a draft still live at lock time is completed:
every team takes the best available driver of the league's ranking as it stands when the
draft is replayed. Call it before the race's results are ingested, so that the ingestion
scores the draft like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from draftroom.db.queries import draft_planning
from draftroom.db.queries.drafts import Loaded
from draftroom.domain import draft as rules
from draftroom.domain.draft import Transition
from draftroom.services.drafts.commit import commit
from draftroom.services.drafts.creation import create_draft
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

CREATED_BEFORE_RACE = timedelta(days=7)
OPENS_BEFORE_RACE = timedelta(days=6)


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


async def replay_past_draft(
    rt: Runtime, league_id: int, race_id: int, ranking: Sequence[int]
) -> int | None:
    """Create and complete the league's draft of ``race_id`` at the race's own times, the
    picks by autopick along ``ranking``; None (nothing done) when the league already has a
    draft of that race."""
    starts_at = await draft_planning.race_start_if_undrafted(league_id, race_id)
    if starts_at is None:
        return None
    opens_at = starts_at - OPENS_BEFORE_RACE
    draft_id = await create_draft(
        rt, league_id, race_id, opens_at=opens_at, now=starts_at - CREATED_BEFORE_RACE
    )

    def start(loaded: Loaded, _now: int) -> Transition:
        return rules.start(loaded.state, now_ms=_ms(opens_at))

    def lock(loaded: Loaded, _now: int) -> Transition:
        locks_at = loaded.state.locks_at_ms
        assert locks_at is not None  # every draft has a lock time
        return rules.complete_at_lock(
            loaded.state,
            now_ms=locks_at,
            queues=loaded.queues,
            ranking=(*ranking, *loaded.fallback_ranking()),
        )

    await commit(rt, draft_id, start, auto_advance=False)
    await commit(rt, draft_id, lock, auto_advance=False)
    log.info("replayed the past draft %s of race %s in league %s", draft_id, race_id, league_id)
    return draft_id
