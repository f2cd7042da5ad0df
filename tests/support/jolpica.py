"""Jolpica clients for the local fake server: no client-side throttle, quick retries."""

from __future__ import annotations

from collections.abc import Callable

from draftroom.coordination.ratelimit import LocalRateLimiter, Rate
from draftroom.jolpica.client import JolpicaClient, RetryPolicy

FAST_RETRY = RetryPolicy(attempts=5, base_delay_s=0.01, max_delay_s=0.05, max_retry_after_s=2)


def fast_client_factory(
    base_url: str, retry: RetryPolicy = FAST_RETRY
) -> Callable[[], JolpicaClient]:
    """``() -> JolpicaClient`` on ``base_url`` with quick retries and a generous local limit
    (what a Runtime's ``jolpica_factory`` is)."""

    def factory() -> JolpicaClient:
        return JolpicaClient(
            base_url, limiter=LocalRateLimiter(), rates=(Rate(10_000, 1.0),), retry=retry
        )

    return factory
