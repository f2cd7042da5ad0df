"""Wake-ups of draft runners over Redis pub/sub, carrying the draft's new clock.

A commit anywhere publishes ``{draft_id}:{seq}:{status}:{due_ms}`` on ``draftroom:wake``
(``due_ms`` empty when no time will change the draft). The process running that draft
re-arms its timer from the message alone, without reading the draft again; a message of
just ``{draft_id}`` (or one that does not parse) means "read the draft again". Pub/sub may
drop messages (Redis restart): runners also re-read the clock row every few seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from draftroom.domain.draft import DraftState, next_due_ms
from draftroom.runtime import Runtime

log = logging.getLogger(__name__)

WAKE_CHANNEL = "draftroom:wake"
"""Redis pub/sub channel of runner wake-ups."""


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


@dataclass(frozen=True)
class WakeUp:
    """A parsed wake-up: the draft id and, when the sender knew it, its new clock."""

    draft_id: int
    clock: DraftClock | None


def encode(draft_id: int, clock: DraftClock | None) -> str:
    """The wire form of a wake-up."""
    if clock is None:
        return str(draft_id)
    due = "" if clock.due_ms is None else str(clock.due_ms)
    return f"{draft_id}:{clock.seq}:{clock.status}:{due}"


def parse(data: str) -> WakeUp | None:
    """A wake-up from its wire form; None when not even the draft id parses."""
    parts = data.split(":")
    try:
        draft_id = int(parts[0])
    except ValueError:
        return None
    if len(parts) != 4:
        return WakeUp(draft_id, None)
    try:
        seq = int(parts[1])
        due = int(parts[3]) if parts[3] else None
    except ValueError:
        return WakeUp(draft_id, None)
    return WakeUp(draft_id, DraftClock(seq, parts[2], due))


async def wake(rt: Runtime, draft_id: int, clock: DraftClock | None = None) -> None:
    """Tell the owner of ``draft_id`` (in any process) its new clock, or to re-read it."""
    try:
        await rt.redis.publish(WAKE_CHANNEL, encode(draft_id, clock))
    except Exception:  # the runner's periodic re-read catches up
        log.warning("could not publish wake-up for draft %s", draft_id)
