"""Helpers for reference data tests."""

from __future__ import annotations

from typing import Any


async def table_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the reference tables (and leagues/teams/accounts), for idempotency checks."""
    from draftroom.db.tables import (
        Account,
        Constructor,
        Driver,
        DriverEntry,
        League,
        Race,
        Season,
        Team,
    )

    out: dict[str, list[dict[str, Any]]] = {}
    for table in (Season, Constructor, Driver, DriverEntry, Race, Account, League, Team):
        rows = await table.select().order_by(table._meta.primary_key)
        out[table._meta.tablename] = rows
    return out
