"""``db.queries.drafts.load``: one statement returns exactly the stored draft (real
PostgreSQL), and a load that waited for the row lock sees what the lock holder committed."""

from __future__ import annotations

import asyncio
import calendar
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from tests.support.leagues import SEASON

# Stored made_at values with sub-millisecond precision; milliseconds are floored.
MADE_AT = [
    datetime(2026, 3, 1, 12, 0, 0, 123999, tzinfo=UTC),
    datetime(2026, 3, 1, 12, 0, 0, 500, tzinfo=UTC),
    datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=UTC),
    datetime(2026, 3, 1, 12, 0, 1, 999999, tzinfo=UTC),
]
OPENS_AT = datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
LOCKS_AT = datetime(2099, 1, 1, tzinfo=UTC)


def floor_ms(value: datetime) -> int:
    """Milliseconds since the epoch, floored, computed without the store's helpers."""
    return calendar.timegm(value.utctimetuple()) * 1000 + value.microsecond // 1000


def test_floor_ms_of_the_fixture_timestamps() -> None:
    assert [floor_ms(v) for v in MADE_AT] == [
        1772366400123,
        1772366400000,
        -1,
        1772366401999,
    ]


@dataclass
class Built:
    draft_id: int
    expected: Any  # store.Loaded
    order: list[int]
    drivers: list[int]


async def build(runtime: Any, world: Any, status: str) -> Built:
    """A draft written column by column, and the Loaded it must come back as."""
    from draftroom.db.queries.drafts import Loaded, pool
    from draftroom.domain.draft import DraftState, Pick
    from draftroom.services.drafts.creation import create_draft

    w = await world(teams=3, bots=1)
    draft_id = await create_draft(runtime, w.league_id, w.race_id)
    u0, u1, u2 = w.users
    t0, t1, t2 = w.team_of[u0.id], w.team_of[u1.id], w.team_of[u2.id]
    d = w.drivers
    order = [t1, t0, t2]
    conn = pool()
    await conn.execute(
        'UPDATE draft SET status = $2, "order" = $3, deadline_ms = 4102444800000, '
        "paused_remaining_ms = 25000, seq = 17, opens_at = $4, locks_at = $5 WHERE id = $1",
        draft_id,
        status,
        json.dumps(order),
        OPENS_AT,
        LOCKS_AT,
    )
    picks = [
        (1, 1, t1, d[4], "user", MADE_AT[0]),
        (2, 1, t0, d[7], "commissioner", MADE_AT[1]),
        (3, 1, t2, d[0], "auto", MADE_AT[2]),
        (4, 2, t2, d[9], "user", MADE_AT[3]),
    ]
    await conn.executemany(  # out of pick order on purpose
        'INSERT INTO pick (draft, pick_no, round, team, driver, "by", made_at) '
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [(draft_id, *picks[i]) for i in (2, 0, 3, 1)],
    )
    await conn.execute(
        "UPDATE draft_team SET queue = $3 WHERE draft = $1 AND team = $2",
        draft_id,
        t0,
        json.dumps([d[5], d[2], d[11]]),
    )
    await conn.execute(
        "UPDATE draft_team SET autodraft = true, consecutive_timeouts = 2 "
        "WHERE draft = $1 AND team = $2",
        draft_id,
        t2,
    )
    await conn.execute(
        "UPDATE draft_team SET consecutive_timeouts = 1 WHERE draft = $1 AND team = $2",
        draft_id,
        t1,
    )
    await conn.execute("UPDATE driver_entry SET active = false WHERE driver = $1", d[3])
    await conn.execute("UPDATE driver SET active = false WHERE id = $1", d[6])
    await conn.execute("UPDATE driver SET number = NULL WHERE id = $1", d[8])
    other = await conn.fetchval(
        "INSERT INTO driver (ref, number, given_name, family_name, nationality, active) "
        "VALUES ('other_season', 99, 'Other', 'Season', '', true) RETURNING id"
    )
    await conn.execute(
        "INSERT INTO driver_entry (season, driver, active) VALUES ($1, $2, true)",
        SEASON - 1,
        other,
    )
    pool_ids = [x for x in d if x not in (d[3], d[6])]
    numbers: dict[int, int | None] = {x: d.index(x) + 1 for x in pool_ids}
    numbers[d[8]] = None
    state = DraftState(
        order=(t1, t0, t2),
        pool=frozenset(pool_ids),
        draft_type="snake",
        pick_seconds=60,
        picks_per_team=2,
        status=status,  # type: ignore[arg-type]
        picks=tuple(Pick(n, r, t, x, by, floor_ms(at)) for n, r, t, x, by, at in picks),  # type: ignore[arg-type]
        deadline_ms=4102444800000 if status == "live" else None,
        remaining_ms=25000 if status == "paused" else None,
        timeouts=tuple(sorted([(t2, 2), (t1, 1)])),
        autodraft=frozenset({t2}),
        opens_at_ms=floor_ms(OPENS_AT),
        locks_at_ms=floor_ms(LOCKS_AT),
        seq=17,
    )
    expected = Loaded(
        draft_id=draft_id,
        league_id=w.league_id,
        race_id=w.race_id,
        season=SEASON,
        commissioner_id=u0.id,
        state=state,
        queues={t0: [d[5], d[2], d[11]], t1: [], t2: []},
        numbers=numbers,
        owners={t0: u0.id, t1: u1.id, t2: u2.id},
        bots=frozenset({t2}),
        is_private=True,
        league_name=await conn.fetchval("SELECT name FROM league WHERE id = $1", w.league_id),
        is_demo=False,
    )
    return Built(draft_id, expected, order, d)


def count_queries(conn: Any) -> Callable[[], Awaitable[int]]:
    """Count the statements ``conn`` sends from now on (loggers run via call_soon)."""
    seen: list[Any] = []
    conn.add_query_logger(seen.append)

    async def count() -> int:
        await asyncio.sleep(0.05)
        return len(seen)

    return count


async def wait_until_blocked(conn: Any) -> None:
    """Wait until ``conn``'s backend waits for a lock."""
    from draftroom.db.queries.drafts import pool

    pid = conn.get_server_pid()
    for _ in range(500):
        event = await pool().fetchval(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", pid
        )
        if event == "Lock":
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the load never waited for the row lock")


@pytest.mark.parametrize(
    ("for_update", "status"),
    [(True, "live"), (False, "live"), (True, "paused"), (False, "paused")],
)
async def test_load_returns_the_stored_draft_in_one_statement(
    runtime: Any, world: Any, no_local_supervisor: None, for_update: bool, status: str
) -> None:
    from draftroom.db.queries import drafts as store

    built = await build(runtime, world, status)
    async with store.pool().acquire() as conn, conn.transaction():
        queries = count_queries(conn)
        loaded = await store.load(conn, built.draft_id, for_update=for_update)
        assert await queries() == 1
    assert loaded == built.expected
    assert loaded.version.isdigit(), "the row version a write without the lock checks"
    assert [p.pick_no for p in loaded.state.picks] == [1, 2, 3, 4]
    assert all(type(v) is list for v in loaded.queues.values())
    assert all(type(p.at_ms) is int for p in loaded.state.picks)


async def test_made_at_milliseconds_match_to_ms_of_the_stored_values(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.db.queries import drafts as store

    built = await build(runtime, world, "live")
    async with store.pool().acquire() as conn:
        stored = await conn.fetch(
            "SELECT made_at FROM pick WHERE draft = $1 ORDER BY pick_no", built.draft_id
        )
        loaded = await store.load(conn, built.draft_id, for_update=False)
    assert [r["made_at"] for r in stored] == MADE_AT  # sub-millisecond precision kept
    at_ms = [p.at_ms for p in loaded.state.picks]
    assert at_ms == [store.to_ms(r["made_at"]) for r in stored] == [floor_ms(v) for v in MADE_AT]


async def test_missing_draft_is_not_found(db: None) -> None:
    from draftroom.db.queries import drafts as store
    from draftroom.errors import NotFound

    for for_update in (True, False):
        async with store.pool().acquire() as conn, conn.transaction():
            with pytest.raises(NotFound):
                await store.load(conn, 987654, for_update=for_update)


async def _load_while_locked(
    draft_id: int, holder: asyncpg.Connection, commit: Any
) -> tuple[Any, int]:
    """Start a locking load on a second connection, let ``holder`` commit, return it."""
    from draftroom.db.queries import drafts as store

    async with store.pool().acquire() as conn, conn.transaction():
        queries = count_queries(conn)
        task = asyncio.create_task(store.load(conn, draft_id, for_update=True))
        await wait_until_blocked(conn)
        await commit()
        loaded = await task
        return loaded, await queries()


async def test_a_load_that_waited_sees_the_holders_committed_pick(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.db.queries import drafts as store
    from draftroom.domain.draft import force_pick

    built = await build(runtime, world, "live")
    now = floor_ms(datetime.now(UTC))
    async with store.pool().acquire() as holder:
        tx = holder.transaction()
        await tx.start()
        before = await store.load(holder, built.draft_id, for_update=True)
        tr = force_pick(before.state, pick_no=5, driver_id=built.drivers[10], now_ms=now)
        await store.persist(holder, before, tr)
        loaded, queries = await _load_while_locked(built.draft_id, holder, tx.commit)
    assert loaded.state == tr.state
    assert loaded.state.picks[-1].driver_id == built.drivers[10]
    assert queries == 2  # the statement's snapshot predates the commit: read again


async def test_a_load_that_waited_sees_the_holders_committed_queue(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.db.queries import drafts as store

    built = await build(runtime, world, "live")
    team = built.order[0]
    queue = [built.drivers[1], built.drivers[2]]
    async with store.pool().acquire() as holder:
        tx = holder.transaction()
        await tx.start()
        before = await store.load(holder, built.draft_id, for_update=True)
        await store.save_queue(holder, built.draft_id, team, queue)
        loaded, queries = await _load_while_locked(built.draft_id, holder, tx.commit)
    assert before.queues[team] == []
    assert loaded.queues[team] == queue
    assert loaded.state == before.state
    assert queries == 2
