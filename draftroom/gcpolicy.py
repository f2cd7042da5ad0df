"""The garbage-collection policy of the serve processes: short young collections, then
freeze; a deep collection once an hour.

What the load test found (``docs/loadtest.md``, "GC"):
- A server with thousands of sockets holds 150,000-250,000 young objects at any time:
  every socket's current await chain (a queue ``get``, a ``wait_for``, the ping task), made
  again for every frame. CPython's automatic collections traverse them again and again:
  a gen-0 collection is triggered by *net* allocations, so while old chains die as fast as
  new ones are made it comes late and finds 100,000+ objects (pauses of 100-500 ms), and a
  full collection every 5 minutes took 350-900 ms.
- Steady drafting makes almost no cyclic garbage: a full collection after a minute of
  200 picks/s found 8 objects.

So the policy:
- every ``young_every_s`` (0.25 s): collect generation 0 (what was made in the last
  quarter second and is still alive: a few thousand objects, a millisecond or two), then
  ``gc.freeze()`` the survivors, so no collection ever walks them again;
- a deep collection (``gc.unfreeze()``, a full collection, ``gc.freeze()``) every
  ``deep_every_s`` (an hour), for cyclic garbage that outlived its first quarter second.
  A closed connection leaves none (:mod:`draftroom.realtime.reclaim` removed the cycles
  that held every closed socket's objects), so sockets leaving no longer call for one;
- automatic gen-0 collections only to bound a burst (:data:`BACKSTOP_THRESHOLDS`).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

log = logging.getLogger(__name__)

BACKSTOP_THRESHOLDS = (10_000, 1_000_000, 1_000_000)
"""Automatic collections: a gen-0 collection whenever 10,000 objects pile up between two
ticks (a wave of connects allocates that in a few milliseconds; a bigger generation 0 took
over 50 ms to walk), so no young collection walks more than about 10,000 objects; gen 1
and gen 2 never (the policy freezes or deep-collects instead)."""


class GcPolicy:
    """An app component running the serve processes' collections (see module docs)."""

    def __init__(self, *, young_every_s: float = 0.25, deep_every_s: float = 3600.0) -> None:
        self.young_every_s = young_every_s
        self.deep_every_s = deep_every_s
        self.deep_collections = 0
        self._task: asyncio.Task[None] | None = None
        self._last_deep = time.monotonic()

    async def start(self) -> None:
        """Set the backstop thresholds and start the ticks (the app collects and freezes
        once at start-up)."""
        gc.set_threshold(*BACKSTOP_THRESHOLDS)
        self._last_deep = time.monotonic()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="gc-policy")

    async def stop(self) -> None:
        """Stop the ticks."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.young_every_s)
            self.young()
            if self.deep_is_due():
                self.deep()

    @staticmethod
    def young() -> None:
        """Collect generation 0, then freeze what survived."""
        gc.collect(0)
        gc.freeze()

    def deep_is_due(self) -> bool:
        """True once ``deep_every_s`` has passed since the last deep collection."""
        return time.monotonic() - self._last_deep >= self.deep_every_s

    def deep(self) -> None:
        """Unfreeze, collect everything, freeze again; logged with its pause."""
        started = time.perf_counter()
        gc.unfreeze()
        collected = gc.collect(2)
        gc.freeze()
        pause_ms = round((time.perf_counter() - started) * 1000, 1)
        self._last_deep = time.monotonic()
        self.deep_collections += 1
        log.info("deep gc collection", extra={"collected": collected, "pause_ms": pause_ms})
