"""Bots: bot teams (``Team.is_bot``: the demo's, a mock draft's) pick after a short random
think time, one of the best few available drivers by the league's ranking.

A :class:`BotPlayer` lives in a draft's runner (so only the lease holder drives the bots)
and picks through the same command as a person, :func:`commands.make_pick`. In a draft
with a seed (a mock draft's ``bot_seed``) each choice is drawn from that seed and the pick
number, so the same draft makes the same picks wherever and whenever it runs.
"""

from __future__ import annotations

import logging
import random

from draftroom.db.queries.drafts import Loaded
from draftroom.errors import DraftroomError
from draftroom.services.drafts.commands import make_pick
from draftroom.services.drafts.commit import ranking_for
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

THINK_S = (1.0, 5.0)
"""A bot's think time, uniformly drawn in this range (seconds)..."""
CLOCK_SHARE = 0.6
"""...and never more than this share of the time left on its clock (a 5 s clock: 3 s)."""
DEADLINE_MARGIN_MS = 500
TOP_CHOICES = 3


def choose(available: list[int], rng: random.Random, seed: int | None, pick_no: int) -> int:
    """One of the first TOP_CHOICES of ``available`` (best first): drawn from ``seed`` and
    ``pick_no`` when seeded, else from ``rng``."""
    draw = random.Random(f"{seed}:{pick_no}") if seed is not None else rng
    return draw.choice(available[:TOP_CHOICES])


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
            left_ms = state.deadline_ms - now
            think_ms = min(think_ms, int(left_ms * CLOCK_SHARE), left_ms - DEADLINE_MARGIN_MS)
            at = max(now, now + think_ms)
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
        ranked = list(dict.fromkeys(await ranking_for(rt, loaded)))
        available = queue or [d for d in ranked if d in state.pool and d not in taken]
        if not available:
            return
        driver = choose(available, self._rng, loaded.bot_seed, pick_no)
        try:
            await make_pick(rt, loaded.draft_id, loaded.owners[team], pick_no, driver)
        except DraftroomError as error:  # someone else moved the draft on first
            log.info("bot pick refused in draft %s: %s", loaded.draft_id, error.code)
