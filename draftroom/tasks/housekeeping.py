"""Daily housekeeping (03:41 UTC): old read notifications and unusable refresh tokens."""

from __future__ import annotations

from typing import Any

from draftroom.services import housekeeping
from draftroom.tasks.broker import RuntimeDep, broker


@broker.task(task_name="draftroom.housekeeping", schedule=[{"cron": "41 3 * * *"}])
async def prune(rt: RuntimeDep) -> dict[str, Any]:
    """Prune read notifications older than 90 days and spent tokens of gone families."""
    return await housekeeping.run()
