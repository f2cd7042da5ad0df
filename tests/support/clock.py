"""A clock a test moves by hand (``clock.now += 0.1``), for code that takes ``clock=``."""

from __future__ import annotations


class ManualClock:
    """Callable like ``time.monotonic``; returns ``now``."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
