"""Daily Jolpica sync of the current season's reference data (04:17 UTC)."""

from __future__ import annotations

from draftroom.contracts.admin import SyncSummaryOut
from draftroom.services.sync import run_sync
from draftroom.tasks.broker import RuntimeDep, broker


@broker.task(task_name="draftroom.sync_season", schedule=[{"cron": "17 4 * * *"}])
async def sync_season(season: int | None = None, *, rt: RuntimeDep) -> SyncSummaryOut:
    """Sync ``season`` (default: the current season) from Jolpica; the change summary."""
    summary = await run_sync(rt, season)
    return summary.to_dict()
