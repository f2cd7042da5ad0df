"""An offline Jolpica: the results the project ships, served as the API would serve them.

``draftroom/seed_data/results/<season>.json.gz`` (generated from F1DB by
``tests/fixtures/build_jolpica_fixtures.py``) holds, per round, the Ergast ``Races`` lists of
``results``, ``sprint`` and ``qualifying``. :class:`PackagedTransport` is an httpx transport
that answers ``{season}/{round}/{kind}.json`` from them in a paged MRData envelope (``limit``,
``offset``, ``total`` counting result rows, as the real API pages), and an empty ``Races``
list for a round it has nothing for. So ``JolpicaClient(transport=PackagedTransport())``
reads shipped weekends through the very parsing the live poll uses
(:func:`packaged_client`). Other paths answer 404.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import httpx

from draftroom.coordination.ratelimit import LocalRateLimiter, Rate
from draftroom.jolpica.client import JolpicaClient

PACKAGED_BASE_URL = "http://packaged.invalid/ergast/f1"
"""The base URL of :func:`packaged_client` (never resolved: the transport answers)."""
ROWS_KEYS = {"results": "Results", "sprint": "SprintResults", "qualifying": "QualifyingResults"}
DEFAULT_LIMIT, MAX_LIMIT = 30, 100
_ROUND = re.compile(r"/(\d{4})/(\d+)/(results|sprint|qualifying)(?:\.json|/)?$")

Weekends = Mapping[int, Mapping[str, list[dict[str, Any]]]]
"""``{round: {kind: Races}}`` of one season."""


@cache
def packaged_season(season: int) -> Weekends:
    """The shipped weekends of ``season`` (empty when none are shipped)."""
    item = resources.files("draftroom") / "seed_data" / "results" / f"{season}.json.gz"
    if not item.is_file():
        return {}
    data = json.loads(gzip.decompress(item.read_bytes()).decode("utf-8"))
    return {int(round_): weekend for round_, weekend in data["rounds"].items()}


def packaged_rounds(season: int) -> frozenset[int]:
    """Rounds of ``season`` whose race results are shipped."""
    return frozenset(r for r, weekend in packaged_season(season).items() if weekend.get("results"))


def _page_size(text: str | None, default: int, upper: int | None = None) -> int:
    try:
        value = int(text) if text is not None else default
    except ValueError:
        value = default
    value = max(0, value)
    return min(value, upper) if upper is not None else value


def envelope(
    url: str, season: int, round_: int, kind: str, races: list[dict[str, Any]], params: Any
) -> dict[str, Any]:
    """A Jolpica MRData page of ``races`` (one Race in practice), rows sliced by
    ``limit``/``offset`` and the Race object repeated on the page, as the API does."""
    limit = _page_size(params.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)
    offset = _page_size(params.get("offset"), 0)
    rows_key = ROWS_KEYS[kind]
    flat = [(i, row) for i, race in enumerate(races) for row in race.get(rows_key, [])]
    page = flat[offset : offset + limit]
    paged = [
        {**race, rows_key: [row for i, row in page if i == index]}
        for index, race in enumerate(races)
        if any(i == index for i, _ in page)
    ]
    return {
        "MRData": {
            "xmlns": "",
            "series": "f1",
            "url": url,
            "limit": str(limit),
            "offset": str(offset),
            "total": str(len(flat)),
            "RaceTable": {"season": str(season), "round": str(round_), "Races": paged},
        }
    }


class PackagedTransport(httpx.AsyncBaseTransport):
    """Answers Jolpica weekend requests from the shipped results (see the module doc)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The page asked for, or 404 for a path the packaged data cannot answer."""
        match = _ROUND.search(request.url.path)
        if request.method != "GET" or match is None:
            return httpx.Response(404, json={"error": "not in the packaged data"})
        season, round_, kind = int(match[1]), int(match[2]), match[3]
        races = packaged_season(season).get(round_, {}).get(kind, [])
        url = str(request.url.copy_with(query=None))
        body = envelope(url, season, round_, kind, races, request.url.params)
        return httpx.Response(200, json=body)


def packaged_client() -> JolpicaClient:
    """A Jolpica client served by :class:`PackagedTransport` (no network, no real limit)."""
    return JolpicaClient(
        PACKAGED_BASE_URL,
        limiter=LocalRateLimiter(),
        rates=(Rate(1_000_000, 1.0),),
        transport=PackagedTransport(),
    )
