"""Demo bots: bot teams (``Team.is_bot``) pick after a short random think time.

A :class:`BotPlayer` lives in a draft's runner (so only the lease holder drives the bots)
and picks through the same command as a person, :func:`commands.make_pick`.
"""

from __future__ import annotations

import logging
import random

from draftroom.db.queries.drafts import Loaded
from draftroom.errors import DraftroomError
from draftroom.runtime import Runtime
from draftroom.services.drafts.commands import make_pick
from draftroom.services.drafts.commit import ranking_for

log = logging.getLogger(__name__)

THINK_S = (1.0, 5.0)
"""A bot's think time, uniformly drawn in this range (seconds)."""
DEADLINE_MARGIN_MS = 500
TOP_CHOICES = 3


class BotPlayer:
    """Plans and makes the picks of bot teams on the clock."""

    def __init__(self, rng: random.Random | None = None, think_s: tuple[float, float] = THINK_S):
        self._rng = rng or random.Random()
        self._think_s = think_s
        self._plans: dict[tuple[int, int, int], int] = {}

    def next_pick_at(self, loaded: Loaded, now: int) -> int | None:
        """When the bot on the clock will pick (ms), or None when no bot is on the clock."""
        state = loaded.state
        team = state.on_the_clock
        pick_no = state.current_pick_no
        if (
            state.status != "live"
            or state.deadline_ms is None
            or team is None
            or pick_no is None
            or team not in loaded.bots
            or team in state.autodraft
            or state.draft_type == "auto"
        ):
            return None
        key = (loaded.draft_id, pick_no, state.deadline_ms)
        at = self._plans.get(key)
        if at is None:
            think_ms = int(self._rng.uniform(*self._think_s) * 1000)
            at = max(now, min(now + think_ms, state.deadline_ms - DEADLINE_MARGIN_MS))
            if len(self._plans) > 1000:
                self._plans.clear()
            self._plans[key] = at
        return at

    async def pick(self, rt: Runtime, loaded: Loaded) -> None:
        """Pick for the bot on the clock: one of the best few available drivers."""
        state = loaded.state
        team, pick_no = state.on_the_clock, state.current_pick_no
        if team is None or pick_no is None or state.deadline_ms is None:
            return
        self._plans.pop((loaded.draft_id, pick_no, state.deadline_ms), None)
        taken = state.taken
        queue = [d for d in loaded.queues.get(team, []) if d in state.pool and d not in taken]
        ranked = list(dict.fromkeys(await ranking_for(loaded)))
        available = queue or [d for d in ranked if d in state.pool and d not in taken]
        if not available:
            return
        driver = self._rng.choice(available[:TOP_CHOICES])
        try:
            await make_pick(
                rt, loaded.draft_id, loaded.owners[team], pick_no, driver, allow_commissioner=False
            )
        except DraftroomError as error:  # someone else moved the draft on first
            log.info("bot pick refused in draft %s: %s", loaded.draft_id, error.code)
