"""What a process shares between its parts: settings, Redis, the notifier, the caches.

Built once in the composition roots (``asgi.py``, the taskiq broker, test fixtures) and
handed to services; nothing else constructs it. Every part is a typed field; it lives in
``services`` because what it holds are services' objects (the layers above import it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import redis.asyncio as aioredis

from draftroom.admission import Admission
from draftroom.config import Settings
from draftroom.coordination.revocations import RevocationCache
from draftroom.jolpica.client import JolpicaClient
from draftroom.services.drafts.caches import DraftLeagues, RankingCache
from draftroom.services.drafts.live import LiveDrafts
from draftroom.services.notifier import Notifier


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
    jolpica_factory: Callable[[], JolpicaClient] | None = None
    """Builds the Jolpica client of results polling and sync (tests and tools point it at a
    fake); None: a client on ``settings.jolpica_base_url`` sharing the Redis rate limit."""
    draft_leagues: DraftLeagues = field(default_factory=DraftLeagues)
    """draft id -> league id, looked up on every draft event."""
    rankings: RankingCache = field(default_factory=RankingCache)
    """Autopick rankings and scoring tables (30 s)."""
    revocations: RevocationCache | None = None
    """Revoked tokens in memory (web processes); without it, token checks read Redis."""
