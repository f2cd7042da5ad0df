"""The draft services' per-process memos are owned by a Runtime and injectable."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from draftroom.db.queries.drafts import Loaded
from draftroom.domain.draft_state import DraftState
from draftroom.domain.scoring import ScoringTable
from draftroom.services.drafts import snapshot
from draftroom.services.drafts.caches import DraftLeagues, RankingCache
from draftroom.services.drafts.commit import ranking_for
from tests.support.clock import ManualClock


def test_ranking_cache_keeps_tables_and_rankings_for_their_ttl() -> None:
    clock = ManualClock()
    cache = RankingCache(ttl_s=30, clock=clock)
    custom = ScoringTable(pole=3)
    cache.keep_table(7, custom)
    cache.keep_ranking(2026, custom, (3, 1, 2))
    assert cache.table(7) == custom and cache.table(8) is None
    assert cache.ranking(2026, custom) == (3, 1, 2)
    assert cache.ranking(2026, ScoringTable()) is None  # keyed by table
    assert cache.ranking(2025, custom) is None  # and by season
    clock.now += 29.9
    assert cache.table(7) == custom
    clock.now += 0.1
    assert cache.table(7) is None and cache.ranking(2026, custom) is None


def test_draft_leagues_is_bounded() -> None:
    leagues = DraftLeagues(limit=2)
    for draft_id in (1, 2, 3):
        leagues.remember(draft_id, 10 + draft_id)
    assert [leagues.get(d) for d in (1, 2, 3)] == [11, 12, 13]
    leagues.remember(4, 14)  # past the limit: everything else is forgotten
    assert [leagues.get(d) for d in (1, 2, 3, 4)] == [None, None, None, 14]


def loaded(league_id: int, season: int) -> Any:
    state: Any = object.__new__(DraftState)
    return Loaded(
        draft_id=1, league_id=league_id, race_id=1, season=season, commissioner_id=1,
        state=state, queues={}, numbers={9: 1, 8: 2},
    )  # fmt: skip


async def test_ranking_for_reads_the_runtimes_cache(runtime: Any) -> None:
    table = ScoringTable(dnf=-1)
    runtime.rankings.keep_table(5, table)
    runtime.rankings.keep_ranking(2026, table, (42, 41))
    # no query: the ranking comes from this runtime's cache, then the car numbers
    assert await ranking_for(runtime, loaded(5, 2026)) == (42, 41, 9, 8)
    other = replace(runtime, rankings=RankingCache())
    assert other.rankings.table(5) is None  # each runtime owns its own


async def test_draft_league_id_remembers_in_the_runtime(runtime: Any) -> None:
    runtime.draft_leagues.remember(123_456, 77)  # a draft that is not in the database
    assert await snapshot.draft_league_id(runtime, 123_456) == 77
