"""The Runtime of a one-shot command (``draftroom seed``, ``make dev``'s preparation, the
load test's set-up): Redis and a write-only notifier, so what the command does (results
ingested by the seed) reaches caches and any connected socket as the worker's would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from draftroom.config import Settings
from draftroom.coordination.redis import connect
from draftroom.realtime.server import write_only_notifier
from draftroom.services.runtime import Runtime


@asynccontextmanager
async def command_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """A Runtime on the settings' Redis, closed on exit (the database pool is the caller's)."""
    _, redis_url = settings.require_services()
    redis = connect(redis_url)
    notifier = write_only_notifier(redis_url)
    try:
        yield Runtime(settings=settings, redis=redis, notifier=notifier)
    finally:
        await notifier.stop()
        await redis.aclose()
