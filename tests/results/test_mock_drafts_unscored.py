"""A completed mock draft is not scored when results land: no team scores, no results
notification, nothing on the leaderboards or in standings; the real league beside it is."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from draftroom.services import polling
from tests.results import helpers

T0 = datetime(2024, 7, 28, 16, 0, tzinfo=UTC)


async def _complete_mock(rt: Any, user_id: int, race_id: int, drivers: list[int]) -> int:
    """A mock draft of ``race_id`` for ``user_id``, completed with ``drivers`` picked in
    order (written directly: the runner is not part of this test)."""
    from draftroom.db.engine import DB
    from draftroom.runner.supervisor import DraftSupervisor
    from draftroom.services.mock_drafts import create_mock_draft

    for sup in list(DraftSupervisor.instances):
        await sup.pause()
    try:
        mock = await create_mock_draft(
            rt, user_id, race_id=race_id, teams=2, pick_seconds=5, my_slot=1
        )
        order = (await DB.pool.fetchrow(
            'SELECT "order" FROM draft WHERE id = $1', mock["draft_id"]
        ))["order"]  # fmt: skip
        teams = helpers.json.loads(order)
        for n, driver in enumerate(drivers, start=1):
            team = teams[(n - 1) % 2] if n <= 2 else teams[1 - (n - 1) % 2]
            await DB.pool.execute(
                "INSERT INTO pick (draft, pick_no, round, team, driver, \"by\", made_at) "
                "VALUES ($1, $2, $3, $4, $5, 'user', now())",
                mock["draft_id"], n, (n - 1) // 2 + 1, team, driver,
            )  # fmt: skip
        await DB.pool.execute(
            "UPDATE draft SET status = 'complete', completed_at = now(), deadline_ms = NULL "
            "WHERE id = $1",
            mock["draft_id"],
        )
    finally:
        for sup in list(DraftSupervisor.instances):
            sup.resume()
    return int(mock["league_id"])


async def test_results_score_no_mock_draft(
    rt: Any, jolpica: Any, make_user: Any, api: httpx.AsyncClient
) -> None:
    season = await helpers.load_season(2024, rounds=[14])
    d, spa = season.drivers, season.races[14]
    alice, bob = await make_user("alice"), await make_user("bob")
    real, (a, b) = await helpers.make_league(2024, [alice.id, bob.id], is_private=False)
    await helpers.make_draft(real, spa, [(a, d["russell"]), (b, d["hamilton"])])
    mock_league = await _complete_mock(
        rt, alice.id, spa,
        [d["hamilton"], d["russell"], d["piastri"], d["norris"]],
    )  # fmt: skip
    jolpica.revision(2024, 14, "provisional")
    report = await polling.poll(rt, now=T0)
    assert [i["race_id"] for i in report["ingested"]] == [spa]
    scored = await helpers.fetch("SELECT DISTINCT league FROM team_race_score WHERE race = $1", spa)
    assert [r["league"] for r in scored] == [real]
    told = await helpers.notifications_of("results_available")
    assert told and {n["data"]["league_id"] for n in told} == {real}
    assert sorted(n["user"] for n in told) == sorted([alice.id, bob.id])
    for path in (f"/leaderboards/races/{spa}", "/leaderboards/season?season=2024"):
        rows = (await api.get(path, headers=alice.headers)).json()
        assert {r["league_id"] for r in rows} == {real}, rows
    standings = (await api.get(f"/leagues/{mock_league}/standings", headers=alice.headers)).json()
    assert all(row["points"] == 0 and row["races"] == 0 for row in standings), standings
