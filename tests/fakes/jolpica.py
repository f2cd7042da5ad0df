"""A fake Jolpica F1 API: a plain ASGI app serving ``tests/fixtures/jolpica`` under ``/ergast/f1``.

It pages like the real API (``limit`` default 30, max 100, ``offset``, ``total`` counting
the innermost rows, the Race object repeated on every page) and has control endpoints, so a
test (also one in another process) can change what it serves:

``POST /_control/reset`` ``{}``
    Back to the recorded fixtures, no failures, request log cleared.
``POST /_control/unpublish`` ``{"season", "round", "kinds"?: ["results"]}``
    Serve those kinds (``results``, ``sprint``, ``qualifying``) of the round as not yet
    published (an empty ``Races`` list). ``POST /_control/publish`` undoes it.
``POST /_control/fail`` ``{"count", "status"?: 500, "retry_after"?, "delay_s"?, "path_contains"?}``
    The next ``count`` API requests (matching ``path_contains``) fail with ``status`` (429
    adds ``Retry-After``); with ``delay_s`` they are answered normally after that delay.
``POST /_control/revision`` ``{"season", "round", "revision": "provisional" | "final"}``
    Serve ``<round>/results.<revision>.json`` instead of ``results.json`` (final).
``GET /_control/state``
    ``{"requests": [{"path", "query", "at"}], "pending_failures", "unpublished", "revisions"}``.

Run it alone with ``python -m tests.fakes.jolpica [--port N]``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jolpica"
PREFIX = "/ergast/f1/"
_SEASON = re.compile(r"^(\d{4})(?:/(races|drivers|constructors|driverstandings))?(?:\.json|/)?$")
_ROUND = re.compile(r"^(\d{4})/(\d+)/(results|sprint|qualifying)(?:\.json|/)?$")
_EMPTY = {  # resource -> (table, list key) for a fixture that does not exist
    "races": ("RaceTable", "Races"),
    "results": ("RaceTable", "Races"),
    "sprint": ("RaceTable", "Races"),
    "qualifying": ("RaceTable", "Races"),
    "drivers": ("DriverTable", "Drivers"),
    "constructors": ("ConstructorTable", "Constructors"),
    "driverstandings": ("StandingsTable", "StandingsLists"),
}

Scope = dict[str, Any]


@dataclass
class Failure:
    """One injected failure."""

    status: int = 500
    retry_after: float | None = None
    delay_s: float | None = None
    path_contains: str | None = None


@cache
def _load(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def paginate(payload: dict[str, Any], limit: int, offset: int, url: str) -> dict[str, Any]:
    """One page of a full envelope; rows are counted per innermost row, like the real API."""
    data = payload["MRData"]
    table_key = next(k for k in data if k.endswith("Table"))
    table = data[table_key]
    list_key = next(k for k, v in table.items() if isinstance(v, list))
    items = table[list_key]
    rows: list[tuple[int, str | None, Any]] = []
    for index, item in enumerate(items):
        child = next((k for k, v in item.items() if isinstance(v, list) and k[0].isupper()), None)
        if child is None:
            rows.append((index, None, item))
        else:
            rows.extend((index, child, row) for row in item[child])
    page: list[Any] = []
    groups: dict[int, dict[str, Any]] = {}
    for index, child, row in rows[offset : offset + limit]:
        if child is None:
            page.append(row)
        elif index not in groups:
            groups[index] = {**items[index], child: [row]}
            page.append(groups[index])
        else:
            groups[index][child].append(row)
    meta = {"limit": str(limit), "offset": str(offset), "total": str(len(rows))}
    return {"MRData": {**data, "url": url, **meta, table_key: {**table, list_key: page}}}


class FakeJolpica:
    """The ASGI app and its switchable state."""

    def __init__(self, fixtures: Path = FIXTURES) -> None:
        self.fixtures = fixtures
        self.reset()

    def reset(self) -> None:
        """Serve the recorded fixtures again; forget failures, switches and requests."""
        self.unpublished: set[tuple[int, int, str]] = set()
        self.revisions: dict[tuple[int, int], str] = {}
        self.failures: deque[Failure] = deque()
        self.requests: list[dict[str, Any]] = []

    # --- API -------------------------------------------------------------------------

    def resolve(self, path: str) -> tuple[dict[str, Any], dict[str, str]] | None:
        """The full envelope for an API path (without the prefix), or None when unknown."""
        if match := _ROUND.match(path):
            season, round_, kind = int(match[1]), int(match[2]), match[3]
            filters = {"season": str(season), "round": str(round_)}
            if (season, round_, kind) in self.unpublished:
                return self._empty(kind, filters), filters
            name = kind
            if kind == "results" and self.revisions.get((season, round_), "final") != "final":
                name = f"results.{self.revisions[(season, round_)]}"
            found = _load(self.fixtures / str(season) / str(round_) / f"{name}.json")
            return found or self._empty(kind, filters), filters
        if match := _SEASON.match(path):
            season, kind = int(match[1]), match[2] or "races"
            filters = {"season": str(season)}
            found = _load(self.fixtures / str(season) / f"{kind}.json")
            return found or self._empty(kind, filters), filters
        return None

    @staticmethod
    def _empty(kind: str, filters: dict[str, str]) -> dict[str, Any]:
        table, key = _EMPTY[kind]
        return {
            "MRData": {
                "xmlns": "",
                "series": "f1",
                "url": "",
                "limit": "30",
                "offset": "0",
                "total": "0",
                table: {**filters, key: []},
            }
        }

    async def _api(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        self.requests.append(
            {"path": path, "query": {k: v[-1] for k, v in query.items()}, "at": time.time()}
        )
        failure = next(
            (f for f in self.failures if not f.path_contains or f.path_contains in path), None
        )
        if failure is not None:
            self.failures.remove(failure)
            if failure.delay_s:
                await asyncio.sleep(failure.delay_s)
            else:
                headers = {}
                if failure.retry_after is not None:
                    headers["retry-after"] = str(failure.retry_after)
                detail = "Request was throttled." if failure.status == 429 else "Server Error"
                return failure.status, {"detail": detail}, headers
        resolved = self.resolve(
            path.removeprefix(PREFIX).replace("driverStandings", "driverstandings")
        )
        if resolved is None:
            return 404, {"detail": "Not found."}, {}
        payload, _ = resolved
        try:
            limit = min(100, max(0, int(query.get("limit", ["30"])[-1])))
            offset = max(0, int(query.get("offset", ["0"])[-1]))
        except ValueError:
            return 400, {"detail": "limit and offset must be integers"}, {}
        url = "http://api.jolpi.ca" + path
        return 200, paginate(payload, limit, offset, url), {}

    # --- control ---------------------------------------------------------------------

    def _control(self, action: str, body: dict[str, Any]) -> tuple[int, Any]:
        if action == "state":
            return 200, {
                "requests": self.requests,
                "pending_failures": len(self.failures),
                "unpublished": sorted(self.unpublished),
                "revisions": [[s, r, v] for (s, r), v in self.revisions.items()],
            }
        if action == "reset":
            self.reset()
        elif action in ("unpublish", "publish"):
            for kind in body.get("kinds") or ["results"]:
                key = (int(body["season"]), int(body["round"]), str(kind))
                if action == "unpublish":
                    self.unpublished.add(key)
                else:
                    self.unpublished.discard(key)
        elif action == "fail":
            for _ in range(int(body.get("count", 1))):
                self.failures.append(
                    Failure(
                        status=int(body.get("status", 500)),
                        retry_after=body.get("retry_after"),
                        delay_s=body.get("delay_s"),
                        path_contains=body.get("path_contains"),
                    )
                )
        elif action == "revision":
            self.revisions[(int(body["season"]), int(body["round"]))] = str(body["revision"])
        else:
            return 404, {"detail": f"unknown control action {action!r}"}
        return 200, {"ok": True}

    # --- ASGI ------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path: str = scope["path"]
        headers: dict[str, str] = {}
        if path.startswith("/_control/"):
            try:
                payload = json.loads(body or b"{}")
                status, result = self._control(path.removeprefix("/_control/"), payload)
            except (ValueError, KeyError, TypeError) as exc:
                status, result = 400, {"detail": f"bad control request: {exc}"}
        elif path.startswith(PREFIX) and scope["method"] == "GET":
            query = parse_qs(scope.get("query_string", b"").decode())
            status, result, headers = await self._api(path, query)
        else:
            status, result = 404, {"detail": "Not found."}
        raw = json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode()
        head = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
        head += [(k.encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": head})
        await send({"type": "http.response.body", "body": raw})


def main() -> None:
    """Serve the fake on 127.0.0.1 and print its base URL (``--port 0`` picks a free one)."""
    import argparse

    from tests.fakes.server import serve_forever

    parser = argparse.ArgumentParser(description="fake Jolpica server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    serve_forever(FakeJolpica(), args.host, args.port)


if __name__ == "__main__":
    main()
