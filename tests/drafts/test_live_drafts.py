"""LiveDrafts.once: concurrent readers of one key share a single load (a reconnect storm
reads each league's draft once), and nothing is kept after it ends."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from draftroom.services.drafts.live import LiveDrafts


async def test_concurrent_readers_share_one_load() -> None:
    live = LiveDrafts()
    calls = 0
    release = asyncio.Event()

    async def load() -> str:
        nonlocal calls
        calls += 1
        await release.wait()
        return f"state {calls}"

    readers = [asyncio.create_task(live.once(("draft", 7), load)) for _ in range(50)]
    await asyncio.sleep(0)
    release.set()
    assert set(await asyncio.gather(*readers)) == {"state 1"}
    assert calls == 1
    # the load is over: the next reader loads again (nothing stale is kept)
    assert await live.once(("draft", 7), load) == "state 2"
    # other keys are independent
    assert await live.once(("draft", 8), load) == "state 3"


async def test_a_failed_load_fails_every_waiting_reader_and_is_not_kept() -> None:
    live = LiveDrafts()
    attempts = 0

    async def load() -> str:
        nonlocal attempts
        attempts += 1
        await asyncio.sleep(0.01)
        if attempts == 1:
            raise RuntimeError("database down")
        return "ok"

    readers = [asyncio.create_task(live.once("k", load)) for _ in range(5)]
    results = await asyncio.gather(*readers, return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results) and attempts == 1
    assert await live.once("k", load) == "ok"


async def test_a_cancelled_reader_does_not_cancel_the_others() -> None:
    live = LiveDrafts()
    release = asyncio.Event()

    async def load() -> int:
        await release.wait()
        return 42

    first = asyncio.create_task(live.once("k", load))
    second = asyncio.create_task(live.once("k", load))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await second == 42


def _broadcast(league: int, draft: int, seq: int) -> Any:
    from draftroom.services.notifier import Broadcast, Emit

    data = {"draft_id": draft, "seq": seq, "at": seq, "pick_no": seq}
    return Broadcast(f"/league/{league}", (Emit("draft:pick", data),))


def test_an_up_to_date_sync_is_answered_from_memory() -> None:
    watched = {1}
    live = LiveDrafts(lambda league: league in watched)
    live.keep_read(7, 1, 5, object())  # a snapshot read at seq 5
    assert live.events_after(7, 1, 5) == []  # up to date: nothing to send
    assert live.events_after(7, 1, 4) is None  # the ring lacks seq 5: read the log
    live.observe(_broadcast(1, 7, 6))
    assert [e["seq"] for e in live.events_after(7, 1, 5) or []] == [6]
    assert live.events_after(7, 1, 6) == []
    watched.clear()  # the subscription is gone: memory is not trusted
    assert live.events_after(7, 1, 6) is None
