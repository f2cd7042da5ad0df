"""Stall traces: what the event loop was doing while it could not run anything else.

:class:`LoopLagWatch` says *that* the loop stalled; this says *where*. A daemon thread
watches a heartbeat the loop writes every few milliseconds. While the heartbeat is older
than the threshold, the thread samples the loop thread's Python stack
(``sys._current_frames``); when the loop beats again it logs one warning with the stall's
length, the time the garbage collector ran inside it, and the stack seen most often.

A collection holds the GIL, so the thread cannot sample during one: that is why GC time
is measured apart (a ``gc.callbacks`` hook). Off unless ``DRAFTROOM_STALL_TRACE_MS`` is
set: it is a diagnostic for load tests and incidents, not a production default.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import threading
import time
import traceback
from collections import Counter
from typing import Any

log = logging.getLogger(__name__)

STACK_DEPTH = 14
"""Innermost frames kept per sample (enough to see the caller of a library call)."""


class GcClock:
    """Total time spent in garbage collections so far (seconds), kept by a gc callback."""

    def __init__(self) -> None:
        self.total_s = 0.0
        self._started: float | None = None

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.total_s += time.perf_counter() - self._started
            self._started = None


def _frames_text(frame: Any) -> str:
    """The innermost STACK_DEPTH frames of ``frame``, one ``file:line function`` each."""
    summary = traceback.extract_stack(frame)[-STACK_DEPTH:]
    return " <- ".join(
        f"{entry.filename.rsplit('/site-packages/', 1)[-1]}:{entry.lineno} {entry.name}"
        for entry in reversed(summary)
    )


class StallTracer:
    """An app component logging the stack of every event-loop stall over ``threshold_s``."""

    def __init__(self, threshold_s: float) -> None:
        self.threshold_s = threshold_s
        self.beat_s = min(0.01, threshold_s / 4)
        self.stalls: list[dict[str, Any]] = []
        """The last stalls seen (newest last, at most 100): for tests and ``/metrics`` readers."""
        self._beat = time.perf_counter()
        self._loop_thread = 0
        self._gc = GcClock()
        self._stop = threading.Event()
        self._handle: asyncio.TimerHandle | None = None
        self._thread: threading.Thread | None = None

    async def start(self) -> None:
        """Start the heartbeat on the running loop and the watching thread."""
        loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        gc.callbacks.append(self._gc)
        self._tick(loop)
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="stall-trace", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Stop watching."""
        self._stop.set()
        if self._handle is not None:
            self._handle.cancel()
        if self._thread is not None:
            self._thread.join(timeout=1)
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)

    def _tick(self, loop: asyncio.AbstractEventLoop) -> None:
        self._beat = time.perf_counter()
        self._handle = loop.call_later(self.beat_s, self._tick, loop)

    def _watch(self) -> None:
        samples: Counter[str] = Counter()
        stalled_since: float | None = None
        gc_at_start = 0.0
        while not self._stop.wait(self.beat_s):
            beat = self._beat
            age = time.perf_counter() - beat
            if age > self.threshold_s:
                if stalled_since is None:
                    stalled_since, gc_at_start = beat, self._gc.total_s
                frame = sys._current_frames().get(self._loop_thread)
                if frame is not None:
                    samples[_frames_text(frame)] += 1
            elif stalled_since is not None:
                self._report(beat - stalled_since, self._gc.total_s - gc_at_start, samples)
                samples = Counter()
                stalled_since = None

    def _report(self, stall_s: float, gc_s: float, samples: Counter[str]) -> None:
        stack, seen = samples.most_common(1)[0] if samples else ("(no sample)", 0)
        stall = {
            "stall_ms": round(stall_s * 1000, 1),
            "gc_ms": round(gc_s * 1000, 1),
            "samples": sum(samples.values()),
            "top_samples": seen,
            "stack": stack,
        }
        self.stalls = [*self.stalls[-99:], stall]
        log.warning("event loop stall", extra=stall)
