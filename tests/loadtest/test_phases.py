"""When a load-test phase counts as overloaded (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.loadtest.phases import overloaded


def row(p99: float | None, achieved: float, offered: float) -> dict[str, Any]:
    return {"pick_ms": {"p99": p99}, "picks_per_s": achieved, "rate_target": offered}


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        (row(40.0, 200.0, 200.0), False),
        (row(100.0, 170.0, 200.0), False),  # at the limit, 85 % of the rate
        (row(101.0, 200.0, 200.0), True),
        (row(None, 136.7, 200.0), True),  # no pick timed: every round trip outlasted it
        (row(40.0, 150.0, 200.0), True),  # under 80 % of the offered rate
        (row(40.0, 90.0, 0.0), False),  # "as fast as allowed": no rate to reach
    ],
)
def test_overloaded(phase: dict[str, Any], expected: bool) -> None:
    assert overloaded(phase) is expected
