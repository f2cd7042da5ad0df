"""Pytest fixtures for the fake Jolpica server, and a client for its control endpoints.

Wire them into a conftest with ``from tests.fakes.fixtures import jolpica, jolpica_server``.
``jolpica_server`` (session) runs one server over real HTTP; ``jolpica`` (per test) resets
it and hands the test a :class:`FakeJolpicaControl` whose ``base_url`` is what
``JOLPICA_BASE_URL`` should be set to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.jolpica import FakeJolpica
from tests.fakes.server import serve_in_thread


class FakeJolpicaControl:
    """Switches a running fake Jolpica through its ``/_control`` endpoints (any process)."""

    def __init__(self, root_url: str) -> None:
        self.root_url = root_url.rstrip("/")
        self.base_url = f"{self.root_url}/ergast/f1"
        """The Ergast-compatible base URL, ``http://127.0.0.1:PORT/ergast/f1``."""

    def _post(self, action: str, **body: Any) -> None:
        response = httpx.post(f"{self.root_url}/_control/{action}", json=body, timeout=5)
        response.raise_for_status()

    def reset(self) -> None:
        """Serve the recorded fixtures again, with no failures, and clear the request log."""
        self._post("reset")

    def unpublish(self, season: int, round_: int, kinds: tuple[str, ...] = ("results",)) -> None:
        """Serve those results of the round as not yet published."""
        self._post("unpublish", season=season, round=round_, kinds=list(kinds))

    def publish(self, season: int, round_: int, kinds: tuple[str, ...] = ("results",)) -> None:
        """Undo :meth:`unpublish`."""
        self._post("publish", season=season, round=round_, kinds=list(kinds))

    def fail(
        self,
        count: int,
        status: int = 500,
        *,
        retry_after: float | None = None,
        delay_s: float | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Make the next ``count`` API requests fail (or answer after ``delay_s``)."""
        self._post(
            "fail",
            count=count,
            status=status,
            retry_after=retry_after,
            delay_s=delay_s,
            path_contains=path_contains,
        )

    def revision(self, season: int, round_: int, revision: str) -> None:
        """Serve the ``provisional`` or ``final`` results of a round."""
        self._post("revision", season=season, round=round_, revision=revision)

    def state(self) -> dict[str, Any]:
        """The request log and current switches."""
        response = httpx.get(f"{self.root_url}/_control/state", timeout=5)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def requests(self) -> list[dict[str, Any]]:
        """Every API request served since the last reset: ``{"path", "query", "at"}``."""
        requests: list[dict[str, Any]] = self.state()["requests"]
        return requests


@pytest.fixture(scope="session")
def jolpica_server() -> Iterator[FakeJolpicaControl]:
    """One fake Jolpica server for the session, over real HTTP on 127.0.0.1."""
    with serve_in_thread(FakeJolpica()) as root_url:
        yield FakeJolpicaControl(root_url)


@pytest.fixture
def jolpica(jolpica_server: FakeJolpicaControl) -> Iterator[FakeJolpicaControl]:
    """The fake Jolpica server, reset before and after the test."""
    jolpica_server.reset()
    yield jolpica_server
    jolpica_server.reset()
