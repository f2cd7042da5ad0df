"""Per-process memos of the draft services, owned by the Runtime (``rt.draft_leagues``,
``rt.rankings``).

Both sit on the pick path: a lookup is a dict access, no I/O. The services fill them
(:func:`draftroom.services.drafts.snapshot.draft_league_id`,
:func:`draftroom.services.drafts.commit.ranking_for`); a test or a second runtime gets its
own by building another.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from draftroom.domain.scoring import ScoringTable

RANKING_TTL_S = 30.0


class DraftLeagues:
    """draft id -> league id (it never changes), at most ``limit`` entries."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._league_of: dict[int, int] = {}

    def get(self, draft_id: int) -> int | None:
        """The league of a draft seen before, else None."""
        return self._league_of.get(draft_id)

    def remember(self, draft_id: int, league_id: int) -> None:
        """Keep ``draft_id -> league_id`` (everything is forgotten past ``limit``)."""
        if len(self._league_of) > self.limit:
            self._league_of.clear()
        self._league_of[draft_id] = league_id

    def clear(self) -> None:
        """Forget everything (tests: ids restart after a TRUNCATE)."""
        self._league_of.clear()


class RankingCache:
    """Leagues' scoring tables and the autopick ranking per (season, table), each kept
    ``ttl_s`` (every default-scoring league shares one ranking)."""

    def __init__(
        self, ttl_s: float = RANKING_TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._tables: dict[int, tuple[float, ScoringTable]] = {}
        self._rankings: dict[tuple[int, ScoringTable], tuple[float, tuple[int, ...]]] = {}

    def table(self, league_id: int) -> ScoringTable | None:
        """The league's scoring table if still fresh."""
        known = self._tables.get(league_id)
        if known is None or self.clock() - known[0] >= self.ttl_s:
            return None
        return known[1]

    def ranking(self, season: int, table: ScoringTable) -> tuple[int, ...] | None:
        """The season's ranking under ``table`` if still fresh."""
        hit = self._rankings.get((season, table))
        if hit is None or self.clock() - hit[0] >= self.ttl_s:
            return None
        return hit[1]

    def keep_table(self, league_id: int, table: ScoringTable) -> None:
        """Remember a league's scoring table."""
        self._bound()
        self._tables[league_id] = (self.clock(), table)

    def keep_ranking(self, season: int, table: ScoringTable, ranking: tuple[int, ...]) -> None:
        """Remember a season's ranking under ``table``."""
        self._bound()
        self._rankings[(season, table)] = (self.clock(), ranking)

    def clear(self) -> None:
        """Forget everything (tests; a change of scoring shows within ``ttl_s`` anyway)."""
        self._tables.clear()
        self._rankings.clear()

    def _bound(self) -> None:
        if len(self._rankings) > 1_000 or len(self._tables) > 100_000:
            self.clear()
