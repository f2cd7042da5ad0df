"""Creating each league's upcoming race drafts automatically (the taskiq job's body).

For every league with at least two teams (the demo league has its own director), the
next upcoming race of its season gets a draft, plus any later race whose draft would
open within :data:`HORIZON`. ``opens_at`` = the draft's lock (sprint qualifying on a sprint
weekend, else qualifying) minus the league's
``draft_opens_hours_before`` (0 = no opens_at: the commissioner starts it). The draft
supervisor opens scheduled drafts at ``opens_at``. Idempotent: a race that already has
a draft in the league is skipped.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from draftroom.db.queries import draft_planning
from draftroom.domain.league_settings import LeagueSettings
from draftroom.domain.weekend import default_opens_at, lock_time
from draftroom.errors import DraftroomError
from draftroom.services.drafts.creation import create_draft
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

HORIZON = timedelta(hours=24)


async def ensure_upcoming_drafts(rt: Runtime, now: datetime | None = None) -> list[int]:
    """Create the drafts that are due in every league; returns the new draft ids."""
    now = now or datetime.now(UTC)
    created: list[int] = []
    for league in await draft_planning.leagues_to_schedule():
        settings = LeagueSettings.from_stored(league.settings)
        hours = settings.draft_opens_hours_before
        upcoming = await draft_planning.upcoming_races(league.season, now, league.id)
        for index, race in enumerate(upcoming):
            locks_at = lock_time(race.qualifying_at, race.sprint_qualifying_at)
            opens_at = default_opens_at(locks_at, hours)
            if index > 0 and (opens_at is None or opens_at > now + HORIZON):
                break
            if race.has_draft:
                continue
            try:
                created.append(
                    await create_draft(rt, league.id, race.id, opens_at=opens_at, now=now)
                )
            except DraftroomError as error:
                log.warning(
                    "no draft for race %s in league %s: %s", race.id, league.id, error.message
                )
                break
    return created
