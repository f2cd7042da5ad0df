"""The demo league's director: a new draft every few minutes so visitors see a live room.

Runs in every serve process when ``DRAFTROOM_DEMO`` is on, but acts only while holding the
``draftroom:demo:director`` lease, so two processes never create two drafts. When the demo
league has no scheduled, live or paused draft and its last draft ended more than
``gap_s`` ago, it creates one on the race after its last draft's (cycling; a finished demo
draft of that race is deleted first), opening ``open_delay_s`` later. A race the league has
scores for (a draft that real results scored, such as the seed's past drafts) is history:
the director never deletes that draft nor drafts that race again. The bots then pick
from the draft's runner (:mod:`draftroom.runner.bots`); the seat left open in the league
is for a visitor who joins by code.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from draftroom.coordination.lock import OwnerLease
from draftroom.db.queries import drafts as store
from draftroom.errors import DraftroomError
from draftroom.runtime import Runtime
from draftroom.services.drafts.creation import create_draft

log = logging.getLogger(__name__)

LEASE_KEY = "draftroom:demo:director"
DEMO_LOCK = timedelta(hours=2)
_SCORED = "SELECT 1 FROM team_race_score s WHERE s.league = $2 AND s.race = {race}"
_FREE_RACES = f"""
SELECT r.id, r.round FROM race r WHERE r.season = $1 AND r.status <> 'cancelled'
  AND NOT EXISTS ({_SCORED.format(race="r.id")})
ORDER BY r.round
"""
_DELETE_FINISHED = f"""
DELETE FROM draft d WHERE d.league = $1 AND d.race = $2 AND d.status IN ('complete', 'cancelled')
  AND NOT EXISTS ({_SCORED.format(race="d.race")})
"""


class DemoDirector:
    """Keeps a draft coming in every demo league (``League.is_demo``)."""

    def __init__(
        self,
        rt: Runtime,
        *,
        interval_s: float = 5.0,
        gap_s: float = 90.0,
        open_delay_s: float = 15.0,
    ) -> None:
        self.rt = rt
        self.interval_s = interval_s
        self.gap = timedelta(seconds=gap_s)
        self.open_delay = timedelta(seconds=open_delay_s)

    async def run(self) -> None:
        """Tick forever while holding the director lease."""
        lease = OwnerLease(self.rt.redis, LEASE_KEY, int(self.interval_s * 3000))
        held = False
        try:
            while True:
                try:
                    held = await lease.renew() if held else await lease.acquire()
                    if held:
                        await self.tick()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    held = False
                    log.warning("demo director tick failed", exc_info=True)
                await asyncio.sleep(self.interval_s)
        finally:
            if held:
                await asyncio.shield(lease.release())

    async def tick(self, now: datetime | None = None) -> list[int]:
        """Create the drafts that are due; returns their ids."""
        now = now or datetime.now(UTC)
        created = []
        for league in await store.pool().fetch("SELECT id, season FROM league WHERE is_demo"):
            draft_id = await self._ensure_draft(league, now)
            if draft_id is not None:
                created.append(draft_id)
        return created

    async def _ensure_draft(self, league: Any, now: datetime) -> int | None:
        conn = store.pool()
        league_id = league["id"]
        active = await conn.fetchval(
            "SELECT 1 FROM draft WHERE league = $1 AND status IN ('scheduled', 'live', 'paused')",
            league_id,
        )
        if active:
            return None
        last = await conn.fetchrow(
            "SELECT r.round, coalesce(d.completed_at, d.started_at, d.created_at) AS ended "
            "FROM draft d JOIN race r ON r.id = d.race "
            "WHERE d.league = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT 1",
            league_id,
        )
        if last is not None and last["ended"] > now - self.gap:
            return None
        races = await conn.fetch(_FREE_RACES, league["season"], league_id)
        if not races:
            return None
        after = last["round"] if last is not None else 0
        race_id = next((r["id"] for r in races if r["round"] > after), races[0]["id"])
        await conn.execute(_DELETE_FINISHED, league_id, race_id)
        try:
            draft_id = await create_draft(
                self.rt,
                league_id,
                race_id,
                opens_at=now + self.open_delay,
                locks_at=now + DEMO_LOCK,
                now=now,
            )
        except DraftroomError as error:
            log.warning("demo draft not created in league %s: %s", league_id, error.message)
            return None
        log.info("demo draft %s created in league %s", draft_id, league_id)
        return draft_id
