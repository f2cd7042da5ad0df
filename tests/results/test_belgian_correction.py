"""The 2024 Belgian GP end to end: provisional results with Russell first, then the final
classification with Russell disqualified (revision 2), scores, standings and notifications.

Expected weekend points (default scoring; Verstappen took pole in qualifying, started 11th):
provisional Russell P1 from P6 = 25 + 5 = 30, final DSQ = -10; Hamilton 18 + 1 = 19 -> 25 + 2
= 27; Piastri 15 + 2 = 17 -> 18 + 3 = 21; Norris 8 - 2 = 6 -> 10 - 1 = 9; Leclerc (from pole
position on the grid) 12 - 3 = 9 -> 15 - 2 = 13; Verstappen 10 + 6 + 1 = 17 -> 12 + 7 + 1 = 20;
Zhou retired: -5 both times.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from draftroom.services import polling, standings
from tests.results import helpers
from tests.results.helpers import counts, notifications_of, team_points

T0 = datetime(2024, 7, 28, 16, 0, tzinfo=UTC)


async def _setup(make_user: Any) -> dict[str, Any]:
    season = await helpers.load_season(2024, rounds=[13, 14])
    d, spa = season.drivers, season.races[14]
    users = {n: (await make_user(n)).id for n in ("alice", "bob", "carol", "dave", "erin")}
    league1, (a, b, c) = await helpers.make_league(
        2024, [users["alice"], users["bob"], users["carol"]], names=["Arrows", "Brabham", "Cooper"]
    )
    await helpers.make_draft(
        league1,
        spa,
        [(a, d["russell"]), (b, d["hamilton"]), (c, d["leclerc"]),
         (c, d["max_verstappen"]), (b, d["piastri"]), (a, d["norris"])],
        captains={a: d["norris"], c: d["max_verstappen"]},  # b: first pick (Hamilton)
    )  # fmt: skip
    league2, (dt, et) = await helpers.make_league(
        2024,
        [users["dave"], users["erin"]],
        settings={"captain_multiplier": 2.0, "picks_per_team": 1},
        is_private=False,
    )
    await helpers.make_draft(league2, spa, [(dt, d["zhou"]), (et, d["russell"])])
    return {
        "race": spa, "race13": season.races[13], "users": users,
        "league1": league1, "league2": league2,
        "teams": {"a": a, "b": b, "c": c, "d": dt, "e": et}, "drivers": d,
    }  # fmt: skip


async def test_provisional_then_disqualification_end_to_end(rt, jolpica, make_user) -> None:
    s = await _setup(make_user)
    race, t, u = s["race"], s["teams"], s["users"]
    jolpica.unpublish(2024, 13)
    jolpica.revision(2024, 14, "provisional")

    report = await polling.poll(rt, now=T0)
    assert report["considered"] == [s["race13"], race]
    assert [i["race_id"] for i in report["ingested"]] == [race]
    assert len(report["waiting"]) == 1  # round 13 not published
    rev1 = await helpers.fetch("SELECT * FROM result_revision WHERE race = $1", race)
    assert [r["revision"] for r in rev1] == [1]
    assert rev1[0]["reason"] == "First results" and rev1[0]["diff"] is None
    assert await helpers.value("SELECT status FROM race WHERE id = $1", race) == "provisional"
    checks = await helpers.fetch(
        "SELECT check_no, due_at FROM race_check WHERE race = $1 ORDER BY check_no", race
    )
    assert [(c["check_no"], c["due_at"] - T0) for c in checks] == [
        (1, timedelta(hours=24)), (2, timedelta(hours=48)), (3, timedelta(hours=72))
    ]  # fmt: skip

    driver_points = {
        r["ref"]: float(r["points"])
        for r in await helpers.fetch(
            "SELECT d.ref, s.points FROM driver_score s JOIN driver d ON d.id = s.driver "
            "JOIN result_revision r ON r.id = s.revision WHERE r.race = $1 AND r.revision = 1",
            race,
        )
    }
    assert len(driver_points) == 20
    assert {k: driver_points[k] for k in ("russell", "hamilton", "piastri", "norris")} == {
        "russell": 30.0, "hamilton": 19.0, "piastri": 17.0, "norris": 6.0
    }  # fmt: skip
    assert (driver_points["leclerc"], driver_points["max_verstappen"]) == (9.0, 17.0)
    # A: Russell 30 + Norris (captain) 6*1.5; B: Hamilton (first pick) 19*1.5 + 17;
    # C: Leclerc 9 + Verstappen (captain) 17*1.5; league 2 (x2): Zhou -5, Russell 30
    assert await team_points(race, 1) == {
        t["a"]: 39.0, t["b"]: 45.5, t["c"]: 34.5, t["d"]: -10.0, t["e"]: 60.0
    }  # fmt: skip
    table = (await standings.standings(rt, s["league1"])).value
    assert [(r["team_name"], r["rank"], r["points"], r["wins"]) for r in table] == [
        ("Brabham", 1, 45.5, 1), ("Arrows", 2, 39.0, 0), ("Cooper", 3, 34.5, 0)
    ]  # fmt: skip
    available = await notifications_of("results_available")
    assert sorted(n["user"] for n in available) == sorted(u.values())
    emitted = rt.notifier.emitted
    assert {room for ev, _, ns, room in emitted if ev == "notification"} == {
        f"user:{uid}" for uid in u.values()
    }
    pushed = [(ns, data) for ev, data, ns, _ in emitted if ev == "standings"]
    assert sorted(ns for ns, _ in pushed) == sorted(
        [f"/league/{s['league1']}", f"/league/{s['league2']}"]
    )
    assert next(d for ns, d in pushed if ns == f"/league/{s['league1']}")["standings"] == table

    # +25 h: check 1 finds the final classification (Russell disqualified)
    jolpica.revision(2024, 14, "final")
    emitted.clear()
    [check1] = await polling.run_due_checks(rt, now=T0 + timedelta(hours=25))
    assert (check1["check_no"], check1["outcome"], check1["revision"]) == (1, "changed", 2)
    rev2 = (await helpers.fetch(
        "SELECT * FROM result_revision WHERE race = $1 AND revision = 2", race
    ))[0]  # fmt: skip
    assert rev2["reason"].startswith("George Russell disqualified; Lewis Hamilton P2 → P1")
    diff = json.loads(rev2["diff"])
    assert [c["driver_ref"] for c in diff["disqualified"]] == ["russell"]
    assert diff["changed"] is True
    assert await team_points(race, 2) == {
        t["a"]: 3.5, t["b"]: 61.5, t["c"]: 43.0, t["d"]: -10.0, t["e"]: -20.0
    }  # fmt: skip
    assert await team_points(race, 1) == {  # revision 1 is kept as it was
        t["a"]: 39.0, t["b"]: 45.5, t["c"]: 34.5, t["d"]: -10.0, t["e"]: 60.0
    }  # fmt: skip
    corrected = await notifications_of("results_corrected")
    assert sorted(n["user"] for n in corrected) == sorted(
        [u["alice"], u["bob"], u["carol"], u["erin"]]
    )  # Dave's Zhou scored -5 both times: no notification
    alice = next(n for n in corrected if n["user"] == u["alice"])
    league_name = await helpers.value("SELECT name FROM league WHERE id = $1", s["league1"])
    assert alice["data"] == {
        "race_id": race, "league_id": s["league1"], "team_id": t["a"], "old_points": 39.0,
        "new_points": 3.5, "reason": rev2["reason"], "revision": 2, "league_name": league_name,
    }  # fmt: skip
    assert alice["title"].endswith(f" · {league_name}")
    assert {room for ev, _, _, room in emitted if ev == "notification"} == {
        f"user:{u[n]}" for n in ("alice", "bob", "carol", "erin")
    }
    table = (await standings.standings(rt, s["league1"])).value
    assert [(r["team_name"], r["points"], r["last_race_points"]) for r in table] == [
        ("Brabham", 61.5, 61.5), ("Cooper", 43.0, 43.0), ("Arrows", 3.5, 3.5)
    ]  # fmt: skip
    assert await helpers.value("SELECT status FROM race WHERE id = $1", race) == "provisional"

    # checks 2 and 3 find nothing new: nothing written, nobody notified; the race is final
    before = await counts(race)
    emitted.clear()
    outcomes = [
        (await polling.run_due_checks(rt, now=T0 + timedelta(hours=h)))[0]["outcome"]
        for h in (49, 73)
    ]
    assert outcomes == ["unchanged", "unchanged"]
    assert await counts(race) == before
    assert emitted == []
    assert await helpers.value("SELECT status FROM race WHERE id = $1", race) == "final"
    assert await polling.run_due_checks(rt, now=T0 + timedelta(days=30)) == []

    # an admin check of the final race: unchanged, then an appeal restores Russell's win
    assert (await polling.check_race(rt, race))["changed"] is False
    jolpica.revision(2024, 14, "provisional")
    outcome = await polling.check_race(rt, race)
    assert (outcome["changed"], outcome["revision"], outcome["status"]) == (True, 3, "final")
    assert "George Russell reinstated" in outcome["reason"]
    assert await team_points(race, 3) == await team_points(race, 1)
    assert await helpers.value("SELECT count(*) FROM race_check WHERE race = $1", race) == 3


async def test_rerunning_a_done_check_does_nothing(rt, jolpica, make_user) -> None:
    s = await _setup(make_user)
    jolpica.unpublish(2024, 13)
    jolpica.revision(2024, 14, "provisional")
    await polling.poll(rt, now=T0)
    jolpica.revision(2024, 14, "final")
    [first] = await polling.run_due_checks(rt, now=T0 + timedelta(hours=25))
    before = await counts(s["race"])
    again = await polling.run_check(rt, first["check_id"], now=T0 + timedelta(hours=26))
    assert again["outcome"] == "skipped"
    assert await counts(s["race"]) == before
