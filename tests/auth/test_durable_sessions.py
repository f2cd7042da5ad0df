"""Sessions survive a Redis restart (issue 15, defect 3): revocations, refresh-token families
and lockouts live in PostgreSQL; Redis (restarted here without persistence, so empty) only
announces revocations."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from draftroom.embedded import EmbeddedRedis
from tests.auth.conftest import PASSWORD, login, logout, me, refresh, register
from tests.support.contract import checked_client
from tests.support.processes import ServerProcess, serve_processes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    redis = EmbeddedRedis(tmp_path_factory.mktemp("durable-redis"))
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture(scope="module")
def server(database: None, settings: Any, own_redis: EmbeddedRedis) -> Iterator[ServerProcess]:
    """One ``draftroom serve`` on the shared database and this module's Redis."""
    with serve_processes(settings.database_url, own_redis.url, count=1) as procs:
        yield procs[0]


@pytest.fixture
async def api(server: ServerProcess, db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with checked_client(base_url=server.url, timeout=10) as client:
        yield client


async def test_revocations_refresh_tokens_and_lockouts_survive_a_redis_restart(
    api: httpx.AsyncClient, own_redis: EmbeddedRedis
) -> None:
    for name in ("alice", "bob"):
        assert (await register(api, name)).status_code == 201
    gone = (await login(api, "alice")).json()
    kept = (await login(api, "alice")).json()
    bearer = {"Authorization": "Bearer " + gone["access_token"]}
    assert (await logout(api, gone["refresh_token"], bearer)).status_code == 204
    for _ in range(5):
        await login(api, "bob", "wrong password")
    assert (await login(api, "bob")).status_code == 429

    own_redis.restart()  # no persistence: every key is gone
    deadline = time.monotonic() + 20
    while (await api.get("/health")).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)

    assert (await me(api, gone["access_token"])).status_code == 401  # still logged out
    assert (await refresh(api, gone["refresh_token"])).status_code == 401
    assert (await me(api, kept["access_token"])).status_code == 200
    rotated = await refresh(api, kept["refresh_token"])  # the other session lives on
    assert rotated.status_code == 200, rotated.text
    assert (await refresh(api, kept["refresh_token"])).json()["error"]["details"] == {
        "reason": "reused"
    }
    locked = await login(api, "bob", PASSWORD)  # still locked
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 60
