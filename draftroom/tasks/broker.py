"""The taskiq broker (Redis list queue; in-memory under DRAFTROOM_ENV=test) and the
worker's Runtime, built on worker start-up.

The broker exists at import (job modules decorate their tasks with it) but is built from
``DRAFTROOM_ENV`` and ``REDIS_URL`` only (:func:`draftroom.config.queue_target`): the
settings (and the secret key they may create) are loaded when the worker starts.

``ListQueueBroker`` is used rather than the stream broker because it stops cleanly on
SIGTERM (see ARCHITECTURE.md, known pitfalls).
"""

from __future__ import annotations

from typing import Annotated

from taskiq import AsyncBroker, Context, InMemoryBroker, TaskiqDepends, TaskiqEvents, TaskiqState
from taskiq_redis import ListQueueBroker

from draftroom.config import load_settings, queue_target
from draftroom.coordination.redis import connect as connect_redis
from draftroom.db import engine
from draftroom.realtime.server import write_only_notifier
from draftroom.services.runtime import Runtime

QUEUE_NAME = "draftroom:tasks"


def make_broker(environment: str, redis_url: str | None) -> AsyncBroker:
    """The broker of a process in ``environment`` (in-memory for tests or without Redis)."""
    if environment == "test" or not redis_url:
        return InMemoryBroker()
    # BRPOP blocks until a task arrives: no read timeout (redis-py 8 defaults to 5 s).
    return ListQueueBroker(
        redis_url, queue_name=QUEUE_NAME, socket_timeout=None, socket_keepalive=True
    )


broker = make_broker(*queue_target())


@broker.on_event(TaskiqEvents.WORKER_STARTUP)
async def _worker_startup(state: TaskiqState) -> None:
    settings = load_settings()
    database_url, redis_url = settings.require_services()
    engine.configure(database_url)
    await engine.open_pool(settings.db_pool_size)
    state.runtime = Runtime(
        settings=settings,
        redis=connect_redis(redis_url),
        notifier=write_only_notifier(redis_url),
    )


@broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
async def _worker_shutdown(state: TaskiqState) -> None:
    rt: Runtime | None = getattr(state, "runtime", None)
    if rt is not None:
        await rt.redis.aclose()
    await engine.close_pool()


def use_runtime(rt: Runtime) -> None:
    """Give an in-process broker (tests, the web process) the Runtime its jobs use."""
    broker.state.runtime = rt


def _runtime(context: Annotated[Context, TaskiqDepends()]) -> Runtime:
    rt: Runtime = context.state.runtime
    return rt


RuntimeDep = Annotated[Runtime, TaskiqDepends(_runtime)]
"""Declare a job parameter ``rt: RuntimeDep`` to receive the worker's Runtime."""
