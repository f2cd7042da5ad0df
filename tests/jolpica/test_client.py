"""The Jolpica client against the fake Jolpica server over real HTTP."""

from __future__ import annotations

import asyncio
import random
import socket
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from draftroom.coordination.ratelimit import Rate, RateLimiter
from draftroom.errors import MalformedPayload, UpstreamError
from draftroom.jolpica.client import JolpicaClient, RetryPolicy, retry_after_seconds
from tests.fakes.fixtures import FakeJolpicaControl

FAST = RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.05)
UNLIMITED = (Rate(10_000, 1.0),)


def client(base_url: str, **kwargs: Any) -> JolpicaClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("rates", UNLIMITED)
    return JolpicaClient(base_url, **kwargs)


def api_queries(fake: FakeJolpicaControl) -> list[tuple[str, dict[str, str]]]:
    return [(r["path"].removeprefix("/ergast/f1/"), r["query"]) for r in fake.requests()]


async def test_pages_through_limit_and_offset_until_total(jolpica: FakeJolpicaControl) -> None:
    async with client(jolpica.base_url, page_size=7) as api:
        drivers = await api.season_drivers(2024)
        weekend = await api.weekend_classification(2024, 14)
    assert len(drivers) == 24 and len({d.ref for d in drivers}) == 24
    assert weekend is not None and len(weekend.race) == 20 and len(weekend.qualifying) == 20
    queries = api_queries(jolpica)
    assert [q["offset"] for p, q in queries if p == "2024/drivers.json"] == ["0", "7", "14", "21"]
    assert [q["offset"] for p, q in queries if p == "2024/14/results.json"] == ["0", "7", "14"]
    assert all(q["limit"] == "7" for _, q in queries)


async def test_season_endpoints(jolpica: FakeJolpicaControl) -> None:
    async with client(jolpica.base_url) as api:
        races = await api.season_races(2026)
        teams = await api.season_constructors(2026)
        standings = await api.driver_standings(2026)
    assert len(races) == 23 and races[0].starts_at == datetime(2026, 3, 8, 4, tzinfo=UTC)
    assert len(teams) == 11
    assert standings is not None and standings.round == 11
    assert (standings.rows[0].driver.ref, standings.rows[0].points) == ("antonelli", 219.0)
    assert all(q["limit"] == "100" for _, q in api_queries(jolpica))


async def test_retries_500_with_growing_backoff_then_succeeds(jolpica: FakeJolpicaControl) -> None:
    jolpica.fail(2, 500)
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    async with client(jolpica.base_url, sleep=sleep, rng=random.Random(1)) as api:
        drivers = await api.season_drivers(2025)
    assert len(drivers) == 21
    assert len(api_queries(jolpica)) == 3
    assert 0.005 <= delays[0] <= 0.01 and 0.01 <= delays[1] <= 0.02


async def test_429_retry_after_is_honoured(jolpica: FakeJolpicaControl) -> None:
    jolpica.fail(1, 429, retry_after=1)
    started = time.monotonic()
    async with client(jolpica.base_url) as api:
        teams = await api.season_constructors(2024)
    assert len(teams) == 10
    assert time.monotonic() - started >= 1.0
    first, second = jolpica.requests()
    assert second["at"] - first["at"] >= 0.95


async def test_gives_up_with_upstream_error_after_max_attempts(
    jolpica: FakeJolpicaControl,
) -> None:
    jolpica.fail(10, 503)
    async with client(jolpica.base_url) as api:
        with pytest.raises(UpstreamError) as caught:
            await api.season_races(2024)
    assert caught.value.details["attempts"] == FAST.attempts
    assert caught.value.details["status"] == 503
    assert len(jolpica.requests()) == FAST.attempts


async def test_a_retry_after_beyond_the_cap_fails_at_once(jolpica: FakeJolpicaControl) -> None:
    jolpica.fail(1, 429, retry_after=3600)
    async with client(jolpica.base_url) as api:
        with pytest.raises(UpstreamError) as caught:
            await api.season_races(2024)
    assert caught.value.details["retry_after"] == 3600
    assert len(jolpica.requests()) == 1


async def test_a_timeout_is_retried(jolpica: FakeJolpicaControl) -> None:
    jolpica.fail(1, delay_s=1.0)
    async with client(jolpica.base_url, timeout_s=0.3) as api:
        assert len(await api.season_constructors(2026)) == 11
    assert len(jolpica.requests()) == 2


async def test_not_found_is_not_retried(jolpica: FakeJolpicaControl) -> None:
    async with client(jolpica.base_url) as api:
        with pytest.raises(UpstreamError) as caught:
            await api.fetch("nonsense.json")
    assert caught.value.details["status"] == 404 and len(jolpica.requests()) == 1


async def test_connection_refused_ends_in_upstream_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with client(f"http://127.0.0.1:{port}/ergast/f1") as api:
        with pytest.raises(UpstreamError, match="ConnectError"):
            await api.season_races(2024)


async def test_a_body_that_is_not_json_is_malformed() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text="<html>"))
    async with client("http://jolpica.test/ergast/f1", transport=transport) as api:
        with pytest.raises(MalformedPayload):
            await api.season_races(2024)


async def test_results_not_yet_published_give_none(jolpica: FakeJolpicaControl) -> None:
    jolpica.unpublish(2024, 14)
    async with client(jolpica.base_url) as api:
        assert await api.weekend_classification(2024, 14) is None
        assert await api.weekend_classification(2026, 12) is None  # no results at all yet
        jolpica.publish(2024, 14)
        published = await api.weekend_classification(2024, 14)
    assert published is not None and published.has_results
    assert [p for p, _ in api_queries(jolpica)][:2] == [
        "2024/14/results.json",
        "2026/12/results.json",
    ]


async def test_provisional_then_final_revision(jolpica: FakeJolpicaControl) -> None:
    jolpica.revision(2024, 14, "provisional")
    async with client(jolpica.base_url) as api:
        provisional = await api.weekend_classification(2024, 14)
        jolpica.revision(2024, 14, "final")
        final = await api.weekend_classification(2024, 14)
    assert provisional is not None and final is not None
    assert (provisional.race[0].driver_ref, provisional.race[0].points) == ("russell", 25.0)
    russell = next(r for r in final.race if r.driver_ref == "russell")
    assert (final.race[0].driver_ref, russell.position_text) == ("hamilton", "D")
    assert provisional != final and provisional.qualifying == final.qualifying


async def test_two_clients_share_one_rate_limit_through_redis(
    jolpica: FakeJolpicaControl, redis_url: str
) -> None:
    redises = [aioredis.Redis.from_url(redis_url) for _ in range(2)]
    key = f"jolpica-test:{uuid.uuid4().hex}"
    apis = [
        client(jolpica.base_url, limiter=RateLimiter(r), limiter_key=key, rates=(Rate(4, 1.0),))
        for r in redises
    ]
    try:
        started = time.monotonic()
        await asyncio.gather(*(api.fetch("2024/constructors.json") for api in apis * 5))
        elapsed = time.monotonic() - started
    finally:
        for api in apis:
            await api.aclose()
        for r in redises:
            await r.aclose()
    stamps = sorted(r["at"] for r in jolpica.requests())
    assert len(stamps) == 10 and elapsed >= 2.0  # 10 requests at 4/s: three bursts
    for i in range(len(stamps) - 4):
        assert stamps[i + 4] - stamps[i] >= 0.9  # never 5 within one second


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("-2", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("Wed, 01 Jan 2025 00:00:30 GMT", 30.0),
    ],
)
def test_retry_after_header_parsing(header: str | None, expected: float | None) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(header, now) == expected


@pytest.mark.parametrize(
    ("failures", "low", "high"), [(1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (10, 15.0, 30.0)]
)
def test_backoff_is_exponential_with_jitter_and_capped(
    failures: int, low: float, high: float
) -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=30.0)
    rng = random.Random(7)
    assert all(low <= policy.backoff(failures, rng) <= high for _ in range(50))


async def test_weekend_results_name_every_driver_and_constructor(
    jolpica: FakeJolpicaControl,
) -> None:
    async with client(jolpica.base_url) as api:
        weekend = await api.weekend_results(2024, 2)
    assert weekend is not None
    drivers = {d.ref: d for d in weekend.drivers}
    assert drivers["bearman"].full_name == "Oliver Bearman"  # Ferrari stand-in that weekend
    assert {c.ref for c in weekend.constructors} >= {"ferrari", "rb", "sauber"}
    assert len(weekend.constructors) == 10
    assert {r.driver_ref for r in weekend.classification.race} <= set(drivers)
