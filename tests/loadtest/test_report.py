"""The report's verdicts against issue 10's targets, and the rule that a target bare1
misses on the same machine counts as met."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.loadtest.report import headline


def row(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.strip().startswith(label))


def result(p99: float, rate: float = 200.0) -> dict[str, Any]:
    return {"steady": {"picks_per_s": rate, "pick_ms": {"p99": p99}}}


@pytest.mark.parametrize(
    ("ours", "bare1", "verdict"),
    [
        (40.0, 10.0, "met"),
        (80.0, 10.0, "MISSED"),
        (80.0, 60.0, "met: bare1 misses too"),
        (80.0, None, "MISSED"),
    ],
)
def test_p99_verdict(ours: float, bare1: float | None, verdict: str) -> None:
    lines = headline(result(ours), None, None if bare1 is None else result(bare1))
    assert row(lines, "pick->broadcast p99 ms (steady)").rstrip().endswith(verdict)


@pytest.mark.parametrize(("rate", "verdict"), [(195.0, "met"), (150.0, "MISSED")])
def test_steady_rate_verdict(rate: float, verdict: str) -> None:
    lines = headline(result(10.0, rate), None, None)
    assert row(lines, "picks/s committed (steady)").rstrip().endswith(verdict)


def test_autopick_lateness_is_printed_by_stage() -> None:
    from draftroom.loadtest.report import dist, phase_lines

    result = {
        "autopick": {
            "late_by_stage": {
                "measured at 200 picks/s": dist([10.0, 20.0, 30.0]),
                "connecting to 10,120 sockets": dist([400.0]),
            }
        }
    }
    lines = phase_lines("draftroom", result)
    start = lines.index("    autopick lateness by stage (n, p50/p99/max ms):")
    assert lines[start + 1].split() == ["measured", "at", "200", "picks/s", "3", "20.0/30.0/30.0"]
    assert lines[start + 2].split()[-2:] == ["1", "400.0/400.0/400.0"]
