"""Failures: upstream errors and throttling, crashes inside the write transaction,
concurrent checks, and malformed payloads. Nothing is lost and nothing is half-written."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from draftroom.services import polling, scoring
from tests.fakes.jolpica import FakeJolpica
from tests.fakes.server import serve_in_thread
from tests.results import helpers
from tests.results.helpers import counts, team_points
from tests.support.jolpica import fast_client_factory

T0 = datetime(2024, 7, 28, 16, 0, tzinfo=UTC)


async def _spa(make_user: Any) -> dict[str, Any]:
    season = await helpers.load_season(2024, rounds=[14])
    d, race = season.drivers, season.races[14]
    users = [(await make_user(n)).id for n in ("alice", "bob")]
    league, (a, b) = await helpers.make_league(2024, users)
    await helpers.make_draft(
        league, race, [(a, d["russell"]), (b, d["hamilton"]), (b, d["zhou"]), (a, d["norris"])]
    )
    return {"race": race, "league": league, "a": a, "b": b, "drivers": d}


async def _provisional(rt: Any, jolpica: Any, race: int) -> None:
    jolpica.revision(2024, 14, "provisional")
    await polling.poll(rt, now=T0)
    assert (await counts(race))["revisions"] == 1
    jolpica.revision(2024, 14, "final")


async def test_500s_and_429s_before_success_are_retried(rt, jolpica, make_user) -> None:
    s = await _spa(make_user)
    jolpica.fail(2, 500)
    jolpica.fail(2, 429, retry_after=0.05)
    report = await polling.poll(rt, now=T0)
    assert [i["race_id"] for i in report["ingested"]] == [s["race"]]
    paths = [r["path"] for r in jolpica.requests()]
    assert paths.count("/ergast/f1/2024/14/results.json") == 5  # 4 failures, then success
    assert jolpica.state()["pending_failures"] == 0


async def test_exhausted_check_stays_due_and_runs_later(rt, jolpica, make_user) -> None:
    s = await _spa(make_user)
    await _provisional(rt, jolpica, s["race"])
    jolpica.fail(5, 503)  # every attempt of the first run
    when = T0 + timedelta(hours=24, minutes=1)
    [failed] = await polling.run_due_checks(rt, now=when)
    assert failed["outcome"] == "failed" and failed["attempts"] == 1
    check = (await helpers.fetch("SELECT * FROM race_check WHERE check_no = 1"))[0]
    assert check["done_at"] is None and check["attempts"] == 1
    assert check["due_at"] == when + polling.retry_delay(1)
    assert "HTTP 503" in check["last_error"]
    assert (await counts(s["race"]))["revisions"] == 1
    assert await polling.run_due_checks(rt, now=when + timedelta(minutes=1)) == []  # not yet
    [later] = await polling.run_due_checks(rt, now=when + timedelta(minutes=6))
    assert (later["outcome"], later["revision"]) == ("changed", 2)


async def test_crash_inside_the_transaction_leaves_the_old_revision(
    rt, jolpica, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await _spa(make_user)
    await _provisional(rt, jolpica, s["race"])
    before = await counts(s["race"])
    old_points = await team_points(s["race"], 1)
    rt.notifier.emitted.clear()

    async def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut between the revision and its team scores")

    monkeypatch.setattr(scoring, "write_team_scores", crash)
    when = T0 + timedelta(hours=25)
    [failed] = await polling.run_due_checks(rt, now=when)
    assert failed["outcome"] == "failed" and "power cut" in failed["error"]
    assert await counts(s["race"]) == before  # no revision 2, no scores, no notifications
    assert await team_points(s["race"], 1) == old_points
    assert await helpers.value("SELECT status FROM race WHERE id = $1", s["race"]) == "provisional"
    check = (await helpers.fetch("SELECT * FROM race_check WHERE check_no = 1"))[0]
    assert (check["done_at"], check["attempts"], check["claimed_until"]) == (None, 1, None)
    assert rt.notifier.emitted == []

    monkeypatch.undo()
    [done] = await polling.run_due_checks(rt, now=when + timedelta(hours=1))
    assert (done["outcome"], done["revision"]) == ("changed", 2)
    assert (await team_points(s["race"], 2))[s["a"]] != old_points[s["a"]]


async def test_two_concurrent_checks_of_one_race_write_one_revision(rt, jolpica, make_user) -> None:
    s = await _spa(make_user)
    await _provisional(rt, jolpica, s["race"])
    results = await asyncio.gather(*(polling.check_race(rt, s["race"]) for _ in range(3)))
    assert sorted(r["changed"] for r in results) == [False, False, True]
    assert {r["revision"] for r in results} == {2}
    assert (await counts(s["race"]))["revisions"] == 2
    corrected = await helpers.notifications_of("results_corrected")
    assert len(corrected) == 2  # one per changed team, once

    # the same scheduled check run twice at once: one runs, the other is skipped
    check_id = await helpers.value("SELECT id FROM race_check WHERE check_no = 1")
    when = T0 + timedelta(hours=25)
    runs = await asyncio.gather(*(polling.run_check(rt, check_id, now=when) for _ in range(2)))
    assert sorted(r["outcome"] for r in runs) == ["skipped", "unchanged"]


async def test_concurrent_first_polls_write_one_revision(rt, jolpica, make_user) -> None:
    s = await _spa(make_user)
    await asyncio.gather(polling.poll(rt, now=T0), polling.poll(rt, now=T0))
    assert (await counts(s["race"]))["revisions"] == 1
    assert (await counts(s["race"]))["checks"] == 3
    assert len(await helpers.notifications_of("results_available")) == 2


def _corrupt(tmp: Path, change: Any) -> Path:
    """A copy of the 2024 fixtures whose round 14 results are changed by ``change``."""
    root = tmp / "jolpica"
    shutil.copytree(helpers.FIXTURES / "2024", root / "2024")
    path = root / "2024" / "14" / "results.json"
    data = json.loads(path.read_text())
    change(data["MRData"]["RaceTable"]["Races"][0]["Results"])
    path.write_text(json.dumps(data))
    return root


def _drop_driver(rows: list[dict[str, Any]]) -> None:
    del rows[3]["Driver"]


def _word_position(rows: list[dict[str, Any]]) -> None:
    rows[0]["position"] = "first"


def _text_grid(rows: list[dict[str, Any]]) -> None:
    rows[5]["grid"] = "eleventh"


def _duplicate_position(rows: list[dict[str, Any]]) -> None:
    rows[2]["position"] = rows[1]["position"]


def _unknown_status(rows: list[dict[str, Any]]) -> None:
    rows[7]["positionText"] = "Q"


@pytest.mark.parametrize(
    "change", [_drop_driver, _word_position, _text_grid, _duplicate_position, _unknown_status]
)
async def test_malformed_payload_writes_nothing(rt, make_user, tmp_path, change) -> None:
    s = await _spa(make_user)
    with serve_in_thread(FakeJolpica(_corrupt(tmp_path, change))) as root:
        rt.jolpica_factory = fast_client_factory(f"{root}/ergast/f1")
        report = await polling.poll(rt, now=T0)
    assert report["ingested"] == [] and [f["race_id"] for f in report["failed"]] == [s["race"]]
    assert (
        "Malformed" in report["failed"][0]["error"] or "positions" in report["failed"][0]["error"]
    )
    assert await counts(s["race"]) == {
        "revisions": 0, "driver_scores": 0, "team_scores": 0, "notifications": 0, "checks": 0
    }  # fmt: skip
    status = await helpers.value("SELECT status FROM race WHERE id = $1", s["race"])
    assert status == "awaiting_results"  # polled again next hour


async def test_unknown_driver_in_payload_is_created(rt, make_user, tmp_path) -> None:
    s = await _spa(make_user)

    def rookie(rows: list[dict[str, Any]]) -> None:
        rows[-1]["Driver"] = {
            "driverId": "new_rookie", "givenName": "Nova", "familyName": "Rookie",
            "permanentNumber": "99",
        }  # fmt: skip
        rows[-1]["Constructor"] = {"constructorId": "new_team", "name": "New Team"}
        rows[-1]["number"] = "99"

    with serve_in_thread(FakeJolpica(_corrupt(tmp_path, rookie))) as root:
        rt.jolpica_factory = fast_client_factory(f"{root}/ergast/f1")
        report = await polling.poll(rt, now=T0)
    assert [i["race_id"] for i in report["ingested"]] == [s["race"]]
    driver = (await helpers.fetch("SELECT * FROM driver WHERE ref = 'new_rookie'"))[0]
    assert (driver["given_name"], driver["family_name"], driver["number"]) == ("Nova", "Rookie", 99)
    assert await helpers.value("SELECT count(*) FROM constructor WHERE ref = 'new_team'") == 1
    # the rookie took Russell's (disqualified) race row; Russell still has his qualifying row
    assert (await counts(s["race"]))["driver_scores"] == 21
    rookie_points = await helpers.value(
        "SELECT points FROM driver_score WHERE driver = $1", driver["id"]
    )
    assert rookie_points == -10


async def test_poll_stops_while_jolpica_is_down_and_catches_up_later(rt, jolpica) -> None:
    season = await helpers.load_season(2024, rounds=[13, 14])
    jolpica.fail(50, 502)
    report = await polling.poll(rt, now=T0)
    assert report["ingested"] == []
    assert [f["race_id"] for f in report["failed"]] == [season.races[13], season.races[14]]
    assert report["failed"][1]["error"] == "skipped: Jolpica unavailable"
    assert len(jolpica.requests()) == 5  # one race's attempts, not every race's
    assert await helpers.value("SELECT count(*) FROM result_revision") == 0
    jolpica.reset()
    again = await polling.poll(rt, now=T0)
    assert sorted(i["race_id"] for i in again["ingested"]) == sorted(season.races.values())
