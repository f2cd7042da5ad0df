"""The garbage-collector pause watch (draftroom.gcwatch)."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator

import pytest
from prometheus_client import REGISTRY

from draftroom import gcwatch


def pauses(generation: int) -> float:
    """Observations so far of draftroom_gc_pause_seconds for ``generation``."""
    value = REGISTRY.get_sample_value(
        "draftroom_gc_pause_seconds_count", {"generation": str(generation)}
    )
    return value or 0.0


@pytest.fixture
def watch() -> Iterator[None]:
    """The watch installed, automatic collections off (only the test's own are counted)."""
    was_enabled, was_installed = gc.isenabled(), gcwatch._on_gc in gc.callbacks
    gc.disable()
    gcwatch.install_gc_watch()
    try:
        yield
    finally:
        if not was_installed:
            gcwatch.uninstall_gc_watch()
        if was_enabled:
            gc.enable()


def test_a_forced_full_collection_is_recorded_for_generation_2(watch: None) -> None:
    before = pauses(2)
    gc.collect(2)
    assert pauses(2) == before + 1


def test_installing_twice_registers_one_callback(watch: None) -> None:
    gcwatch.install_gc_watch()
    assert gc.callbacks.count(gcwatch._on_gc) == 1
    before = pauses(2)
    gc.collect(2)
    assert pauses(2) == before + 1


def test_a_slow_pause_is_logged_with_generation_ms_and_collected(
    watch: None, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gcwatch, "SLOW_PAUSE_S", 0.0)
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    with caplog.at_level(logging.WARNING, logger="draftroom.gcwatch"):
        gc.collect(2)
    [record] = [r for r in caplog.records if r.getMessage() == "slow gc pause"]
    assert record.__dict__["generation"] == 2
    assert record.__dict__["collected"] >= 1
    assert record.__dict__["pause_ms"] >= 0.0


def test_uninstall_stops_recording(watch: None) -> None:
    gcwatch.uninstall_gc_watch()
    before = pauses(2)
    gc.collect(2)
    assert pauses(2) == before
