"""The notifications service: store, dedupe, push live to the user's room, list, read."""

from __future__ import annotations

import pytest

from draftroom.errors import NotFound, ValidationFailed
from draftroom.services import notifications
from draftroom.services.notifications import NewNotification


async def test_notify_stores_pushes_and_dedupes(rt, make_user) -> None:
    alice = await make_user("alice")
    stored = await notifications.notify(
        rt, alice.id, "draft_opened", "Your draft is open", "Join now", {"draft_id": 7}, "k1"
    )
    assert stored is not None and stored["kind"] == "draft_opened"
    assert (
        await notifications.notify(rt, alice.id, "draft_opened", "again", dedupe_key="k1") is None
    )
    [(event, payload, namespace, room)] = rt.notifier.emitted
    assert (event, namespace, room) == ("notification", "/", f"user:{alice.id}")
    assert payload == {k: v for k, v in stored.items() if k != "user_id"}
    assert set(payload) == {"id", "kind", "title", "body", "data", "read_at", "created_at"}
    assert payload["data"] == {"draft_id": 7}
    items, total = await notifications.list_notifications(alice.id)
    assert total == 1 and items[0]["id"] == stored["id"]


@pytest.mark.parametrize("kind", notifications.KINDS)
async def test_every_kind_is_accepted(rt, make_user, kind: str) -> None:
    user = await make_user()
    assert await notifications.notify(rt, user.id, kind, kind) is not None


async def test_unknown_kind_is_refused_and_nothing_is_stored(rt, make_user) -> None:
    user = await make_user()
    items = [
        NewNotification(user.id, "results_available", "ok"),
        NewNotification(user.id, "party_invite", "no"),
    ]
    with pytest.raises(ValidationFailed):
        await notifications.notify_many(rt, items)
    assert (await notifications.list_notifications(user.id))[1] == 0
    assert rt.notifier.emitted == []


async def test_read_and_read_all_are_per_user(rt, make_user) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    first = await notifications.notify(rt, alice.id, "on_the_clock", "1")
    await notifications.notify(rt, alice.id, "autopicked", "2")
    await notifications.notify(rt, bob.id, "autopicked", "3")
    assert first is not None
    with pytest.raises(NotFound):
        await notifications.mark_read(bob.id, first["id"])
    read = await notifications.mark_read(alice.id, first["id"])
    again = await notifications.mark_read(alice.id, first["id"])
    assert read["read_at"] is not None and again["read_at"] == read["read_at"]
    assert await notifications.unread_count(alice.id) == 1
    assert await notifications.mark_all_read(alice.id) == 1
    assert await notifications.unread_count(alice.id) == 0
    assert await notifications.unread_count(bob.id) == 1
    read_only, total = await notifications.list_notifications(alice.id, unread=False)
    assert total == 2 and all(n["read_at"] for n in read_only)
