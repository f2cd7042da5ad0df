"""The client's draft model (static/js/draft/model.js) run in Chromium: events are applied
in seq order whatever order they arrive in, gaps are reported, stale events ignored."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

SCRIPT = """
async () => {
  const { DraftModel, teamForPick } = await import('/js/draft/model.js');
  const snapshot = {
    id: 7, league_id: 1, race_id: 1, status: 'live', type: 'snake', pick_seconds: 30,
    picks_per_team: 2, order: [11, 12, 13],
    teams: [{id: 11, name: 'A'}, {id: 12, name: 'B'}, {id: 13, name: 'C'}],
    picks: [],
    current: {pick_no: 1, round: 1, team_id: 11, deadline: 10_000_000, remaining_ms: 30000},
    opens_at: null, locks_at: null, seq: 2, server_now: Date.now() + 5000,
  };
  const m = new DraftModel();
  m.setSnapshot(snapshot);
  const pick = (seq, pick_no, team_id, driver_id) =>
    ['draft:pick', {draft_id: 7, seq, pick_no, round: 1, team_id, driver_id, by: 'user'}];
  const out = {};
  out.gap = m.receive(...pick(5, 2, 12, 102));          // seq 3 and 4 missing
  out.seqAfterGap = m.state.seq;
  out.applied = m.receive(...pick(3, 1, 11, 101));      // 3 arrives: still waiting for 4
  out.stale = m.receive(...pick(3, 1, 11, 101));        // a duplicate
  const logged = {pick_no: 2, round: 1, team_id: 12, deadline: 5, server_now: 1};
  m.receiveLogged([{seq: 4, type: 'draft:turn', data: logged, at: 1}]);
  out.seq = m.state.seq;
  out.picks = m.state.picks.map(p => p.driver_id);
  out.gapLeft = m.hasGap();
  out.other = m.receive('draft:pick', {draft_id: 8, seq: 1});
  const next = {draft_id: 7, seq: 6, pick_no: 3, round: 1, team_id: 13, deadline: 9, server_now: 1};
  m.receive('draft:turn', next, {live: false});
  m.receive('draft:paused', {draft_id: 7, seq: 7, remaining_ms: 12000});
  out.paused = [m.state.status, m.remainingMs()];
  m.receive('draft:undo', {draft_id: 7, seq: 8, pick_no: 2});
  out.afterUndo = [m.state.picks.length, m.state.current.team_id, m.remainingMs()];
  out.offset = Math.round(m.offset / 1000);
  out.snake = [1, 2, 3, 4, 5, 6].map(p => teamForPick([11, 12, 13], p, 'snake'));
  out.linear = [4, 5, 6].map(p => teamForPick([11, 12, 13], p, 'linear'));
  return out;
}
"""


async def test_events_apply_in_seq_order(new_page: Any) -> None:
    page = await new_page()
    await page.goto("/#/login")
    out = await page.evaluate(SCRIPT)
    assert out["gap"] == "gap" and out["seqAfterGap"] == 2
    assert out["applied"] == "gap"  # 3 applied, 5 still waits for 4
    assert out["stale"] == "stale"
    assert out["seq"] == 5 and out["picks"] == [101, 102] and not out["gapLeft"]
    assert out["other"] == "other"
    assert out["paused"] == ["paused", 12000]
    assert out["afterUndo"] == [1, 12, 30000]  # pick 2 undone: its team back, full clock
    assert out["offset"] == 5  # server clock 5 s ahead
    assert out["snake"] == [11, 12, 13, 13, 12, 11]
    assert out["linear"] == [11, 12, 13]
