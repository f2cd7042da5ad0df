"""Mock draft bots: their picks are drawn from the mock's seed (the same seed, the same
picks) among the best few drivers of the league's ranking; a mock draft runs to the end
in the live server with the user on autodraft."""

from __future__ import annotations

import random
from typing import Any

from draftroom.runner.bots import TOP_CHOICES, choose
from tests.mock.conftest import API, post_mock
from tests.support.polling import wait_for


def test_a_seeded_choice_depends_on_the_seed_and_pick_only() -> None:
    available = [11, 7, 3, 9, 5]
    picks = [choose(available, random.Random(n), 42, pick) for n in range(5) for pick in (1, 2)]
    assert picks[0::2] == [picks[0]] * 5 and picks[1::2] == [picks[1]] * 5  # rng unused
    assert all(p in available[:TOP_CHOICES] for p in picks)
    draws = {choose(available, random.Random(), seed, 1) for seed in range(40)}
    assert draws == set(available[:TOP_CHOICES])  # every one of the best three happens


def test_bots_think_for_a_human_while_well_within_the_clock() -> None:
    from types import SimpleNamespace

    from draftroom.runner.bots import BotPlayer

    now = 1_000_000

    def on_clock(seconds: int, draft_id: int) -> Any:
        state = SimpleNamespace(
            status="live", deadline_ms=now + seconds * 1000, on_the_clock=5, current_pick_no=1,
            autodraft=frozenset(), draft_type="snake",
        )  # fmt: skip
        return SimpleNamespace(state=state, bots=frozenset({5}), draft_id=draft_id)

    player = BotPlayer(rng=random.Random(3))
    fast = [player.next_pick_at(on_clock(5, n), now) - now for n in range(50)]
    slow = [player.next_pick_at(on_clock(60, 100 + n), now) - now for n in range(50)]
    assert all(0 <= t <= 3_000 for t in fast) and max(fast) == 3_000  # 60 % of a 5 s clock
    assert all(1_000 <= t <= 5_000 for t in slow) and len(set(slow)) > 10  # 1-5 s, varied
    loaded = on_clock(60, 7)
    assert player.next_pick_at(loaded, now) == player.next_pick_at(loaded, now + 500)  # planned
    loaded.bots = frozenset()
    assert player.next_pick_at(loaded, now) is None  # a person on the clock


async def _run_mock(rt: Any, user_id: int, race_id: int, seed: int) -> list[tuple[int, int, int]]:
    """A 3-team mock draft (the user at slot 2) driven here: bots by the BotPlayer, the
    user picking the lowest car number; (pick_no, slot, car number) of every pick."""
    from draftroom.db.queries import drafts as store
    from draftroom.runner.bots import BotPlayer
    from draftroom.services.drafts.commands import make_pick, start_draft
    from draftroom.services.drafts.commit import ranking_for
    from draftroom.services.mock_drafts import create_mock_draft

    mock = await create_mock_draft(
        rt, user_id, race_id=race_id, teams=3, pick_seconds=60, my_slot=2, seed=seed
    )
    draft_id = mock["draft_id"]
    await start_draft(rt, draft_id, user_id)
    player = BotPlayer(rng=random.Random())  # unseeded: only the mock's seed may matter
    while True:
        async with store.pool().acquire() as conn:
            loaded = await store.load(conn, draft_id, for_update=False)
        state = loaded.state
        if state.status == "complete":
            break
        team, pick_no = state.on_the_clock, state.current_pick_no
        assert team is not None and pick_no is not None
        available = [d for d in await ranking_for(rt, loaded) if d in state.pool]
        available = [d for d in dict.fromkeys(available) if d not in state.taken]
        if team in loaded.bots:
            assert loaded.bot_seed == seed
            await player.pick(rt, loaded)
            last = (await _load(draft_id)).state.picks[-1]
            assert last.pick_no == pick_no and last.driver_id in available[:TOP_CHOICES]
        else:
            await make_pick(rt, draft_id, user_id, pick_no, available[0])
    final = (await _load(draft_id)).state
    order = list(final.order)
    numbers = (await _load(draft_id)).numbers
    return [(p.pick_no, order.index(p.team_id) + 1, numbers[p.driver_id] or 0) for p in final.picks]


async def _load(draft_id: int) -> Any:
    from draftroom.db.queries import drafts as store

    async with store.pool().acquire() as conn:
        return await store.load(conn, draft_id, for_update=False)


async def test_bots_pick_by_the_seed_and_the_ranking(
    runtime: Any, make_user: Any, races: list[int], no_local_supervisor: None
) -> None:
    alice = await make_user("alice")
    first = await _run_mock(runtime, alice.id, races[0], seed=7)
    again = await _run_mock(runtime, alice.id, races[0], seed=7)
    other = await _run_mock(runtime, alice.id, races[1], seed=8)
    assert len(first) == 6 and first == again
    assert [slot for _, slot, _ in first] == [1, 2, 3, 3, 2, 1]  # snake, me at slot 2
    assert [p[2] for p in first] != [p[2] for p in other]


async def test_a_mock_draft_runs_to_the_end_in_the_live_server(
    http: Any, make_user: Any, races: list[int]
) -> None:
    alice = await make_user("alice")
    r = await post_mock(http, alice, races[0], teams=3, pick_seconds=5, my_slot=3)
    assert r.status_code == 201, r.text
    mock = r.json()
    draft_id = mock["draft_id"]
    r = await http.put(
        f"{API}/drafts/{draft_id}/autodraft", json={"enabled": True}, headers=alice.headers
    )
    assert r.status_code == 200, r.text

    async def complete() -> Any:
        body = (await http.get(f"{API}/drafts/{draft_id}", headers=alice.headers)).json()
        return body if body["status"] == "complete" else None

    final = await wait_for(complete, timeout_s=60, every_s=0.5, what="the mock draft to end")
    assert len(final["picks"]) == 6
    mine = [p for p in final["picks"] if p["team_id"] == mock["team_id"]]
    assert [p["by"] for p in mine] == ["auto", "auto"]
    bots = [p for p in final["picks"] if p["team_id"] != mock["team_id"]]
    assert [p["by"] for p in bots] == ["user"] * 4  # the bots pick like people
    listed = (await http.get(f"{API}/mock-drafts", headers=alice.headers)).json()
    assert listed[0]["status"] == "complete" and listed[0]["completed_at"]
