"""Browser-facing hardening (issue 15, defects 6, 9 and 10): security headers on every
response, no inline script in the page, Socket.IO origins checked, /metrics behind a token."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from draftroom.realtime.origins import OriginPolicy

STATIC = Path(__file__).resolve().parents[1] / "static"
TOKEN = "metrics-token-0123456789"


@pytest.mark.parametrize(
    "path",
    ["/", "/js/main.js", "/health", "/api/v1/races", "/api/v1/nothing", "/openapi.json",
     "/metrics", "/socket.io/?EIO=4&transport=polling", "/socket.io/?EIO=9"],
)  # fmt: skip
async def test_every_response_carries_the_security_headers(
    path: str, http: httpx.AsyncClient
) -> None:
    response = await http.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp, csp
    assert "unsafe-inline" not in csp and "default-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_api_docs_have_the_same_strict_policy(http: httpx.AsyncClient) -> None:
    """Swagger UI is vendored and loaded without inline script: no CDN, no hashes."""
    response = await http.get("/docs")
    assert response.status_code == 200 and "swagger" in response.text.lower()
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "https:" not in csp.split("img-src")[0], csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_the_page_has_no_inline_script_or_style() -> None:
    for page in STATIC.glob("*.html"):
        html = page.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert "<style" not in html and " style=" not in html, page
        assert not re.search(r"\son[a-z]+=", html), page  # no inline event handlers


def ws_url(base: str) -> str:
    return base.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"


async def test_socketio_refuses_foreign_origins(live_server: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await connect(ws_url(live_server), origin="https://evil.example")  # type: ignore[arg-type]
    assert refused.value.response.status_code in (400, 403)  # refused before the upgrade
    async with httpx.AsyncClient() as client:
        polling = await client.get(
            f"{live_server}/socket.io/?EIO=4&transport=polling",
            headers={"Origin": "https://evil.example"},
        )
    assert polling.status_code == 400
    own = await connect(ws_url(live_server), origin=live_server)  # type: ignore[arg-type]
    assert (await own.recv()).startswith("0")  # Engine.IO open
    await own.close()
    anonymous = await connect(ws_url(live_server))  # no Origin: scripts, the load test
    assert (await anonymous.recv()).startswith("0")
    await anonymous.close()


def test_origin_policy_allows_the_configured_list_and_the_own_origin() -> None:
    policy = OriginPolicy(("https://app.example",), trust_forwarded=True)
    environ = {
        "HTTP_HOST": "10.0.0.5:8000",
        "wsgi.url_scheme": "ws",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_HOST": "draft.example",
    }
    assert policy("https://app.example", environ)
    assert policy("http://10.0.0.5:8000", environ)
    assert policy("https://draft.example", environ)
    assert not policy("https://evil.example", environ)
    assert not OriginPolicy()("https://draft.example", environ)  # forwarded not trusted


@pytest.fixture
async def guarded(database: None, settings: Any) -> AsyncIterator[str]:
    """The app with DRAFTROOM_METRICS_TOKEN set, served in this process."""
    from draftroom.asgi import create_app
    from tests.support.server import serve_app

    async with serve_app(create_app(dataclasses.replace(settings, metrics_token=TOKEN))) as url:
        yield url


async def test_metrics_need_the_token_when_one_is_set(guarded: str) -> None:
    async with httpx.AsyncClient(base_url=guarded) as client:
        anonymous = await client.get("/metrics")
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "unauthorized"
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        scraped = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert scraped.status_code == 200 and "draftroom" in scraped.text


def test_metrics_without_a_token_are_open_in_development_and_off_in_production() -> None:
    from draftroom.errors import NotFound
    from draftroom.http.metrics import check_scrape

    check_scrape("", None, "development")
    check_scrape("", None, "test")
    with pytest.raises(NotFound):
        check_scrape("", None, "production")
