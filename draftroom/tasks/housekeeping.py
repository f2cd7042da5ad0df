"""Hourly housekeeping (at :41): old read notifications, unusable refresh tokens, and mock
drafts that ended over a day ago (so each goes within 25 hours of its end)."""

from __future__ import annotations

from typing import Any

from draftroom.services import housekeeping
from draftroom.tasks.broker import RuntimeDep, broker


@broker.task(task_name="draftroom.housekeeping", schedule=[{"cron": "41 * * * *"}])
async def prune(rt: RuntimeDep) -> dict[str, Any]:
    """Prune read notifications older than 90 days, spent tokens of gone families and
    mock drafts that ended over a day ago."""
    return await housekeeping.run()
