"""Fixtures of the results tests: the fake Jolpica server over real HTTP, a Runtime whose
Jolpica client has fast retries and no client-side throttle, and a live app pointed at the
fake server."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from draftroom.coordination.ratelimit import LocalRateLimiter, Rate
from draftroom.jolpica.client import JolpicaClient, RetryPolicy
from draftroom.services.polling import JOLPICA_FACTORY
from tests.fakes.fixtures import FakeJolpicaControl, jolpica, jolpica_server

__all__ = ["jolpica", "jolpica_server"]

FAST_RETRY = RetryPolicy(attempts=5, base_delay_s=0.01, max_delay_s=0.05, max_retry_after_s=2)


def fast_client_factory(base_url: str) -> Any:
    """``() -> JolpicaClient`` on ``base_url`` with quick retries and a generous local limit."""

    def factory() -> JolpicaClient:
        return JolpicaClient(
            base_url, limiter=LocalRateLimiter(), rates=(Rate(10_000, 1.0),), retry=FAST_RETRY
        )

    return factory


@pytest.fixture
def rt(runtime: Any, jolpica: FakeJolpicaControl) -> Any:
    """The test Runtime (RecordingNotifier) whose Jolpica client talks to the fake server."""
    runtime.components[JOLPICA_FACTORY] = fast_client_factory(jolpica.base_url)
    return runtime


@pytest.fixture(scope="session")
async def results_server(
    database: None, settings: Any, jolpica_server: FakeJolpicaControl
) -> AsyncIterator[str]:
    """The real ASGI app under hypercorn, with JOLPICA_BASE_URL at the fake server."""
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    from draftroom.asgi import create_app
    from draftroom.embedded import free_port

    port = free_port()
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    config.graceful_timeout = 1
    stop = asyncio.Event()
    app = create_app(dataclasses.replace(settings, jolpica_base_url=jolpica_server.base_url))
    app.runtime.components[JOLPICA_FACTORY] = fast_client_factory(jolpica_server.base_url)
    task = asyncio.create_task(serve(app, config, shutdown_trigger=stop.wait))  # type: ignore[arg-type]
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{url}/health")).status_code == 200:
                    break
            await asyncio.sleep(0.05)
    yield url
    stop.set()
    await asyncio.wait_for(task, 10)


@pytest.fixture
async def api(results_server: str, db: None) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the results server (``/api/v1`` prefix), clean database."""
    async with httpx.AsyncClient(base_url=f"{results_server}/api/v1", timeout=30) as client:
        yield client
