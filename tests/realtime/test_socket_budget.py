"""The per-socket token bucket (pure, with an injected clock)."""

from __future__ import annotations

import pytest

from draftroom.realtime.socket_budget import SocketBudget
from tests.support.clock import ManualClock


def test_burst_then_refused_then_refilled() -> None:
    clock = ManualClock()
    limiter = SocketBudget(rate=10, burst=20, clock=clock)
    assert all(limiter.allow("a") for _ in range(20))
    assert not limiter.allow("a")
    assert limiter.retry_after("a") == pytest.approx(0.1)
    clock.now += 0.1
    assert limiter.allow("a")
    assert not limiter.allow("a")
    clock.now += 10
    assert sum(limiter.allow("a") for _ in range(30)) == 20


def test_sockets_have_their_own_buckets_and_are_forgotten() -> None:
    clock = ManualClock()
    limiter = SocketBudget(rate=1, burst=2, clock=clock)
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")
    limiter.forget("a")
    assert len(limiter) == 1
    assert limiter.allow("a")


@pytest.mark.parametrize(("rate", "burst"), [(0, 5), (-1, 5), (1, 0)])
def test_invalid_configuration(rate: float, burst: float) -> None:
    with pytest.raises(ValueError):
        SocketBudget(rate=rate, burst=burst)
