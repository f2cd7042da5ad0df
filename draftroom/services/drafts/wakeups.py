"""Wake-ups of draft runners, carrying the draft's new clock.

A commit's broadcast carries a :class:`~draftroom.services.notifier.Wake` with the draft's
``seq``, ``status`` and next due time (``due_ms`` None when no time will change the draft),
on the league's channel, which the process running the draft receives (its runner holds
the channel). The runner re-arms its timer from it alone, without reading the draft; a
wake without ``seq`` means "read the draft again". Pub/sub may drop messages (a Redis
restart): runners also re-read the clock row every few seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from draftroom.domain.draft import DraftState, next_due_ms
from draftroom.services.notifier import Broadcast, Wake, league_namespace
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftClock:
    """What a runner needs to know: the draft's last seq, status and next due time."""

    seq: int
    status: str
    due_ms: int | None

    @classmethod
    def of(cls, state: DraftState, now_ms: int) -> DraftClock:
        """The clock of a state (``due_ms`` may be ``now_ms`` when work is due now)."""
        return cls(state.seq, state.status, next_due_ms(state, now_ms))

    def wake(self, draft_id: int) -> Wake:
        """The wake-up that carries this clock."""
        return Wake(draft_id, self.seq, self.status, self.due_ms)

    @classmethod
    def from_wake(cls, wake: Wake) -> DraftClock | None:
        """The clock a wake-up carries (None: the sender did not know it)."""
        if wake.seq is None:
            return None
        return cls(wake.seq, wake.status, wake.due_ms)


async def wake(rt: Runtime, league_id: int, draft_id: int, clock: DraftClock | None = None) -> None:
    """Tell the owner of ``draft_id`` (in any process) its new clock, or to re-read it."""
    signal = Wake(draft_id) if clock is None else clock.wake(draft_id)
    try:
        await rt.notifier.publish(Broadcast(league_namespace(league_id), wake=signal))
    except Exception:  # the runner's periodic re-read catches up
        log.warning("could not publish wake-up for draft %s", draft_id)
