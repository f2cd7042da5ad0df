"""Results jobs: the hourly poll, the minute tick of due verification checks, one race check.

The verification checks themselves are rows in PostgreSQL (``race_check``), not delayed
taskiq messages, so they survive any restart; the minute tick runs those that are due.
"""

from __future__ import annotations

from typing import Any

from draftroom.contracts.admin import CheckReport, PollReport
from draftroom.services import polling
from draftroom.tasks.broker import RuntimeDep, broker


@broker.task(task_name="draftroom.results_poll", schedule=[{"cron": "0 * * * *"}])
async def poll_results(rt: RuntimeDep) -> PollReport:
    """Fetch results of every started race that has none yet."""
    return await polling.poll(rt)


@broker.task(task_name="draftroom.results_due_checks", schedule=[{"cron": "* * * * *"}])
async def run_due_checks(rt: RuntimeDep) -> list[dict[str, Any]]:
    """Run every verification check whose time has come (overdue ones included)."""
    return await polling.run_due_checks(rt)


@broker.task(task_name="draftroom.results_check_race")
async def check_race(rt: RuntimeDep, race_id: int) -> CheckReport:
    """Check one race now (does not count toward its three verification checks)."""
    return await polling.check_race(rt, race_id)
