"""The Jolpica sync against the fake Jolpica server, over real HTTP."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from draftroom.coordination.ratelimit import Rate
from draftroom.db.tables import Constructor, Driver, DriverEntry, Race
from draftroom.errors import UpstreamError
from draftroom.jolpica import JolpicaClient, RetryPolicy
from draftroom.services import reference
from draftroom.services.sync import sync_season
from draftroom.timestamps import iso_utc
from tests.fakes.fixtures import FakeJolpicaControl
from tests.fakes.jolpica import FIXTURES, FakeJolpica
from tests.fakes.server import serve_in_thread
from tests.reference.support import table_rows

FAST = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02)


def client(base_url: str) -> JolpicaClient:
    return JolpicaClient(base_url, retry=FAST, rates=(Rate(1000, 1.0),))


@pytest.fixture
def changed_upstream(tmp_path: Path) -> Iterator[str]:
    """A second fake Jolpica whose 2026 schedule moves round 3 and adds a new driver."""
    season = tmp_path / "2026"
    season.mkdir()
    for name in ("constructors.json", "drivers.json", "driverstandings.json", "races.json"):
        shutil.copy(FIXTURES / "2026" / name, season / name)
    races = json.loads((season / "races.json").read_text())
    race = races["MRData"]["RaceTable"]["Races"][2]
    race["date"], race["time"] = "2026-12-06", "13:00:00Z"
    race["Qualifying"] = {"date": "2026-12-05", "time": "14:00:00Z"}
    (season / "races.json").write_text(json.dumps(races))
    drivers = json.loads((season / "drivers.json").read_text())
    drivers["MRData"]["DriverTable"]["Drivers"].append(
        {
            "driverId": "rookie",
            "code": "ROO",
            "permanentNumber": "99",
            "givenName": "New",
            "familyName": "Rookie",
            "nationality": "Martian",
        }
    )
    drivers["MRData"]["total"] = str(len(drivers["MRData"]["DriverTable"]["Drivers"]))
    (season / "drivers.json").write_text(json.dumps(drivers))
    with serve_in_thread(FakeJolpica(tmp_path)) as root:
        yield f"{root}/ergast/f1"


async def test_sync_into_an_empty_database(db: None, jolpica: FakeJolpicaControl) -> None:
    async with client(jolpica.base_url) as api:
        summary = await sync_season(api, 2026)
    assert summary.changed
    assert summary.constructors.created == 11 and summary.drivers.created == 23
    assert summary.entries.created == 23 and summary.races.created == 23
    assert await reference.current_season() == 2026
    drivers = {d["ref"]: d for d in await reference.list_drivers(2026)}
    teams = {c["id"]: c["ref"] for c in await reference.list_constructors(2026)}
    assert teams[drivers["antonelli"]["constructor_id"]] == "mercedes"
    assert drivers["max_verstappen"]["code"] == "VER"
    race = (await reference.list_races(2026))[1]
    assert race["sprint_at"] == "2026-03-14T03:00:00Z"
    assert race["qualifying_at"] == "2026-03-14T07:00:00Z"


async def test_sync_twice_gives_the_same_rows(db: None, jolpica: FakeJolpicaControl) -> None:
    async with client(jolpica.base_url) as api:
        await sync_season(api, 2026)
        before = await table_rows()
        second = await sync_season(api, 2026)
    assert not second.changed
    assert second.to_dict()["moved_races"] == [] and second.to_dict()["adopted_refs"] == []
    assert await table_rows() == before


async def test_sync_after_seed_changes_nothing_the_seed_got_right(
    seeded: None, jolpica: FakeJolpicaControl
) -> None:
    before = await table_rows()
    async with client(jolpica.base_url) as api:
        summary = await sync_season(api, 2026)
    assert summary.constructors.created == 0 and summary.drivers.created == 0
    assert summary.entries.created == 0 and summary.races.created == 0
    after = await table_rows()
    assert len(after["driver"]) == len(before["driver"])
    colors = {c["ref"]: c["color"] for c in before["constructor"]}
    assert {c["ref"]: c["color"] for c in after["constructor"]} == colors  # colours stay ours


async def test_a_changed_race_time_moves_the_race(
    db: None, jolpica: FakeJolpicaControl, changed_upstream: str
) -> None:
    async with client(jolpica.base_url) as api:
        await sync_season(api, 2026)
    before = await Race.select().where((Race.season == 2026) & (Race.round == 3)).first()
    assert before is not None
    async with client(changed_upstream) as api:
        summary = await sync_season(api, 2026)
    after = await Race.select().where((Race.season == 2026) & (Race.round == 3)).first()
    assert after is not None and after["id"] == before["id"]
    assert after["starts_at"] == datetime(2026, 12, 6, 13, tzinfo=UTC)
    assert after["qualifying_at"] == datetime(2026, 12, 5, 14, tzinfo=UTC)
    assert summary.races.updated == 1
    assert summary.moved_races == [
        {
            "race_id": before["id"],
            "round": 3,
            "starts_at": "2026-12-06T13:00:00Z",
            "previous_starts_at": iso_utc(before["starts_at"]),
            "qualifying_at": "2026-12-05T14:00:00Z",
            "previous_qualifying_at": iso_utc(before["qualifying_at"]),
        }
    ]
    assert await Race.count().where(Race.season == 2026) == 23


async def test_an_unknown_driver_is_created_by_ref(seeded: None, changed_upstream: str) -> None:
    async with client(changed_upstream) as api:
        summary = await sync_season(api, 2026)
    assert summary.drivers.created == 1 and summary.entries.created == 1
    rookie = await Driver.select().where(Driver.ref == "rookie").first()
    assert rookie is not None and rookie["number"] == 99 and rookie["code"] == "ROO"
    assert await DriverEntry.exists().where(
        (DriverEntry.season == 2026) & (DriverEntry.driver == rookie["id"])
    )


async def test_a_renamed_ref_is_adopted_not_duplicated(
    seeded: None, jolpica: FakeJolpicaControl
) -> None:
    await Driver.update({Driver.ref: "lindblad"}).where(Driver.ref == "arvid_lindblad")
    row = await Driver.select().where(Driver.ref == "lindblad").first()
    assert row is not None
    count = await Driver.count()
    async with client(jolpica.base_url) as api:
        summary = await sync_season(api, 2026)
    assert summary.adopted_refs == [
        {"driver_id": row["id"], "old_ref": "lindblad", "new_ref": "arvid_lindblad"}
    ]
    assert await Driver.count() == count
    assert await Driver.exists().where(Driver.ref == "arvid_lindblad")


async def test_the_season_team_comes_from_the_standings(
    seeded: None, jolpica: FakeJolpicaControl
) -> None:
    ferrari = await Constructor.select().where(Constructor.ref == "ferrari").first()
    assert ferrari is not None
    await DriverEntry.update({DriverEntry.constructor: ferrari["id"]}).where(
        DriverEntry.season == 2026
    )
    async with client(jolpica.base_url) as api:
        summary = await sync_season(api, 2026)
    assert summary.entries.updated >= 20
    drivers = {d["ref"]: d for d in await reference.list_drivers(2026)}
    teams = {c["id"]: c["ref"] for c in await reference.list_constructors(2026)}
    assert teams[drivers["norris"]["constructor_id"]] == "mclaren"


async def test_a_failing_upstream_writes_nothing(db: None, jolpica: FakeJolpicaControl) -> None:
    jolpica.fail(5, status=500, path_contains="races")
    with pytest.raises(UpstreamError):
        async with client(jolpica.base_url) as api:
            await sync_season(api, 2026)
    assert await Race.count() == 0 and await Driver.count() == 0


async def test_admin_sync_route_runs_the_sync(
    db: None, settings: Any, redis: Any, jolpica: FakeJolpicaControl, make_user: Any
) -> None:
    from draftroom.http.app import create_quart_app
    from draftroom.services.notifier import RecordingNotifier
    from draftroom.services.runtime import Runtime

    rt = Runtime(
        settings=replace(settings, jolpica_base_url=jolpica.base_url),
        redis=redis,
        notifier=RecordingNotifier(),
    )
    app = create_quart_app(rt)
    admin = await make_user("root", is_admin=True)
    test_client = app.test_client()
    response = await test_client.post(
        "/api/v1/admin/sync", json={"season": 2026}, headers=admin.headers
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert body["season"] == 2026 and body["changed"] is True
    assert body["races"] == {"created": 23, "updated": 0}
    again = await test_client.post("/api/v1/admin/sync", headers=admin.headers)
    assert again.status_code == 200
    body = await again.get_json()
    assert body["season"] == 2026 and body["changed"] is False
    bad = await test_client.post(
        "/api/v1/admin/sync", json={"season": "2026"}, headers=admin.headers
    )
    assert bad.status_code == 422


async def test_the_daily_task_is_scheduled_and_runs(
    db: None, settings: Any, redis: Any, jolpica: FakeJolpicaControl
) -> None:
    from draftroom.services.notifier import RecordingNotifier
    from draftroom.services.runtime import Runtime
    from draftroom.tasks import sync
    from draftroom.tasks.broker import use_runtime
    from draftroom.tasks.jobs import JOB_MODULES
    from draftroom.tasks.sync import sync_season as task

    assert sync in JOB_MODULES
    assert task.labels["schedule"] == [{"cron": "17 4 * * *"}]
    use_runtime(
        Runtime(
            settings=replace(settings, jolpica_base_url=jolpica.base_url),
            redis=redis,
            notifier=RecordingNotifier(),
        )
    )
    sent = await task.kiq(2026)
    result = await sent.wait_result(timeout=60)
    assert not result.is_err, result.error
    assert result.return_value["races"]["created"] == 23


@pytest.fixture
def cancelling_upstream(tmp_path: Path) -> Iterator[str]:
    """A fake Jolpica whose 2026 schedule drops round 3 and renumbers the rounds after it,
    as Jolpica did when Imola 2023 was cancelled."""
    season = tmp_path / "2026"
    season.mkdir()
    for name in ("constructors.json", "drivers.json", "driverstandings.json", "races.json"):
        shutil.copy(FIXTURES / "2026" / name, season / name)
    races = json.loads((season / "races.json").read_text())
    rows = races["MRData"]["RaceTable"]["Races"]
    del rows[2]
    for number, race in enumerate(rows, start=1):
        race["round"] = str(number)
    races["MRData"]["total"] = str(len(rows))
    (season / "races.json").write_text(json.dumps(races))
    with serve_in_thread(FakeJolpica(tmp_path)) as root:
        yield f"{root}/ergast/f1"


async def test_a_race_dropped_upstream_is_cancelled_and_its_drafts_follow(
    runtime: Any, jolpica: FakeJolpicaControl, cancelling_upstream: str, make_user: Any
) -> None:
    from draftroom.services.sync import follow_moved_races
    from tests.results import helpers

    async with client(jolpica.base_url) as api:
        await sync_season(api, 2026)
    rows = {r["round"]: r for r in await Race.select().where(Race.season == 2026)}
    dropped, after = rows[3], rows[4]
    owners = [(await make_user()).id for _ in range(2)]
    league, teams = await helpers.make_league(2026, owners)
    driver = (await Driver.select(Driver.id).first())["id"]  # type: ignore[index]
    draft_id = await helpers.make_draft(league, dropped["id"], [(teams[0], driver)], status="live")

    async with client(cancelling_upstream) as api:
        summary = await sync_season(api, 2026)
    assert summary.cancelled_races == [{"race_id": dropped["id"], "name": dropped["name"]}]
    now = {r["id"]: r for r in await Race.select().where(Race.season == 2026)}
    assert now[dropped["id"]]["status"] == "cancelled"
    assert now[dropped["id"]]["round"] == 103  # its number went to the next race
    assert now[after["id"]]["round"] == 3 and now[after["id"]]["name"] == after["name"]
    assert len(now) == 23
    await follow_moved_races(runtime, summary)
    assert await helpers.value("SELECT status FROM draft WHERE id = $1", draft_id) == "cancelled"

    async with client(cancelling_upstream) as api:
        again = await sync_season(api, 2026)
    assert not again.changed and again.cancelled_races == []
