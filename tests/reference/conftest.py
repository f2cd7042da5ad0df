"""Fixtures for reference data tests: the packaged seasons loaded, the fake Jolpica."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.fixtures import jolpica, jolpica_server

__all__ = ["jolpica", "jolpica_server"]


@pytest.fixture
async def seeded(db: None) -> None:
    """The packaged 2025 and 2026 seasons, loaded into a clean database."""
    from draftroom.services.seed import season_files, seed_reference

    await seed_reference(season_files())


async def table_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the reference tables (and leagues/teams/accounts), for idempotency checks."""
    from draftroom.db.tables import Account, Constructor, Driver, DriverEntry, League, Race, Season
    from draftroom.db.tables import Team

    out: dict[str, list[dict[str, Any]]] = {}
    for table in (Season, Constructor, Driver, DriverEntry, Race, Account, League, Team):
        rows = await table.select().order_by(table._meta.primary_key)
        out[table._meta.tablename] = rows
    return out
