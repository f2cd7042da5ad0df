"""Async client for the Jolpica F1 API (Ergast-compatible JSON).

Every request goes through a shared rate limit (Jolpica allows a burst of 4 requests/s and
500/hour per address), is retried with exponential backoff and jitter on network errors,
5xx and 429 (honouring ``Retry-After``), and is paged with ``limit``/``offset`` until
``total``. Failures surface as :class:`draftroom.errors.UpstreamError` once retries are
exhausted, and unusable bodies as :class:`draftroom.errors.MalformedPayload`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from draftroom import __version__
from draftroom.coordination.ratelimit import Limiter, LocalRateLimiter, Rate
from draftroom.domain.classification import Classification
from draftroom.errors import MalformedPayload, RateLimited, UpstreamError
from draftroom.jolpica import parsing
from draftroom.jolpica.models import (
    ConstructorInfo,
    DriverInfo,
    DriverStandings,
    ScheduledRace,
    WeekendResults,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.jolpi.ca/ergast/f1"
JOLPICA_RATES = (Rate(4, 1.0), Rate(500, 3600.0))
"""Jolpica's unauthenticated limits: burst 4/s, sustained 500/h."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry one request."""

    attempts: int = 5
    """Total attempts per request, the first included."""
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    max_retry_after_s: float = 120.0
    """A ``Retry-After`` longer than this is not waited for: the request fails at once."""

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Delay after the ``failures``-th failure: exponential, capped, with jitter."""
        cap = min(self.max_delay_s, self.base_delay_s * 2 ** (failures - 1))
        return rng.uniform(cap / 2, cap)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class JolpicaClient:
    """Typed access to the Jolpica endpoints draftroom needs. Use as an async context manager.

    ``base_url`` includes ``/ergast/f1``. ``limiter`` should be a Redis
    :class:`~draftroom.coordination.ratelimit.RateLimiter` so that every process shares
    Jolpica's limits; without one, a process-local limiter is used.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        limiter: Limiter | None = None,
        rates: Sequence[Rate] = JOLPICA_RATES,
        limiter_key: str = "jolpica",
        limiter_timeout_s: float = 60.0,
        retry: RetryPolicy | None = None,
        timeout_s: float = 10.0,
        page_size: int = 100,
        max_pages: int = 50,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.limiter: Limiter = limiter or LocalRateLimiter()
        self.rates = tuple(rates)
        self.limiter_key = limiter_key
        self.limiter_timeout_s = limiter_timeout_s
        self.retry = retry or RetryPolicy()
        self.page_size = page_size
        self.max_pages = max_pages
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=min(5.0, timeout_s)),
            headers={"User-Agent": f"draftroom/{__version__}", "Accept": "application/json"},
            transport=transport,
            follow_redirects=True,
        )

    async def __aenter__(self) -> JolpicaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    # --- transport -------------------------------------------------------------------

    async def fetch(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET ``{base_url}/{path}`` (one page) with rate limiting and retries; the JSON body."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        failures = 0
        while True:
            await self._take_token(url)
            problem: str
            wait: float | None = None
            status: int | None = None
            try:
                response = await self._http.get(url, params=params)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if status == 200:
                    return _json(response, url)
                problem = f"HTTP {status}"
                if status not in RETRY_STATUSES:
                    raise UpstreamError(
                        f"Jolpica answered {problem} for {url}",
                        details={"url": url, "status": status},
                    )
                if status == 429:
                    wait = retry_after_seconds(response.headers.get("Retry-After"))
            failures += 1
            if wait is not None and wait > self.retry.max_retry_after_s:
                raise UpstreamError(
                    f"Jolpica asks to retry {url} after {wait:.0f}s; giving up",
                    details={"url": url, "status": status, "retry_after": wait},
                )
            if failures >= self.retry.attempts:
                raise UpstreamError(
                    f"Jolpica request {url} failed {failures} times (last: {problem})",
                    details={"url": url, "status": status, "attempts": failures},
                )
            delay = self.retry.backoff(failures, self._rng)
            if wait is not None:
                delay = wait + self._rng.uniform(0, self.retry.base_delay_s / 4)
            log.warning("jolpica %s: %s; retry %d in %.2fs", url, problem, failures, delay)
            await self._sleep(delay)

    async def _take_token(self, url: str) -> None:
        try:
            await self.limiter.acquire(
                self.limiter_key, *self.rates, timeout_s=self.limiter_timeout_s
            )
        except RateLimited as exc:
            raise UpstreamError(
                f"client-side Jolpica rate limit exhausted for {exc.retry_after}s",
                details={"url": url, "retry_after": exc.retry_after},
            ) from exc

    async def fetch_all(self, path: str) -> list[dict[str, Any]]:
        """Every page of ``path`` (``limit``/``offset`` until ``total``)."""
        pages: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = await self.fetch(path, {"limit": self.page_size, "offset": offset})
            limit, got_offset, total = parsing.page_info(page)
            if got_offset != offset:
                raise MalformedPayload(
                    f"Jolpica payload: MRData.offset is {got_offset}, asked for {offset}",
                    details={"field": "MRData.offset"},
                )
            pages.append(page)
            offset += limit if limit > 0 else self.page_size
            if offset >= total or len(pages) >= self.max_pages:
                return pages

    # --- endpoints -------------------------------------------------------------------

    async def season_races(self, season: int) -> list[ScheduledRace]:
        """The season's schedule with session times."""
        return parsing.parse_races(await self.fetch_all(f"{season}/races.json"))

    async def season_drivers(self, season: int) -> list[DriverInfo]:
        """Drivers entered in the season."""
        return parsing.parse_drivers(await self.fetch_all(f"{season}/drivers.json"))

    async def season_constructors(self, season: int) -> list[ConstructorInfo]:
        """Constructors entered in the season."""
        return parsing.parse_constructors(await self.fetch_all(f"{season}/constructors.json"))

    async def driver_standings(self, season: int) -> DriverStandings | None:
        """The latest drivers' championship (None before the first race)."""
        pages = await self.fetch_all(f"{season}/driverstandings.json")
        return parsing.parse_driver_standings(pages)

    async def weekend_results(self, season: int, round_: int) -> WeekendResults | None:
        """Race, sprint and qualifying with the drivers and constructors they name.

        None while the race results are not yet published (sprint and qualifying are then
        not fetched).
        """
        results = await self.fetch_all(f"{season}/{round_}/results.json")
        if not parsing.parse_results(results, season, round_):
            return None
        sprint = await self.fetch_all(f"{season}/{round_}/sprint.json")
        qualifying = await self.fetch_all(f"{season}/{round_}/qualifying.json")
        return parsing.parse_weekend(season, round_, results, sprint, qualifying)

    async def weekend_classification(self, season: int, round_: int) -> Classification | None:
        """Race, sprint and qualifying classification; None while race results are unpublished."""
        weekend = await self.weekend_results(season, round_)
        return weekend.classification if weekend else None


def _json(response: httpx.Response, url: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise MalformedPayload(
            f"Jolpica sent a body that is not JSON for {url}", details={"url": url}
        ) from None
    if not isinstance(body, dict):
        raise MalformedPayload(
            f"Jolpica sent a JSON {type(body).__name__}, not an object, for {url}",
            details={"url": url},
        )
    return body
