"""The draft bots against an in-process fake of the bare server: pacing and draft turnover."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from draftroom.loadtest.bots import DraftRoom
from draftroom.loadtest.spec import DraftSpec, LeagueSpec, TeamSpec
from draftroom.loadtest.tracking import SockState, Stats


class FakeSock:
    """Answers like the bare server: every emit is acked and broadcast to the room."""

    def __init__(self, room: DraftRoom, sent: list[tuple[float, str, dict[str, Any]]]) -> None:
        self.room = room
        self.sent = sent
        self.connected = True
        self.tag = SockState(0)
        self.tag.opened = 1

    def emit(self, event: str, data: dict[str, Any], on_ack: Any = None) -> bool:
        self.sent.append((time.monotonic(), event, data))
        loop = asyncio.get_running_loop()
        base = {"draft_id": data["draft_id"], "at": 0}
        out: list[tuple[str, dict[str, Any]]] = []
        if event == "draft:start":
            out = [("draft:started", {**base, "seq": 1})]
            out.append(
                ("draft:turn", {**base, "seq": 2, "pick_no": 1, "team_id": data["next_team_id"]})
            )
        elif event == "pick":
            seq, pick_no = data["seq"], data["pick_no"]
            pick = {
                **base,
                "seq": seq,
                "pick_no": pick_no,
                "driver_id": data["driver_id"],
                "by": "user",
            }
            out = [("draft:pick", pick)]
            nxt = data["next_team_id"]
            turn = {**base, "seq": seq + 1, "pick_no": pick_no + 1, "team_id": nxt}
            out.append(
                ("draft:turn", turn) if nxt else ("draft:complete", {**base, "seq": seq + 1})
            )
        if on_ack is not None:
            loop.call_soon(on_ack, {"ok": True}, time.monotonic())
        for name, payload in out:
            for sock in self.room.socks:
                loop.call_soon(self.room.on_event, sock, name, payload, time.monotonic())
        return True


def make_room(drafts: int = 2) -> tuple[DraftRoom, list[tuple[float, str, dict[str, Any]]]]:
    teams = tuple(TeamSpec(100 + i, 200 + i, f"t{i}") for i in range(3))
    specs = tuple(DraftSpec(10 + d, (100, 101, 102), 2) for d in range(drafts))
    spec = LeagueSpec(1, teams, specs, tuple(range(1, 23)), ("s",))
    room = DraftRoom(spec, Stats(), bare=True)
    sent: list[tuple[float, str, dict[str, Any]]] = []
    for team in teams:
        sock = FakeSock(room, sent)
        room.socks.append(sock)  # type: ignore[arg-type]
        room.team_socks[team.team_id] = sock  # type: ignore[assignment]
        room.on_open(sock)  # type: ignore[arg-type]
    return room, sent


async def test_bots_draft_every_prepared_draft_with_distinct_drivers() -> None:
    room, sent = make_room(drafts=2)
    room.start(0.0)
    await asyncio.sleep(0.2)
    picks = [d for _, e, d in sent if e == "pick"]
    assert [d["draft_id"] for _, e, d in sent if e == "draft:start"][:2] == [10, 11]
    for draft_id in (10, 11):
        mine = [p for p in picks if p["draft_id"] == draft_id]
        assert [p["pick_no"] for p in mine] == [1, 2, 3, 4, 5, 6]
        assert [p["team_id"] for p in mine] == [100, 101, 102, 102, 101, 100]  # snake
        assert len({p["driver_id"] for p in mine}) == 6
    assert room.stats.picks >= 12
    assert len(room.stats.pick_ms) >= 12  # every pick reached every socket of the room


async def test_pace_follows_the_latest_rate() -> None:
    room, sent = make_room(drafts=50)
    room.start(0.02)
    await asyncio.sleep(0.4)
    room.start(0.1)  # slower
    began = time.monotonic()
    await asyncio.sleep(0.5)
    late = [t for t, e, _ in sent if e == "pick" and t > began + 0.1]
    assert 2 <= len(late) <= 5
