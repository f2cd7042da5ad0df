"""Wiring: no import-time side effects, registration by import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.processes import REPO_ROOT


def test_importing_the_broker_and_the_engine_has_no_side_effect(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items()
        if k not in ("DRAFTROOM_SECRET_KEY", "PICCOLO_CONF", "DRAFTROOM_ENV")
    }  # fmt: skip
    env["DRAFTROOM_DATA_DIR"] = str(tmp_path / "data")
    code = (
        "import os, draftroom.tasks.jobs, draftroom.db.engine, draftroom.asgi\n"
        "print(os.environ.get('PICCOLO_CONF'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"  # set by `migrate`, not by an import
    assert not (tmp_path / "data").exists()  # no secret key written by an import


def test_every_blueprint_of_the_api_is_mounted_by_routes() -> None:
    from quart import Blueprint

    from draftroom.http import routes

    http_dir = Path(routes.__file__).parent
    outside_api = {"health", "metrics", "dev_mailbox"}  # mounted at the root by app.py
    defined = {
        path.stem for path in http_dir.glob("*.py")
        if "\nblueprint = Blueprint(" in path.read_text() and path.stem not in outside_api
    }  # fmt: skip
    mounted = {bp.import_name.rsplit(".", 1)[-1] for bp in routes.API_BLUEPRINTS}
    assert all(isinstance(bp, Blueprint) for bp in routes.API_BLUEPRINTS)
    assert mounted == defined


def test_every_job_module_is_imported_by_jobs() -> None:
    from draftroom.tasks import jobs

    tasks_dir = Path(jobs.__file__).parent
    defined = {path.stem for path in tasks_dir.glob("*.py") if "@broker.task" in path.read_text()}
    assert {m.__name__.rsplit(".", 1)[-1] for m in jobs.JOB_MODULES} == defined
