"""A closed connection is freed by reference counting, not by a full collection.

The census of the garbage a reconnect storm left (``docs/loadtest.md``, session 6) found
every closed websocket's objects, about two hundred per socket, held in reference cycles
that only a full collection frees, and a full collection walks every live socket too (3 s
per process at 5,000 sockets). Three cycles held them:

1. python-engineio's ASGI driver raises ``OSError`` when the websocket closes; the
   traceback holds the connection handler's frame, whose ``wait_task`` holds the exception.
   :class:`~draftroom.realtime.protocol.GuardedWebSocket` returns None instead.
2. python-engineio's ``translate_request`` defines a class per request (its ``wsgi.input``);
   a class is always cyclic, and its ``read`` closes over the request's ``receive``
   channel. :func:`translate_request` below is the same translation with one class.
3. hypercorn's ``TCPServer`` and its protocol hold each other (the protocol's ``send`` is
   a bound method of the server), and through them the streams, the transport and the
   task groups. :func:`release_tcp_servers` empties a ``TCPServer`` once its connection
   has ended.

``tests/realtime/test_reclaim.py`` closes real connections and checks that no object of
them is left for the collector.
"""

from __future__ import annotations

import sys
from typing import Any

from hypercorn.asyncio.tcp_server import TCPServer

Receive = Any
"""An ASGI ``receive`` callable."""


class RequestBody:
    """``wsgi.input`` of an ASGI request: python-engineio's per-request ``AwaitablePayload``
    as one module-level class (same reads: the whole body, or ``length`` bytes of it)."""

    def __init__(self, event: dict[str, Any], receive: Receive) -> None:
        self.event = event
        self.receive = receive
        self.is_http = event["type"] == "http.request"
        self.payload: bytes | None = None

    async def read(self, length: int | None = None) -> bytes:
        """The request body (or its next ``length`` bytes), read from ``receive`` once."""
        if self.payload is None and self.is_http:
            self.payload = self.event.get("body") or b""
            while self.event.get("more_body"):
                self.event = await self.receive()
                if self.event["type"] == "http.request" and (
                    length is None or len(self.payload) < length
                ):
                    self.payload += self.event.get("body") or b""
        payload = self.payload or b""
        if length is None:
            self.payload = b""
            return payload
        self.payload = payload[length:]
        return payload[:length]


async def translate_request(scope: dict[str, Any], receive: Receive, send: Any) -> dict[str, Any]:
    """The WSGI-style environ python-engineio reads, from an ASGI request (its
    ``async_drivers.asgi.translate_request``, without a class made per request)."""
    event = await receive()
    if event["type"] not in ("http.request", "websocket.connect"):
        return {}
    query_string = ""
    raw_uri = scope["path"]
    if scope.get("query_string"):
        try:
            query_string = scope["query_string"].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raw_uri += "?" + query_string
    environ: dict[str, Any] = {
        "wsgi.input": RequestBody(event, receive),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.async": True,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "SERVER_SOFTWARE": "asgi",
        "REQUEST_METHOD": scope.get("method", "GET"),
        "PATH_INFO": scope["path"],
        "QUERY_STRING": query_string,
        "RAW_URI": raw_uri,
        "SCRIPT_NAME": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "0",
        "SERVER_NAME": "asgi",
        "SERVER_PORT": "0",
        "asgi.receive": receive,
        "asgi.send": send,
        "asgi.scope": scope,
    }
    for raw_name, raw_value in scope["headers"]:
        try:
            name = raw_name.upper().decode("utf-8")
            value = raw_value.decode("utf-8")
        except UnicodeDecodeError:
            continue  # a header that cannot be decoded is skipped
        if name in ("CONTENT-TYPE", "CONTENT-LENGTH"):
            environ[name.replace("-", "_")] = value
            continue
        key = "HTTP_" + name.replace("-", "_")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    environ["wsgi.url_scheme"] = environ.get("HTTP_X_FORWARDED_PROTO", "http")
    return environ


_hypercorn_run = TCPServer.run


async def _run_then_release(self: TCPServer) -> None:
    """hypercorn's ``TCPServer.run``, then drop what the ended connection held."""
    try:
        await _hypercorn_run(self)
    finally:
        self.__dict__.clear()


def release_tcp_servers() -> None:
    """Make hypercorn's connections free their objects when they end (idempotent; for
    every hypercorn server of the process)."""
    TCPServer.run = _run_then_release  # type: ignore[method-assign]
