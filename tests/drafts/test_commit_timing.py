"""Draft commit timing: draftroom_draft_commit_seconds and the slow-commit warning."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from prometheus_client import REGISTRY

PHASES = {"acquire_ms", "load_ms", "advance_ms", "persist_ms", "publish_ms"}


def commits(outcome: str) -> float:
    """Observations so far of draftroom_draft_commit_seconds for ``outcome``."""
    value = REGISTRY.get_sample_value("draftroom_draft_commit_seconds_count", {"outcome": outcome})
    return value or 0.0


async def scheduled_draft(runtime: Any, world: Any) -> tuple[Any, int]:
    from draftroom.services.drafts.creation import create_draft

    w = await world(teams=2)
    return w, await create_draft(runtime, w.league_id, w.race_id)


async def test_a_commit_is_recorded_and_a_slow_one_logged_with_its_phases(
    runtime: Any,
    world: Any,
    no_local_supervisor: None,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from draftroom.services.drafts import commands, commit

    w, draft_id = await scheduled_draft(runtime, world)
    monkeypatch.setattr(commit, "SLOW_COMMIT_S", 0.0)
    before = commits("written")
    with caplog.at_level(logging.WARNING, logger=commit.__name__):
        await commands.start_draft(runtime, draft_id, w.commissioner.id)
    assert commits("written") == before + 1
    [record] = [r for r in caplog.records if r.getMessage() == "slow draft commit"]
    fields = record.__dict__
    assert fields["draft_id"] == draft_id and fields["outcome"] == "written"
    assert set(fields) >= PHASES
    phases_ms = sum(v for k, v in fields.items() if k.endswith("_ms") and k != "total_ms")
    assert phases_ms == pytest.approx(fields["total_ms"], abs=0.5)


async def test_noop_and_failed_commits_are_recorded_apart(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.errors import Conflict
    from draftroom.services.drafts import commit

    _, draft_id = await scheduled_draft(runtime, world)
    written, noop, failed = commits("written"), commits("noop"), commits("failed")
    result = await commit.run_due(runtime, draft_id)
    assert result.transition.state == result.before.state

    def refuse(loaded: Any, now: int) -> Any:
        raise Conflict("refused")

    with pytest.raises(Conflict, match="refused"):
        await commit.commit(runtime, draft_id, refuse)
    assert commits("noop") == noop + 1 and commits("failed") == failed + 1
    assert commits("written") == written


async def test_a_fast_commit_is_not_logged(
    runtime: Any, world: Any, no_local_supervisor: None, caplog: pytest.LogCaptureFixture
) -> None:
    from draftroom.services.drafts import commit

    _, draft_id = await scheduled_draft(runtime, world)
    with caplog.at_level(logging.WARNING, logger=commit.__name__):
        await commit.run_due(runtime, draft_id)
    assert not [r for r in caplog.records if r.getMessage() == "slow draft commit"]
