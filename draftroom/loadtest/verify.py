"""Lost or doubled picks: the database's final drafts against what every socket saw.

The main process reads, per draft of the run, the stored seq, the seqs of its ``draft:pick``
events and its picks (:func:`read_database`, which also checks the log itself). Each worker
then (:func:`check_worker`) lets every socket fill its gaps with ``sync`` as a client
would, and counts what is still missing, what was acknowledged but not stored, and any
pick seen with another driver than the stored one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from draftroom.loadtest.room import Room
from draftroom.loadtest.tracking import count_bits, settler

SYNC_ROUNDS = 3


async def read_database(draft_ids: list[int]) -> dict[str, Any]:
    """Final seqs, pick-event seq bitmaps and picks of ``draft_ids``, plus log problems."""
    # keeps the load generator processes light: verify loads the database layer only when it reads
    from draftroom.db.queries import loadtest as queries

    return _summarise(*await queries.read_run(draft_ids))


def _summarise(
    seqs: dict[int, int],
    pick_seqs: dict[int, int],
    event_picks: dict[tuple[int, int], int],
    picks: dict[int, dict[int, int]],
    gaps: Any,
) -> dict[str, Any]:
    """What the rows say: totals, and picks and events that do not match."""
    stored = sum(len(p) for p in picks.values())
    unstored = sum(1 for d, n in event_picks if n not in picks.get(d, {}))
    return {
        "final_seq": seqs,
        "pick_seqs": pick_seqs,
        "picks": picks,
        "stored_picks": stored,
        "doubled_events": sum(n - 1 for n in event_picks.values() if n > 1),
        "picks_without_event": stored - (len(event_picks) - unstored),
        "pick_events_without_pick": unstored,
        "drafts_with_seq_gaps": int(gaps or 0),
        "non_contiguous_drafts": sum(
            1 for p in picks.values() if sorted(p) != list(range(1, len(p) + 1))
        ),
    }


async def database_probe() -> dict[str, Any]:
    """Transactions idle for over 5 s (a stuck pool shows here) and connections in use."""
    # keeps the load generator processes light: verify loads the database layer only when it reads
    from draftroom.db.queries import loadtest as queries

    stuck, busy = await queries.activity()
    return {"db_stuck_transactions": stuck, "db_busy_connections": busy}


async def check_worker(
    rooms: Sequence[Room],
    final_seq: dict[int, int],
    pick_seqs: dict[int, int],
    picks: dict[int, dict[int, int]],
    timeout: float = 15.0,
) -> dict[str, Any]:
    """Count, over this worker's sockets, picks missed, lost, unstored or seen wrong."""
    before = [(room, *m) for room in rooms for m in room.missing(final_seq)]
    loop = asyncio.get_running_loop()
    todo = before
    for _ in range(SYNC_ROUNDS):  # as a client would, retry a sync that failed
        waits: list[asyncio.Future[None]] = []
        for room, sock, draft_id, _ in todo:
            if sock.connected:
                done: asyncio.Future[None] = loop.create_future()
                room.sync(sock, draft_id, settler(done))
                waits.append(done)
        if waits:
            await asyncio.wait(waits, timeout=timeout)
        todo = [(room, *m) for room in rooms for m in room.missing(final_seq)]
        if not todo:
            break
        await asyncio.sleep(1.0)
    after = [m for room in rooms for m in room.missing(final_seq)]
    acked = [a for room in rooms for a in room.acked]
    seen = [(key, driver) for room in rooms for key, driver in room.pick_driver.items()]
    wrong = [(k, drv, picks.get(k[0], {}).get(k[1])) for k, drv in seen]
    wrong = [w for w in wrong if w[1] != w[2]]
    return {
        "seen_not_stored_examples": [
            {"draft_id": k[0], "pick_no": k[1], "seen_driver": seen_driver, "stored": stored}
            for k, seen_driver, stored in wrong[:5]
        ],
        "sockets": sum(len(room.socks) for room in rooms),
        "missed_events_live": sum(count_bits(m) for _, _, _, m in before),
        "missed_picks_live": sum(count_bits(m & pick_seqs.get(d, 0)) for _, _, d, m in before),
        "lost_pick_deliveries": sum(count_bits(m & pick_seqs.get(d, 0)) for _, d, m in after),
        "lost_event_deliveries": sum(count_bits(m) for _, _, m in after),
        "acked": len(acked),
        "acked_not_stored": sum(1 for d, p, drv in acked if picks.get(d, {}).get(p) != drv),
        "seen_not_stored": len(wrong),
        "mismatched_deliveries": sum(room.mismatches for room in rooms),
    }
