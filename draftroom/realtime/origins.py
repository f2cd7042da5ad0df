"""Which browser origins may open Socket.IO connections: the server's own, plus the
deployment's ``DRAFTROOM_ALLOWED_ORIGINS``. Clients that send no ``Origin`` (non-browser
clients: scripts, the load test, the test clients) are not checked by Engine.IO."""

from __future__ import annotations

from typing import Any

_HTTP_SCHEME = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


class OriginPolicy:
    """Engine.IO's ``cors_allowed_origins`` callable: ``policy(origin, environ) -> bool``."""

    def __init__(self, allowed: tuple[str, ...] = (), trust_forwarded: bool = False) -> None:
        self.allowed = frozenset(allowed)
        self.trust_forwarded = trust_forwarded

    def own_origins(self, environ: dict[str, Any]) -> set[str]:
        """The request's own origin (``scheme://Host``), and the proxy's when trusted."""
        host = environ.get("HTTP_HOST")
        if not host:
            return set()
        scheme = _HTTP_SCHEME.get(str(environ.get("wsgi.url_scheme", "http")), "http")
        own = {f"{scheme}://{host}"}
        if self.trust_forwarded:
            proto = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
            forwarded = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
            own.add(f"{_HTTP_SCHEME.get(proto, 'http')}://{forwarded}")
        return own

    def __call__(self, origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:
            return True
        return origin in self.allowed or origin in self.own_origins(environ)
