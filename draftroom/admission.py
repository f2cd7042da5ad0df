"""Admission: past this process's capacity, refuse fast instead of queueing for seconds.

Used for user commits (``kind`` "pick") and for socket connects (``kind`` "connect": a
reconnect storm is admitted at the rate the process serves; the rest retry later).

A commit holds a pooled connection and the draft's row lock; when more arrive than the
pool serves, they used to queue without bound and every pick waited seconds. Here at most
``slots`` user commits run at once, at most ``queue`` more wait, each for at most
``wait_s``; the rest are answered :class:`~draftroom.errors.Overloaded` at once, with a
``retry_after_ms``. The draft runners' commits (timeouts, autodraft, lock) do not pass
through here: they have a connection pool of their own (:func:`draftroom.db.engine.clock_pool`).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from draftroom.errors import Overloaded
from draftroom.metrics import ADMISSION_REFUSED


class Admission:
    """A bounded gate: ``slots`` at once, ``queue`` waiting, each at most ``wait_s``."""

    def __init__(
        self, slots: int = 10, queue: int = 20, wait_s: float = 0.5, kind: str = "pick"
    ) -> None:
        self.kind = kind
        self.slots = slots
        self.queue = queue
        self.wait_s = wait_s
        self._free = asyncio.Semaphore(slots)
        self._waiting = 0
        self.pressure: Callable[[], bool] | None = None
        """When set and true (the event loop lags), everything is refused at once."""

    def _refuse(self) -> Overloaded:
        ADMISSION_REFUSED.labels(self.kind).inc()
        return Overloaded(retry_after_ms=int(self.wait_s * 1000 * (0.5 + random.random())))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the slots for the block, or raise Overloaded."""
        if self.pressure is not None and self.pressure():
            raise self._refuse()
        if not self._free.locked():
            await self._free.acquire()  # free: no timer, no task
        elif self._waiting >= self.queue:
            raise self._refuse()
        else:
            self._waiting += 1
            try:
                async with asyncio.timeout(self.wait_s):
                    await self._free.acquire()
            except TimeoutError:
                raise self._refuse() from None
            finally:
                self._waiting -= 1
        try:
            yield
        finally:
            self._free.release()
