"""Garbage-collector pause watch: every collection's pause goes to ``draftroom_gc_pause_seconds``
(labelled by generation) and a pause over :data:`SLOW_PAUSE_S` is logged as a warning.

The callback runs inside the collector, wherever an allocation triggered it, so it touches
only pre-resolved histogram children: ``Histogram.labels()`` takes the parent metric's
non-reentrant lock, which a ``/metrics`` scrape holds while copying a dict (an allocation that
can start a collection), so calling it here could deadlock the process.
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any

from prometheus_client.metrics import Histogram

from draftroom.metrics import GC_PAUSE

log = logging.getLogger(__name__)

SLOW_PAUSE_S = 0.1
"""Pauses longer than this are logged (100 ms)."""

_children: dict[int, Histogram] = {}
_started: float | None = None


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    global _started
    if phase == "start":
        _started = time.perf_counter()
        return
    if _started is None:  # installed in the middle of a collection
        return
    pause = time.perf_counter() - _started
    _started = None
    generation = int(info.get("generation", 0))
    child = _children.get(generation)
    if child is not None:
        child.observe(pause)
    if pause > SLOW_PAUSE_S:
        log.warning(
            "slow gc pause",
            extra={
                "generation": generation,
                "pause_ms": round(pause * 1000, 1),
                "collected": int(info.get("collected", 0)),
            },
        )


def install_gc_watch() -> None:
    """Time every garbage collection from now on (idempotent: one callback per process)."""
    for generation in range(3):
        _children.setdefault(generation, GC_PAUSE.labels(str(generation)))
    if _on_gc not in gc.callbacks:
        gc.callbacks.append(_on_gc)


def uninstall_gc_watch() -> None:
    """Stop timing garbage collections (for tests)."""
    global _started
    while _on_gc in gc.callbacks:
        gc.callbacks.remove(_on_gc)
    _started = None
