"""docker-compose.yml describes the deployment SPEC section 4 asks for (no Docker engine
runs here, so the file is checked as data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("migrate", ["draftroom", "migrate"]),
        ("web", ["draftroom", "serve"]),
        ("worker", ["draftroom", "worker", "--workers", "2"]),
        ("scheduler", ["draftroom", "scheduler"]),
    ],
)
def test_every_process_runs_its_draftroom_command(
    compose: dict[str, Any], service: str, command: list[str]
) -> None:
    assert compose["services"][service]["command"] == command


def test_backing_services_and_proxy_exist(compose: dict[str, Any]) -> None:
    assert {"postgres", "redis", "proxy"} <= set(compose["services"])


def test_web_is_replicated_and_scheduler_is_single(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] >= 2
    assert services["scheduler"]["deploy"]["replicas"] == 1


def test_app_services_point_at_postgres_and_redis(compose: dict[str, Any]) -> None:
    for name in ("migrate", "web", "worker", "scheduler"):
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["REDIS_URL"].startswith("redis://")


def test_web_waits_for_migrations(compose: dict[str, Any]) -> None:
    depends = compose["services"]["web"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_proxy_routes_sticky_with_websocket_upgrade(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    config = proxy["configs"][0]
    assert config["target"] == "/etc/nginx/nginx.conf"
    nginx = compose["configs"][config["source"]]["content"]
    assert "ip_hash;" in nginx
    assert "hash $$arg_league consistent;" in nginx  # a league's sockets on one replica
    assert "map $$arg_league $$socketio_upstream" in nginx
    assert "proxy_set_header Upgrade $$http_upgrade;" in nginx  # `$$`: compose's escape


def test_image_installs_the_project(compose: dict[str, Any]) -> None:
    dockerfile = compose["x-app"]["build"]["dockerfile_inline"]
    assert "pip install --no-cache-dir -e ." in dockerfile
    assert 'CMD ["draftroom", "serve"]' in dockerfile
