""" "Draft opens" e-mails (issue 13, item 5): a per-league opt-in of each member, off by
default, set over REST; opted-in owners get one mail per draft through the outbox, even
when the opening's notifications are stored twice."""

from __future__ import annotations

from typing import Any

from tests.drafts.conftest import create_draft, start

API = "/api/v1"


async def mails() -> list[dict[str, Any]]:
    from draftroom.db.tables import OutboxMail

    rows = await OutboxMail.select(
        OutboxMail.to_address, OutboxMail.subject, OutboxMail.body, OutboxMail.kind
    ).order_by(OutboxMail.id)
    return list(rows)


async def prefs(http: Any, w: Any, user: Any) -> Any:
    return await http.get(f"{API}/leagues/{w.league_id}/email-prefs", headers=user.headers)


async def opt(http: Any, w: Any, user: Any, body: Any) -> Any:
    return await http.put(
        f"{API}/leagues/{w.league_id}/email-prefs", json=body, headers=user.headers
    )


async def test_opted_in_members_get_one_mail_per_draft_and_others_none(
    http: Any, world: Any
) -> None:
    w = await world(teams=3)
    _, fan, other = w.users
    r = await prefs(http, w, fan)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "league_id": w.league_id,
        "team_id": w.team_of[fan.id],
        "draft_opens": False,
    }
    r = await opt(http, w, fan, {"draft_opens": True})
    assert r.status_code == 200 and r.json()["draft_opens"] is True
    assert (await prefs(http, w, fan)).json()["draft_opens"] is True
    assert (await opt(http, w, other, {"draft_opens": False})).status_code == 200

    draft_id = (await create_draft(http, w))["id"]
    assert await mails() == []  # created, not open yet
    await start(http, w, draft_id)
    [mail] = await mails()
    assert mail["to_address"] == f"{fan.username}@example.com"
    assert mail["kind"] == "draft_opened"
    assert "is open" in mail["subject"]
    assert f"/#/leagues/{w.league_id}/draft" in mail["body"]
    assert "Test GP 1" in mail["body"]

    # the opening's notifications stored again (a second opening of the same draft):
    # they are deduplicated, so nobody is mailed twice
    from draftroom.db.engine import DB
    from draftroom.services.drafts.opening_mail import mail_draft_opened
    from draftroom.services.notifications import NewNotification, insert_notifications

    data = {"draft_id": draft_id, "league_id": w.league_id, "race_id": w.race_id}
    again = [
        NewNotification(u.id, "draft_opened", "Your draft is open", "", data,
                        f"draft_opened:{draft_id}:{u.id}")
        for u in w.users
    ]  # fmt: skip
    async with DB.pool.acquire() as conn, conn.transaction():
        stored = await insert_notifications(conn, again)
        assert stored == []
        assert await mail_draft_opened(conn, "http://x", stored) == 0
    assert len(await mails()) == 1

    # the league's next draft: one more mail, still only to the member who opted in
    second = (await create_draft(http, w, race_id=w.races[1]))["id"]
    await start(http, w, second)
    assert [m["to_address"] for m in await mails()] == [f"{fan.username}@example.com"] * 2

    # opting out stops them
    assert (await opt(http, w, fan, {"draft_opens": False})).json()["draft_opens"] is False
    assert (await prefs(http, w, fan)).json()["draft_opens"] is False


async def test_bad_email_prefs_are_refused_and_change_nothing(
    http: Any, world: Any, make_user: Any
) -> None:
    w = await world(teams=2)
    member = w.users[1]
    for body in ({"draft_opens": "yes"}, {"draft_opens": 1}, {"draft_opens": None}, {},
                 {"draft_opens": True, "weekly_digest": True}, [True]):  # fmt: skip
        r = await opt(http, w, member, body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"]["code"] == "validation_error", body
    r = await http.put(
        f"{API}/leagues/{w.league_id}/email-prefs",
        content=b"{not json",
        headers={**member.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    stranger = await make_user("stranger")
    for user in (stranger,):
        assert (await opt(http, w, user, {"draft_opens": True})).status_code == 404
        assert (await prefs(http, w, user)).json()["error"]["code"] == "not_found"
    r = await http.put(f"{API}/leagues/{w.league_id}/email-prefs", json={"draft_opens": True})
    assert r.status_code == 401
    r = await http.put(
        f"{API}/leagues/2147483648/email-prefs", json={"draft_opens": True}, headers=member.headers
    )
    assert r.status_code in (404, 422) and "error" in r.json()
    assert (await prefs(http, w, member)).json()["draft_opens"] is False
