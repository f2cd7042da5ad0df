"""Send a draft runner a wake-up the way a commit does: on its league's fan-out channel."""

from __future__ import annotations

from typing import Any

from draftroom.realtime.fanout import encode
from draftroom.services.drafts.wakeups import DraftClock
from draftroom.services.notifier import Broadcast, Wake, league_namespace


async def send_wake(
    redis: Any, league_id: int, draft_id: int, clock: DraftClock | None = None
) -> None:
    """Publish a wake-up (a re-read without ``clock``) as another process would."""
    signal = Wake(draft_id) if clock is None else clock.wake(draft_id)
    for channel, message in encode(b"test", Broadcast(league_namespace(league_id), wake=signal)):
        await redis.publish(channel, message)
