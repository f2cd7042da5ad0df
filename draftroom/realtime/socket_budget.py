"""Each socket's budget of client events: a token bucket per socket, in memory.

Not :mod:`draftroom.coordination.ratelimit` (sliding windows shared through Redis: logins,
chat, Jolpica): a socket lives in exactly one process, so its bucket needs no Redis. Each
event takes one token; tokens refill at ``rate`` per second up to ``burst``. A refused
event is answered ``rate_limited`` and the socket stays connected.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class TokenBucket:
    """``burst`` tokens, refilled continuously at ``rate`` tokens per second."""

    rate: float
    burst: float
    tokens: float
    updated: float

    def take(self, now: float) -> bool:
        """Take one token at monotonic time ``now``; False when the bucket is empty."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.updated = now
        if self.tokens >= 1.0 - 1e-9:  # float dust must not refuse a due token
            self.tokens = max(0.0, self.tokens - 1.0)
            return True
        return False

    def retry_after(self) -> float:
        """Seconds until the next token."""
        return max(0.0, (1.0 - self.tokens) / self.rate)


class SocketBudget:
    """One :class:`TokenBucket` per socket id (10 events/s, burst 20 by default)."""

    def __init__(
        self,
        rate: float = 10.0,
        burst: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}

    def allow(self, sid: str) -> bool:
        """Spend one token of ``sid``'s bucket; False when it is empty."""
        now = self._clock()
        bucket = self._buckets.get(sid)
        if bucket is None:
            bucket = self._buckets[sid] = TokenBucket(self.rate, self.burst, self.burst, now)
        return bucket.take(now)

    def retry_after(self, sid: str) -> float:
        """Seconds until ``sid`` may send again (0 when it may now)."""
        bucket = self._buckets.get(sid)
        return bucket.retry_after() if bucket else 0.0

    def forget(self, sid: str) -> None:
        """Drop the bucket of a closed socket."""
        self._buckets.pop(sid, None)

    def __len__(self) -> int:
        return len(self._buckets)
