"""PostgreSQL down (issue 15, defect 7): requests get 503 ``service_unavailable`` with
``Retry-After`` (never a 500), /health answers 503 ``degraded`` with its usual body, and
everything answers again once PostgreSQL is back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from draftroom.embedded import EmbeddedPostgres
from tests.support.processes import REPO_ROOT, ServerProcess

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    """A migrated PostgreSQL of this module's own, so the test can kill it."""
    postgres = EmbeddedPostgres(Path(tmp_path_factory.mktemp("outage")) / "postgres")
    url = postgres.start()
    env = dict(os.environ, DATABASE_URL=url)
    subprocess.run(
        [sys.executable, "-m", "draftroom.cli", "migrate"], env=env, cwd=REPO_ROOT, check=True
    )
    yield postgres
    postgres.stop()


@pytest.fixture(scope="module")
def server(own_postgres: EmbeddedPostgres, settings: Any) -> Iterator[ServerProcess]:
    url = own_postgres.start()  # idempotent: the running cluster's URL
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=settings.redis_url, DRAFTROOM_DEMO="0")
    proc = ServerProcess(env).start()
    yield proc
    proc.stop()


def signed_in(base: str) -> dict[str, str]:
    user = {"username": "outage", "email": "outage@example.com", "password": "long enough pw 1"}
    assert httpx.post(f"{base}/api/v1/auth/register", json=user).status_code == 201
    tokens = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": "outage", "password": user["password"]}
    ).json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_database_down_is_503_with_retry_after(
    server: ServerProcess, own_postgres: EmbeddedPostgres
) -> None:
    base = server.url
    headers = signed_in(base)
    assert httpx.get(f"{base}/health").status_code == 200
    own_postgres.kill()
    try:
        requests = [
            ("POST", "/api/v1/drafts/1/picks", {"pick_no": 1, "driver_id": 1}),
            ("GET", "/api/v1/drafts/1", None),
            ("GET", "/api/v1/leagues/mine", None),
            ("GET", "/api/v1/races", None),
            ("POST", "/api/v1/leagues", {"name": "x", "is_private": True, "max_teams": 4,
                                         "team_name": "t"}),
        ]  # fmt: skip
        for method, path, body in requests:
            response = httpx.request(method, base + path, json=body, headers=headers, timeout=30)
            assert response.status_code == 503, (path, response.status_code, response.text)
            assert response.json()["error"]["code"] == "service_unavailable", response.text
            assert int(response.headers["Retry-After"]) >= 1
        health = httpx.get(f"{base}/health", timeout=30)
        assert health.status_code == 503
        assert health.json() == {"status": "degraded", "database": "down", "redis": "ok"}
    finally:
        own_postgres.restart_after_kill()
    deadline = time.monotonic() + 30
    while httpx.get(f"{base}/health", timeout=30).status_code != 200:
        assert time.monotonic() < deadline, "not healthy again"
        time.sleep(0.2)
    assert httpx.get(f"{base}/api/v1/leagues/mine", headers=headers).status_code == 200
    requests_log = [
        line for line in server.log_path.read_text().splitlines() if '"draftroom.http"' in line
    ]
    assert requests_log and not [line for line in requests_log if "Traceback" in line]
