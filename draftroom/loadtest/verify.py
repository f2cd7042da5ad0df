"""Lost or doubled picks: the database's final drafts against what every socket saw.

The main process reads, per draft of the run, the stored seq, the seqs of its ``draft:pick``
events and its picks (:func:`read_database`, which also checks the log itself). Each worker
then (:func:`check_worker`) lets every socket fill its gaps with ``sync`` as a client
would, and counts what is still missing, what was acknowledged but not stored, and any
pick seen with another driver than the stored one.
"""

from __future__ import annotations

import asyncio
from typing import Any

from draftroom.loadtest.room import Room
from draftroom.loadtest.tracking import count_bits


async def read_database(draft_ids: list[int]) -> dict[str, Any]:
    """Final seqs, pick-event seq bitmaps and picks of ``draft_ids``, plus log problems."""
    from draftroom.db import engine

    pool = engine.pool()
    seqs = {
        int(r["id"]): int(r["seq"])
        for r in await pool.fetch("SELECT id, seq FROM draft WHERE id = ANY($1)", draft_ids)
    }
    pick_seqs: dict[int, int] = {}
    event_picks: dict[tuple[int, int], int] = {}
    rows = await pool.fetch(
        "SELECT draft, seq, (payload->>'pick_no')::int AS pick_no FROM draft_event "
        "WHERE draft = ANY($1) AND type = 'draft:pick'",
        draft_ids,
    )
    for r in rows:
        pick_seqs[r["draft"]] = pick_seqs.get(r["draft"], 0) | (1 << r["seq"])
        key = (r["draft"], r["pick_no"])
        event_picks[key] = event_picks.get(key, 0) + 1
    picks: dict[int, dict[int, int]] = {}
    for r in await pool.fetch(
        "SELECT draft, pick_no, driver FROM pick WHERE draft = ANY($1)", draft_ids
    ):
        picks.setdefault(int(r["draft"]), {})[int(r["pick_no"])] = int(r["driver"])
    gaps = await pool.fetchval(
        "SELECT count(*) FROM (SELECT draft, count(*) AS n, max(seq) AS top FROM draft_event "
        "WHERE draft = ANY($1) GROUP BY draft) t WHERE n <> top",
        draft_ids,
    )
    stored = sum(len(p) for p in picks.values())
    return {
        "final_seq": seqs,
        "pick_seqs": pick_seqs,
        "picks": picks,
        "stored_picks": stored,
        "doubled_events": sum(n - 1 for n in event_picks.values() if n > 1),
        "picks_without_event": stored - len(event_picks),
        "drafts_with_seq_gaps": int(gaps or 0),
        "non_contiguous_drafts": sum(1 for p in picks.values() if sorted(p) != list(range(1, len(p) + 1))),
    }


async def check_worker(
    rooms: list[Room],
    final_seq: dict[int, int],
    pick_seqs: dict[int, int],
    picks: dict[int, dict[int, int]],
    timeout: float = 15.0,
) -> dict[str, Any]:
    """Count, over this worker's sockets, picks missed, lost, unstored or seen wrong."""
    before = [(room, *m) for room in rooms for m in room.missing(final_seq)]
    loop = asyncio.get_running_loop()
    waits: list[asyncio.Future[None]] = []
    for room, sock, draft_id, _ in before:
        if sock.connected:
            done: asyncio.Future[None] = loop.create_future()
            room.sync(sock, draft_id, lambda f=done: f.done() or f.set_result(None))  # type: ignore[misc]
            waits.append(done)
    if waits:
        await asyncio.wait(waits, timeout=timeout)
    after = [m for room in rooms for m in room.missing(final_seq)]
    acked = [a for room in rooms for a in room.acked]
    seen = [(key, driver) for room in rooms for key, driver in room.pick_driver.items()]
    return {
        "sockets": sum(len(room.socks) for room in rooms),
        "missed_events_live": sum(count_bits(m) for _, _, _, m in before),
        "missed_picks_live": sum(count_bits(m & pick_seqs.get(d, 0)) for _, _, d, m in before),
        "lost_pick_deliveries": sum(count_bits(m & pick_seqs.get(d, 0)) for _, d, m in after),
        "lost_event_deliveries": sum(count_bits(m) for _, _, m in after),
        "acked": len(acked),
        "acked_not_stored": sum(1 for d, p, drv in acked if picks.get(d, {}).get(p) != drv),
        "seen_not_stored": sum(1 for (d, p), drv in seen if picks.get(d, {}).get(p) != drv),
        "mismatched_deliveries": sum(room.mismatches for room in rooms),
    }
