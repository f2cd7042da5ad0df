"""The taskiq scheduler (exactly one per deployment): schedules come from task labels."""

from taskiq import TaskiqScheduler
from taskiq.schedule_sources import LabelScheduleSource

import draftroom.tasks.jobs  # noqa: F401  (registers every task and its schedule label)
from draftroom.tasks.broker import broker

scheduler = TaskiqScheduler(broker=broker, sources=[LabelScheduleSource(broker)])
