"""Real processes: `draftroom serve` shuts down on SIGTERM; `make dev` starts the whole
stack on embedded PostgreSQL and Redis and leaves no process behind when stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest

from draftroom.embedded import free_port
from tests.support.processes import REPO_ROOT, ServerProcess

pytestmark = pytest.mark.slow


def test_serve_exits_cleanly_on_sigterm(server_env: dict[str, str]) -> None:
    server = ServerProcess(server_env).start()
    assert httpx.get(f"{server.url}/health").json()["status"] == "ok"
    started = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - started < 10


def _processes_of(data_dir: Path) -> list[psutil.Process]:
    """Every live process started for this data dir (by environment or command line)."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        with contextlib.suppress(psutil.Error):
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            cmdline = " ".join(proc.info["cmdline"] or [])
            env = proc.environ() if proc.pid != os.getpid() else {}
            if str(data_dir) in cmdline or env.get("DRAFTROOM_DATA_DIR") == str(data_dir):
                found.append(proc)
    return found


def test_make_dev_serves_then_stops_without_leftovers(tmp_path: Path) -> None:
    data_dir = tmp_path / "devdata"
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DRAFTROOM_ENV", "DRAFTROOM_SECRET_KEY")
    }
    env.update(DRAFTROOM_DATA_DIR=str(data_dir), DRAFTROOM_PORT=str(port), DRAFTROOM_DEMO="1")
    env["JOLPICA_BASE_URL"] = f"http://127.0.0.1:{free_port()}/ergast/f1"  # no network
    log_path = tmp_path / "dev.log"
    with log_path.open("wb") as log:
        make = subprocess.Popen(
            ["make", "dev"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        healthy = False
        while time.monotonic() < deadline and make.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                if response.status_code == 200 and response.json()["status"] == "ok":
                    healthy = True
                    break
            time.sleep(0.25)
        assert healthy, log_path.read_text()[-4000:]
        assert f"http://127.0.0.1:{port}/" in log_path.read_text()
        api = f"http://127.0.0.1:{port}/api/v1"
        drivers = httpx.get(f"{api}/drivers", timeout=5)
        assert drivers.status_code == 200 and len(drivers.json()) >= 20
        # the first run has real scores offline: rankings, and the demo league's standings
        rankings = httpx.get(f"{api}/drivers/rankings", timeout=10).json()
        assert rankings[0]["fantasy_points"] > 0, rankings[:3]
        demo = httpx.get(f"{api}/demo", timeout=5).json()
        user = {
            "username": "firstrun",
            "email": "firstrun@example.com",
            "password": "correct-horse-battery",
        }
        assert httpx.post(f"{api}/auth/register", json=user, timeout=10).status_code == 201
        login = {"username": "firstrun", "password": user["password"]}
        token = httpx.post(f"{api}/auth/login", json=login, timeout=10).json()["access_token"]
        table = httpx.get(
            f"{api}/leagues/{demo['id']}/standings",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        assert table and table[0]["points"] > 0, table
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            make.wait(30)
    deadline = time.monotonic() + 30
    while _processes_of(data_dir) and time.monotonic() < deadline:
        time.sleep(0.25)
    leftovers = [(p.pid, " ".join(p.cmdline())) for p in _processes_of(data_dir)]
    assert leftovers == [], leftovers
