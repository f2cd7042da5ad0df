"""Draft jobs: create every league's upcoming race drafts (every five minutes)."""

from __future__ import annotations

from draftroom.services.drafts.scheduling import ensure_upcoming_drafts
from draftroom.tasks.broker import RuntimeDep, broker


@broker.task(task_name="draftroom.drafts_schedule", schedule=[{"cron": "*/5 * * * *"}])
async def schedule_drafts(rt: RuntimeDep) -> list[int]:
    """Create the drafts of upcoming races that are due; returns their ids."""
    return await ensure_upcoming_drafts(rt)
