"""What a process shares between its parts: settings, Redis, the notifier.

Built once in the composition roots (``asgi.py``, the taskiq broker, test fixtures) and
handed to services; nothing else constructs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis

from draftroom.admission import Admission
from draftroom.config import Settings
from draftroom.services.drafts.caches import DraftLeagues, RankingCache
from draftroom.services.drafts.live import LiveDrafts
from draftroom.services.notifier import Notifier

if TYPE_CHECKING:
    from draftroom.coordination.revocations import RevocationCache


@dataclass
class Runtime:
    """The process's shared resources."""

    settings: Settings
    redis: aioredis.Redis
    notifier: Notifier
    admission: Admission = field(default_factory=Admission)
    """The bound on user commits in flight (past it: ``overloaded``)."""
    live: LiveDrafts = field(default_factory=LiveDrafts)
    """What this process knows of the drafts it watches (fed by the fan-out)."""
    components: dict[str, Any] = field(default_factory=dict)
    """Long-lived per-process parts registered by the composition root (e.g. the supervisor)."""
    draft_leagues: DraftLeagues = field(default_factory=DraftLeagues)
    """draft id -> league id, looked up on every draft event."""
    rankings: RankingCache = field(default_factory=RankingCache)
    """Autopick rankings and scoring tables (30 s)."""
    revocations: RevocationCache | None = None
    """Revoked tokens in memory (web processes); without it, token checks read Redis."""
