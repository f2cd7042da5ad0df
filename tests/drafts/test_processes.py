"""Races and failover against real ``draftroom serve`` subprocesses sharing one database."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.drafts.conftest import assert_contiguous
from tests.support.contract import checked_client
from tests.support.leagues import World, snake_team
from tests.support.polling import wait_for
from tests.support.processes import ServerProcess

pytestmark = pytest.mark.slow
API = "/api/v1"
LEASE_MS = 2000


@contextlib.asynccontextmanager
async def servers(env: dict[str, str], n: int = 2) -> AsyncIterator[list[ServerProcess]]:
    """``n`` serve subprocesses started in parallel; stopped at the end."""
    procs = [ServerProcess(env) for _ in range(n)]
    try:
        await asyncio.gather(*[asyncio.to_thread(p.start) for p in procs])
        yield procs
    finally:
        for p in procs:
            p.kill()


async def lease_owner_pid(redis: Any, draft_id: int) -> int | None:
    """The pid of the process holding the draft's lease (token ``host:pid:random``)."""
    token = await redis.get(f"draft:{draft_id}:owner")
    return int(token.split(":")[1]) if token else None


async def create_and_start(
    http: httpx.AsyncClient, w: World, create_on: str, start_on: str
) -> tuple[int, list[int]]:
    """As the commissioner, create the league's draft through server ``create_on`` and start
    it through ``start_on`` (base URLs); returns the draft id and the first-round order."""
    r = await http.post(
        f"{create_on}{API}/leagues/{w.league_id}/drafts",
        json={"race_id": w.race_id},
        headers=w.commissioner.headers,
    )
    draft_id = r.json()["id"]
    r = await http.post(f"{start_on}{API}/drafts/{draft_id}/start", headers=w.commissioner.headers)
    return draft_id, r.json()["order"]


async def test_twenty_concurrent_picks_for_one_slot_give_exactly_one_pick(
    world: Any, server_env: dict[str, str], no_local_supervisor: None
) -> None:
    w = await world(teams=4)
    async with servers(server_env) as (a, b), checked_client(timeout=20) as http:
        draft_id, order = await create_and_start(http, w, a.url, b.url)
        on_clock = w.owner(order[0])
        others = [w.owner(t) for t in order[1:] if w.owner(t) is not w.commissioner]
        calls = []
        for i in range(20):
            url = (a if i % 2 else b).url
            user = on_clock if i < 12 else others[i % len(others)]
            calls.append(
                http.post(
                    f"{url}{API}/drafts/{draft_id}/picks",
                    json={"pick_no": 1, "driver_id": w.drivers[i]},
                    headers=user.headers,
                )
            )
        answers = await asyncio.gather(*calls)
        statuses = collections.Counter(r.status_code for r in answers)
        assert statuses[201] == 1, [r.text for r in answers]
        codes = {r.json()["error"]["code"] for r in answers if r.status_code != 201}
        assert codes <= {"pick_taken", "not_your_turn"}
        picks = (await http.get(f"{a.url}{API}/drafts/{draft_id}/picks",
                                headers=w.commissioner.headers)).json()  # fmt: skip
        assert len(picks) == 1 and picks[0]["team_id"] == order[0]
        log = (await http.get(f"{b.url}{API}/drafts/{draft_id}/events",
                              headers=w.commissioner.headers)).json()  # fmt: skip
        assert_contiguous(log)
        assert [e["type"] for e in log] == [
            "draft:started", "draft:turn", "draft:pick", "draft:turn"
        ]  # fmt: skip


async def test_same_driver_for_two_consecutive_slots_gives_one_driver_taken(
    world: Any, server_env: dict[str, str], no_local_supervisor: None
) -> None:
    w = await world(teams=3)
    async with servers(server_env) as (a, b), checked_client(timeout=20) as http:
        draft_id, order = await create_and_start(http, w, a.url, b.url)
        driver = w.drivers[7]

        async def slot(pick_no: int, server: ServerProcess) -> httpx.Response:
            user = w.owner(snake_team(order, pick_no))
            while True:  # the later slot is not open until the earlier pick commits
                r = await http.post(
                    f"{server.url}{API}/drafts/{draft_id}/picks",
                    json={"pick_no": pick_no, "driver_id": driver},
                    headers=user.headers,
                )
                if r.status_code != 409 or r.json()["error"]["code"] != "pick_taken":
                    return r
                await asyncio.sleep(0.005)

        first, second = await asyncio.gather(slot(1, a), slot(2, b))
        assert first.status_code == 201, first.text
        assert second.status_code == 409 and second.json()["error"]["code"] == "driver_taken"
        picks = (await http.get(f"{a.url}{API}/drafts/{draft_id}/picks",
                                headers=w.commissioner.headers)).json()  # fmt: skip
        assert [(p["pick_no"], p["driver_id"]) for p in picks] == [(1, driver)]


async def test_failover_resumes_the_stored_deadline(
    world: Any, server_env: dict[str, str], no_local_supervisor: None, redis: Any
) -> None:
    env = dict(server_env, DRAFTROOM_DRAFT_LOCK_TTL_MS=str(LEASE_MS))
    w = await world(teams=3, settings={"pick_seconds": 6, "picks_per_team": 2})
    async with servers(env) as procs, checked_client(timeout=20) as http:
        by_pid = {p.process.pid: p for p in procs if p.process is not None}
        h = w.commissioner.headers
        draft_id, order = await create_and_start(http, w, procs[0].url, procs[0].url)
        owner_pid = await wait_for(lambda: lease_owner_pid(redis, draft_id), timeout_s=5)
        owner = by_pid[owner_pid]
        survivor = next(p for p in procs if p is not owner)
        r = await http.post(
            f"{survivor.url}{API}/drafts/{draft_id}/picks",
            json={"pick_no": 1, "driver_id": w.drivers[4]},
            headers=w.owner(order[0]).headers,
        )
        assert r.status_code == 201
        before = (await http.get(f"{survivor.url}{API}/drafts/{draft_id}", headers=h)).json()
        deadline = before["current"]["deadline"]
        killed_at = time.time()
        owner.kill()

        async def taken_over() -> Any:
            pid = await lease_owner_pid(redis, draft_id)
            return pid if pid == survivor.process.pid else None  # type: ignore[union-attr]

        await wait_for(taken_over, timeout_s=LEASE_MS / 1000 + 3, every_s=0.02)
        takeover_s = time.time() - killed_at
        print(f"failover: lease taken over {takeover_s:.2f} s after kill -9 (lease {LEASE_MS} ms)")
        assert takeover_s <= LEASE_MS / 1000 + 3
        after = (await http.get(f"{survivor.url}{API}/drafts/{draft_id}", headers=h)).json()
        assert after["current"]["deadline"] == deadline  # the clock was not reset

        async def autopicked() -> Any:
            r = await http.get(
                f"{survivor.url}{API}/drafts/{draft_id}/events",
                params={"after_seq": after["seq"]},
                headers=h,
            )
            log = r.json()
            return next((e for e in log if e["type"] == "draft:pick"), None)

        pick = await wait_for(autopicked, timeout_s=8)
        print(f"failover: autopick {pick['at'] - deadline} ms after the stored deadline")
        assert pick["data"]["pick_no"] == 2 and pick["data"]["by"] == "auto"
        assert 0 <= pick["at"] - deadline < 1000
        # finish the draft on the survivor: nothing lost or doubled
        for pick_no in range(3, 7):
            r = await http.post(
                f"{survivor.url}{API}/drafts/{draft_id}/picks",
                json={"pick_no": pick_no, "driver_id": w.drivers[10 + pick_no]},
                headers=w.owner(snake_team(order, pick_no)).headers,
            )
            assert r.status_code == 201, r.text
        final = (await http.get(f"{survivor.url}{API}/drafts/{draft_id}", headers=h)).json()
        assert final["status"] == "complete"
        assert [p["pick_no"] for p in final["picks"]] == list(range(1, 7))
        assert len({p["driver_id"] for p in final["picks"]}) == 6
        log = (await http.get(f"{survivor.url}{API}/drafts/{draft_id}/events", headers=h)).json()
        assert_contiguous(log)
        pick_nos = [e["data"]["pick_no"] for e in log if e["type"] == "draft:pick"]
        assert pick_nos == list(range(1, 7))
