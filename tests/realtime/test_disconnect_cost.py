"""A disconnect visits only the namespaces its connection joined (draftroom.realtime.server:
python-socketio visits every namespace of the process, O(leagues) per disconnect)."""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

from draftroom.realtime.server import create_socket_server
from tests.support.server import serve_app


async def health(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Any HTTP request: 200 (serve_app waits for /health)."""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def test_a_disconnect_visits_only_the_joined_namespaces(settings: Any, redis: Any) -> None:
    sio = create_socket_server(settings, settings.redis_url)
    left: list[str] = []
    visited: list[str] = []

    @sio.on("connect", namespace="*")
    async def connect(namespace: str, sid: str, environ: Any, auth: Any = None) -> None:
        return None

    @sio.on("disconnect", namespace="*")
    async def disconnect(namespace: str, sid: str, reason: Any = None) -> None:
        left.append(namespace)

    original = sio._handle_disconnect

    async def counting(eio_sid: str, namespace: str, reason: Any = None) -> None:
        visited.append(namespace)
        await original(eio_sid, namespace, reason)

    sio._handle_disconnect = counting  # type: ignore[method-assign]
    others = [f"/league/{n}" for n in range(1, 41)]
    async with serve_app(socketio.ASGIApp(sio, other_asgi_app=health)) as url:
        crowd = socketio.AsyncClient()
        await crowd.connect(url, namespaces=others, transports=["websocket"])
        leaver = socketio.AsyncClient()
        await leaver.connect(url, namespaces=["/", "/league/7"], transports=["websocket"])
        await leaver.disconnect()
        for _ in range(100):
            if len(left) >= 2:
                break
            await asyncio.sleep(0.02)
        assert sorted(left) == ["/", "/league/7"], "both of its namespaces saw it leave"
        assert sorted(visited) == ["/", "/league/7"], "and no other namespace was visited"
        assert len(sio.manager.rooms["/league/7"][None]) == 1, "the crowd is still there"
        visited.clear()
        await crowd.disconnect()
        for _ in range(100):
            if len(left) >= 2 + len(others):
                break
            await asyncio.sleep(0.02)
        assert sorted(visited) == sorted(others)
        assert sio._joined == {}, "nothing is remembered for closed connections"
