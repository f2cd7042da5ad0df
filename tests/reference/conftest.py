"""Fixtures for reference data tests: the packaged seasons loaded, the fake Jolpica."""

from __future__ import annotations

import pytest

from tests.fakes.fixtures import jolpica, jolpica_server

__all__ = ["jolpica", "jolpica_server"]


@pytest.fixture
async def seeded(db: None) -> None:
    """The packaged 2025 and 2026 seasons, loaded into a clean database."""
    from draftroom.services.seed import season_files, seed_reference

    await seed_reference(season_files())
