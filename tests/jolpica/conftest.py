"""Fixtures of the Jolpica tests: the shared test Redis's URL (fake Jolpica fixtures come
from tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def redis_url(settings: Any) -> str:
    """The test session's real Redis."""
    url: str = settings.redis_url
    return url
