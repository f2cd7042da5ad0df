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

from draftroom.coordination.lock import OwnerLease
from draftroom.db.queries import draft_clocks
from draftroom.errors import DraftroomError
from draftroom.services.drafts.creation import create_draft
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

LEASE_KEY = "draftroom:demo:director"
DEMO_LOCK = timedelta(hours=2)


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
        for league_id, season in await draft_clocks.demo_leagues():
            draft_id = await self._ensure_draft(league_id, season, now)
            if draft_id is not None:
                created.append(draft_id)
        return created

    async def _ensure_draft(self, league_id: int, season: int, now: datetime) -> int | None:
        if await draft_clocks.has_unfinished_draft(league_id):
            return None
        last = await draft_clocks.last_draft(league_id)
        if last is not None and last[1] > now - self.gap:
            return None
        races = await draft_clocks.unscored_races(season, league_id)
        if not races:
            return None
        after = last[0] if last is not None else 0
        race_id = next((r for r, rnd in races if rnd > after), races[0][0])
        await draft_clocks.delete_finished(league_id, race_id)
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
