"""A draft whose opening time passes while Redis is down opens once Redis is back (issue 15,
defect 11): the opening is the draft supervisor's PostgreSQL scan, not a queued job that a
Redis restart would lose."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from draftroom.embedded import EmbeddedRedis
from tests.support.leagues import make_league
from tests.support.processes import ServerProcess, serve_processes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    redis = EmbeddedRedis(tmp_path_factory.mktemp("opening-redis"))
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture(autouse=True)
async def _only_the_server_opens_drafts() -> Any:
    """The in-process server (other tests') must not open this test's draft meanwhile."""
    from tests.drafts.conftest import paused_local_supervisors

    async with paused_local_supervisors():
        yield


@pytest.fixture(scope="module")
def server(database: None, settings: Any, own_redis: EmbeddedRedis) -> Iterator[ServerProcess]:
    with serve_processes(settings.database_url, own_redis.url, count=1) as procs:
        yield procs[0]


async def draft_status(draft_id: int) -> str:
    from draftroom.db.tables import Draft

    row = await Draft.select(Draft.status).where(Draft.id == draft_id).first()
    assert row is not None
    return str(row["status"])


async def test_a_draft_due_while_redis_was_down_opens_when_it_returns(
    server: ServerProcess, own_redis: EmbeddedRedis, make_user: Any, runtime: Any
) -> None:
    from draftroom.services.drafts.creation import create_draft

    room = await make_league(make_user, teams=2)
    await asyncio.to_thread(own_redis.stop)
    try:
        opens_at = datetime.now(UTC) + timedelta(seconds=1)
        draft_id = await create_draft(runtime, room.league_id, room.race_id, opens_at=opens_at)
        await asyncio.sleep(4)  # due now, and nobody could take its clock
        assert await draft_status(draft_id) == "scheduled"
    finally:
        await asyncio.to_thread(own_redis.start)  # empty: no queued job survived
    deadline = time.monotonic() + 30
    while await draft_status(draft_id) != "live":
        assert time.monotonic() < deadline, "the missed opening never ran"
        await asyncio.sleep(0.2)
