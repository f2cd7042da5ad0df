"""Socket.IO ``/`` refuses connections without a valid, unrevoked access token."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import socketio

from tests.auth.conftest import Session, logout


async def _connect(url: str, auth: Any) -> tuple[socketio.AsyncClient, list[Any]]:
    client = socketio.AsyncClient(reconnection=False)
    errors: list[Any] = []
    client.on("connect_error", errors.append, namespace="/")
    await client.connect(url, namespaces=["/"], auth=auth, transports=["websocket"], wait_timeout=5)
    return client, errors


async def _refused(url: str, auth: Any) -> Any:
    """Connect expecting a refusal; returns the connect_error data."""
    client = socketio.AsyncClient(reconnection=False)
    errors: list[Any] = []
    client.on("connect_error", errors.append, namespace="/")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(
            url, namespaces=["/"], auth=auth, transports=["websocket"], wait_timeout=5
        )
    await client.disconnect()
    assert errors, "connect_error was not received"
    return errors[0]


async def test_a_valid_token_connects(live_server: str, signup: Any) -> None:
    session: Session = await signup("alice")
    client, errors = await _connect(live_server, {"token": session.access_token})
    try:
        assert client.connected
        assert "/" in client.namespaces
        assert errors == []
    finally:
        await client.disconnect()


@pytest.mark.parametrize(
    "auth", [None, {}, {"token": ""}, {"token": 42}, {"token": "not-a-jwt"}, "token"]
)
async def test_missing_or_bad_tokens_are_refused(
    live_server: str, http: httpx.AsyncClient, auth: Any
) -> None:
    error = await _refused(live_server, auth)
    assert error["code"] == "unauthorized"


async def test_a_revoked_token_is_refused(
    live_server: str, signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    response = await logout(http, session.refresh_token, session.headers)
    assert response.status_code == 204
    error = await _refused(live_server, {"token": session.access_token})
    assert error["code"] == "unauthorized"
    assert error["details"] == {"reason": "revoked"}
