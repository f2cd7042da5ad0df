"""The serve processes' GC policy (draftroom.gcpolicy): young collections then freeze,
deep collections on the hour."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from draftroom.gcpolicy import BACKSTOP_THRESHOLDS, GcPolicy


class Node:
    """An object that can sit in a reference cycle and be watched by a weakref."""

    def __init__(self) -> None:
        self.other: Node | None = None


def make_cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def clean_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_young_tick_collects_young_cyclic_garbage(clean_gc: None) -> None:
    gc.disable()
    try:
        watched = make_cycle()
        assert watched() is not None
        GcPolicy.young()
        assert watched() is None
    finally:
        gc.enable()


def test_a_young_tick_freezes_what_survives(clean_gc: None) -> None:
    gc.unfreeze()
    kept = Node()
    frozen_before = gc.get_freeze_count()
    GcPolicy.young()
    assert gc.get_freeze_count() > frozen_before
    assert not any(obj is kept for obj in gc.get_objects())  # frozen: no collection sees it


def frozen_garbage() -> weakref.ref[Node]:
    """A cycle that is frozen while alive, then dropped: only a deep collection frees it."""
    holder = [make_cycle()]
    node = holder[0]()
    GcPolicy.young()
    del node
    return holder[0]


def test_frozen_cyclic_garbage_waits_for_a_deep_collection(clean_gc: None) -> None:
    gc.disable()
    try:
        watched = frozen_garbage()
        GcPolicy.young()
        gc.collect()
        assert watched() is not None, "frozen objects are out of every normal collection"
        GcPolicy().deep()
        assert watched() is None
    finally:
        gc.enable()


def test_the_deep_collection_is_due_on_the_hour() -> None:
    policy = GcPolicy(deep_every_s=3600.0)
    assert not policy.deep_is_due()
    policy._last_deep -= 3600.0
    assert policy.deep_is_due()
    policy.deep()
    assert not policy.deep_is_due(), "the next one is an hour later"


async def test_the_component_sets_the_backstop_and_ticks(clean_gc: None) -> None:
    policy = GcPolicy(young_every_s=0.01, deep_every_s=0.0)
    await policy.start()
    try:
        assert gc.get_threshold() == BACKSTOP_THRESHOLDS
        for _ in range(100):
            await asyncio.sleep(0.02)
            if policy.deep_collections:
                break
    finally:
        await policy.stop()
    assert policy.deep_collections >= 1
