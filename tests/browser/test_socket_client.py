"""The Socket.IO client's pure parts run in Chromium: the wait before retrying a refused
connect (static/js/sockets.js) and the draft room's catch-up (static/js/draft/catchup.js):
an out-of-order event is held, a gap is mended by one sync, a reconnect by the snapshot."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

RETRY_SCRIPT = """
async () => {
  const { refusal, retryDelay } = await import('/js/sockets.js');
  const error = (data) => Object.assign(new Error(data.message), { data });
  const nested = refusal(
    error({code: 'overloaded', message: 'Busy', details: {retry_after_ms: 2500}}));
  const flat = refusal(error({code: 'rate_limited', message: 'Slow', retry_after_ms: 1200}));
  const text = refusal(
    new Error("{'code': 'overloaded', 'message': 'Busy', 'retry_after_ms': 700}"));
  const at = (r) => () => r;
  return {
    nested, flat, text,
    nestedWaits: [0, 0.5, 0.999].map((r) => retryDelay(nested, 1, at(r))),
    flatWaits: [0, 0.999].map((r) => retryDelay(flat, 6, at(r))),
    backoff: [1, 2, 3, 4, 9].map((n) => [retryDelay({}, n, at(0)), retryDelay({}, n, at(0.999))]),
  };
}
"""


async def test_refused_connect_waits_retry_after_plus_jitter(new_page: Any) -> None:
    page = await new_page()
    await page.goto("/#/login")
    out = await page.evaluate(RETRY_SCRIPT)
    assert out["nested"] == {"code": "overloaded", "message": "Busy", "retryAfterMs": 2500}
    assert out["flat"]["retryAfterMs"] == 1200 and out["flat"]["code"] == "rate_limited"
    assert out["text"] == {"code": "overloaded", "message": "Busy", "retryAfterMs": 700}
    assert out["nestedWaits"] == [2500, 3125, 3749]  # never sooner, at most half again later
    assert out["flatWaits"] == [1200, 1799]  # retry_after_ms wins over the attempt's backoff
    # without retry_after_ms: 1 s doubling, capped at 10 s, each within ±50 %
    assert out["backoff"] == [[500, 1499], [1000, 2998], [2000, 5996], [4000, 10000], [5000, 10000]]


CATCH_UP_SCRIPT = """
async () => {
  const { DraftModel } = await import('/js/draft/model.js');
  const { CatchUp } = await import('/js/draft/catchup.js');
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const snapshot = {
    id: 7, league_id: 1, race_id: 1, status: 'paused', type: 'snake', pick_seconds: 30,
    picks_per_team: 2, order: [11, 12], teams: [{id: 11}, {id: 12}], picks: [],
    current: null, opens_at: null, locks_at: null, seq: 2, server_now: Date.now(),
  };
  const log = (seq) =>
    ({seq, type: seq % 2 ? 'draft:resumed' : 'draft:paused', data: {remaining_ms: 1}});
  const model = new DraftModel();
  model.setSnapshot(snapshot);
  let syncs = 0;
  const catchUp = new CatchUp({
    hasGap: () => model.hasGap(),
    sync: async () => {  // the server's answer: every event after our seq (up to 20)
      syncs += 1;
      await sleep(20);
      const after = model.state.seq;
      model.receiveLogged(Array.from({length: 20 - after}, (_, i) => log(after + 1 + i)));
    },
    holdMs: 150,
    stateWaitMs: 400,
  });
  const feed = (seq) => {
    const {type, data} = log(seq);
    if (model.receive(type, {...data, draft_id: 7, seq}) === 'gap') catchUp.gap();
  };
  const out = {};
  feed(4); await sleep(50); feed(3); await sleep(300);  // 4 before 3: held, then in order
  out.reordered = [model.state.seq, syncs];
  feed(6); feed(7); await sleep(50); feed(8);  // 5 never comes: one sync for the gap
  out.held = syncs;
  await sleep(300);
  out.gap = [model.state.seq, syncs];
  catchUp.disconnected(); catchUp.connected();  // a reconnect: 21 and 22 missed while away
  feed(23); await sleep(200);  // an event ahead of draft:state waits for the snapshot
  out.awaiting = syncs;
  model.setSnapshot({...snapshot, seq: 22}); catchUp.snapshot(true);
  await sleep(500);
  out.reconnect = [model.state.seq, syncs];
  catchUp.disconnected(); catchUp.connected(); await sleep(600);  // no draft:state: one sync
  out.noState = syncs;
  catchUp.disconnected(); catchUp.connected(); catchUp.snapshot(false); await sleep(50);
  out.otherDraft = syncs;  // the state of another draft: ours is synced
  catchUp.stop();
  return out;
}
"""


async def test_catch_up_holds_gaps_and_syncs_once(new_page: Any) -> None:
    page = await new_page()
    await page.goto("/#/login")
    out = await page.evaluate(CATCH_UP_SCRIPT)
    assert out["reordered"] == [4, 0]  # no sync for an event that was only late
    assert out["held"] == 0
    assert out["gap"] == [20, 1]  # one sync, although three events arrived past the gap
    assert out["awaiting"] == 1
    assert out["reconnect"] == [23, 1]  # the snapshot was the catch-up
    assert out["noState"] == 2
    assert out["otherDraft"] == 3
