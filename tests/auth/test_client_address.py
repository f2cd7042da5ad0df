"""The address rate limits count: the socket peer unless proxies are configured."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import pytest
from quart import Quart

from draftroom.http.auth import client_address


def _app(settings: Any, proxy_hops: int) -> Quart:
    app = Quart(__name__)
    app.extensions["draftroom"] = SimpleNamespace(
        settings=dataclasses.replace(settings, proxy_hops=proxy_hops)
    )

    @app.get("/addr")
    async def addr() -> str:
        return client_address()

    return app


@pytest.mark.parametrize(
    ("proxy_hops", "forwarded", "expected"),
    [
        (0, None, "127.0.0.1"),
        (0, "203.0.113.9", "127.0.0.1"),  # not trusted without a proxy setting
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client can forge the left part
        (2, "198.51.100.1, 203.0.113.9", "198.51.100.1"),
        (2, "203.0.113.9", "127.0.0.1"),  # fewer entries than hops: fall back to the peer
    ],
)
async def test_client_address(
    settings: Any, proxy_hops: int, forwarded: str | None, expected: str
) -> None:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    client = _app(settings, proxy_hops).test_client()
    response = await client.get("/addr", headers=headers, scope_base={"client": ("127.0.0.1", 5)})
    assert (await response.get_data(as_text=True)) == expected
