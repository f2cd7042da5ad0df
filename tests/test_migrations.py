"""Migrations: they match the tables, apply to an empty database, and the check is clean."""

from __future__ import annotations

import subprocess
import sys
import uuid
from typing import Any

import asyncpg
import pytest

from tests.support.processes import REPO_ROOT


async def test_tables_need_no_new_migration() -> None:
    from piccolo.apps.migrations.commands.new import AutoMigrationManager

    from draftroom.db.piccolo_app import APP_CONFIG

    statements = await AutoMigrationManager(auto_input="y").get_alter_statements(APP_CONFIG)
    pending = [s for group in statements for s in group.statements]
    assert pending == [], "tables differ from migrations: run `make migrations`"


@pytest.fixture
async def empty_database_url(settings: Any) -> Any:
    name = f"migrate_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(settings.database_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base, _, query = settings.database_url.partition("?")
    yield f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")
    await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await admin.close()


def test_migrate_applies_to_an_empty_database_and_check_is_clean(
    empty_database_url: str, server_env: dict[str, str]
) -> None:
    env = dict(server_env, DATABASE_URL=empty_database_url, PICCOLO_CONF="piccolo_conf")
    for _ in range(2):  # a second run has nothing to do
        migrate = subprocess.run(
            [sys.executable, "-m", "draftroom.cli", "migrate"],
            env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr
    check = subprocess.run(
        [sys.executable, "-m", "piccolo.main", "migrations", "check"],
        env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    rows = [line for line in check.stdout.splitlines() if line.startswith("draftroom ")]
    assert rows and all(line.rstrip().endswith("True") for line in rows), check.stdout
