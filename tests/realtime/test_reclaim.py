"""A closed Socket.IO connection leaves no object for the garbage collector: reference
counting frees it (draftroom.realtime.reclaim). Without the three fixes every closed
websocket left about two hundred objects in reference cycles, freed only by a full
collection that also walks every live socket."""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import socketio

from draftroom.realtime.reclaim import RequestBody, translate_request
from draftroom.realtime.server import create_socket_server
from tests.realtime.test_disconnect_cost import health
from tests.support.server import serve_app

SERVER_MODULES = ("hypercorn.", "h11.", "wsproto.", "engineio.async_socket", "draftroom.")


def server_side(garbage: list[Any]) -> Counter[str]:
    """The garbage that belongs to the server's connections, by type."""
    found: Counter[str] = Counter()
    for obj in garbage:
        kind = type(obj)
        if kind is type:  # a class made per request (python-engineio's AwaitablePayload)
            found[f"class {obj.__qualname__}"] += 1
        elif kind.__module__.startswith(SERVER_MODULES):
            found[f"{kind.__module__}.{kind.__qualname__}"] += 1
        elif kind.__name__ == "frame" and "engineio/async_socket" in obj.f_code.co_filename:
            found[f"frame {obj.f_code.co_name}"] += 1
    return found


@contextmanager
def collector_paused() -> Iterator[list[Any]]:
    """No automatic collection in the block; then one full collection whose garbage (what
    only the collector could free) is yielded list's content."""
    garbage: list[Any] = []
    gc.collect()
    gc.disable()
    try:
        yield garbage
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        garbage.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


async def test_closed_connections_leave_nothing_for_the_collector(
    settings: Any, redis: Any
) -> None:
    sio = create_socket_server(settings, settings.redis_url)
    left: list[str] = []

    @sio.on("connect", namespace="*")
    async def connect(namespace: str, sid: str, environ: Any, auth: Any = None) -> None:
        return None

    @sio.on("disconnect", namespace="*")
    async def disconnect(namespace: str, sid: str, reason: Any = None) -> None:
        left.append(sid)

    async with serve_app(socketio.ASGIApp(sio, other_asgi_app=health)) as url:
        with collector_paused() as garbage:
            clients = [socketio.AsyncClient() for _ in range(20)]
            for client in clients:
                await client.connect(url, namespaces=["/league/3"], transports=["websocket"])
            for client in clients:
                await client.disconnect()
            for _ in range(200):
                if len(left) >= len(clients) and not sio.eio.sockets:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.2)  # hypercorn closes the streams after the app returns
            assert len(left) == len(clients) and not sio.eio.sockets
            del clients
        assert server_side(garbage) == Counter(), "a closed connection's objects leaked"


async def test_request_body_reads_like_engineio() -> None:
    parts = [
        {"type": "http.request", "body": b"cd", "more_body": True},
        {"type": "http.request", "body": b"ef", "more_body": False},
    ]

    async def receive() -> dict[str, Any]:
        return parts.pop(0)

    body = RequestBody({"type": "http.request", "body": b"ab", "more_body": True}, receive)
    assert await body.read() == b"abcdef"  # the whole body, over three events
    assert await body.read() == b""
    whole = RequestBody({"type": "http.request", "body": b"abcdef"}, receive)
    assert await whole.read(4) == b"abcd" and await whole.read(4) == b"ef"


async def test_translate_request_builds_engineio_environ() -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    scope = {
        "type": "websocket",
        "path": "/socket.io/",
        "query_string": b"EIO=4&transport=websocket&league=3",
        "headers": [
            (b"content-type", b"text/plain"),
            (b"x-forwarded-proto", b"https"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
            (b"bad", b"\xff"),
        ],
    }
    environ = await translate_request(scope, receive, None)
    assert environ["QUERY_STRING"] == "EIO=4&transport=websocket&league=3"
    assert environ["RAW_URI"] == "/socket.io/?EIO=4&transport=websocket&league=3"
    assert environ["REQUEST_METHOD"] == "GET" and environ["PATH_INFO"] == "/socket.io/"
    assert environ["CONTENT_TYPE"] == "text/plain" and environ["HTTP_COOKIE"] == "a=1,b=2"
    assert environ["wsgi.url_scheme"] == "https" and "HTTP_BAD" not in environ
    assert environ["asgi.scope"] is scope and environ["asgi.receive"] is receive

    async def disconnected() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    assert await translate_request({"path": "/", "headers": []}, disconnected, None) == {}
