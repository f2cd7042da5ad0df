"""Seed the results the project ships (F1DB), so a first run offline has real scores.

For every race whose ``starts_at`` has passed, that is not cancelled, has no result
revision yet and whose weekend is shipped (``draftroom/seed_data/results/``), the
classification is read through the Jolpica client served by the packaged transport
(:mod:`draftroom.jolpica.packaged`) and stored by :func:`draftroom.services.results.ingest.ingest`,
the poll's own path: revision 1, driver and team scores, verification checks, status
``provisional``. Races go in season and round order. A later poll or check that gets the
same classification from the live API writes nothing (same content hash); a corrected one
is a new revision, re-scored as usual. Idempotent: a race with results is never touched.

With a demo league, its last :data:`HISTORY_DRAFTS` seeded races first get a past draft
(:func:`draftroom.services.drafts.history.replay_past_draft`, picks along the ranking of the
rounds before), so the ingestion scores them and the demo's standings and team histories
show real points on the first visit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from draftroom.db.queries import leagues as league_queries
from draftroom.db.queries import results as result_queries
from draftroom.errors import DraftroomError
from draftroom.jolpica.packaged import packaged_client, packaged_rounds
from draftroom.services.drafts.history import replay_past_draft
from draftroom.services.rankings import ranking_ids
from draftroom.services.results import ingest
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

HISTORY_DRAFTS = 3
"""Past drafts given to the demo league (its last seeded races)."""
SOURCE = "seed"
"""``result_revision.source`` of a seeded revision."""


@dataclass
class SeededResults:
    """What one run did: races ingested (ids) and the demo drafts replayed (ids)."""

    race_ids: list[int] = field(default_factory=list)
    draft_ids: list[int] = field(default_factory=list)


async def seed_results(
    rt: Runtime, *, demo_league_id: int | None = None, now: datetime | None = None
) -> SeededResults:
    """Ingest every shipped weekend of a past race that has no results yet (see module doc)."""
    now = now or datetime.now(UTC)
    rows = await result_queries.unscored_races(now)
    demo_season = (
        await league_queries.season_of(demo_league_id) if demo_league_id is not None else None
    )
    due = [r for r in rows if r.round in packaged_rounds(r.season)]
    history = {r.id for r in [r for r in due if r.season == demo_season][-HISTORY_DRAFTS:]}
    done = SeededResults()
    async with packaged_client() as client:
        for race in due:
            found = await client.weekend_classification(race.season, race.round)
            if found is None:  # pragma: no cover - packaged_rounds lists only these
                continue
            if demo_league_id is not None and race.id in history:
                draft_id = await _replay(rt, demo_league_id, race.id, race.season)
                if draft_id is not None:
                    done.draft_ids.append(draft_id)
            try:
                outcome = await ingest.ingest(rt, race.id, found, source=SOURCE, now=now)
            except DraftroomError as error:  # one race's trouble must not stop the first run
                log.warning("seeded results of race %s refused: %s", race.id, error.message)
                continue
            if outcome.changed:
                done.race_ids.append(race.id)
    log.info("seeded results: %d races, %d demo drafts", len(done.race_ids), len(done.draft_ids))
    return done


async def _replay(rt: Runtime, league_id: int, race_id: int, season: int) -> int | None:
    """The demo's past draft of ``race_id`` (None when it has one, or cannot have one)."""
    try:
        ranking = await ranking_ids(season, league_id)
        return await replay_past_draft(rt, league_id, race_id, ranking)
    except DraftroomError as error:  # e.g. a league left with one team: results still go in
        log.warning("no past demo draft for race %s: %s", race_id, error.message)
        return None
