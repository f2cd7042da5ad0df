"""Every taskiq job module, imported here: importing one registers its tasks (and their
schedule labels) on :data:`draftroom.tasks.broker.broker`. The worker and the scheduler
import this module."""

from __future__ import annotations

from types import ModuleType

from draftroom.tasks import drafts, housekeeping, mail, results, sync

JOB_MODULES: tuple[ModuleType, ...] = (sync, results, drafts, housekeeping, mail)
