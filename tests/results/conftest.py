"""Fixtures of the results tests: the fake Jolpica server over real HTTP, a Runtime whose
Jolpica client has fast retries and no client-side throttle, and a live app pointed at the
fake server."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.fixtures import FakeJolpicaControl, jolpica, jolpica_server
from tests.support.contract import checked_client
from tests.support.jolpica import fast_client_factory
from tests.support.server import serve_app

__all__ = ["jolpica", "jolpica_server"]


@pytest.fixture
def rt(runtime: Any, jolpica: FakeJolpicaControl) -> Any:
    """The test Runtime (RecordingNotifier) whose Jolpica client talks to the fake server."""
    runtime.jolpica_factory = fast_client_factory(jolpica.base_url)
    return runtime


@pytest.fixture(scope="session")
async def results_server(
    database: None, settings: Any, jolpica_server: FakeJolpicaControl
) -> AsyncIterator[str]:
    """The real ASGI app under hypercorn, with JOLPICA_BASE_URL at the fake server."""
    from draftroom.asgi import create_app

    app = create_app(dataclasses.replace(settings, jolpica_base_url=jolpica_server.base_url))
    app.runtime.jolpica_factory = fast_client_factory(jolpica_server.base_url)
    async with serve_app(app) as url:
        yield url


@pytest.fixture
async def api(results_server: str, db: None) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the results server (``/api/v1`` prefix), clean database."""
    async with checked_client(base_url=f"{results_server}/api/v1", timeout=30) as client:
        yield client
