"""A full draft between a phone (390x844, touch) and a desktop (1366x800): sign-up and join on
the phone, the queue reordered by a touch drag, picks by tap and by click, the "on deck"
notice, and a browser notification for a hidden tab."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import SEASON
from tests.browser.flows import create_draft, create_league, join_by_code, sign_up, wait_until
from tests.browser.layout import PICKS, SIZES, in_viewport, no_sideways_scroll
from tests.support.polling import wait_for

pytestmark = pytest.mark.browser

RECORD_NOTIFICATIONS = """
window.__notifications = [];
if ('Notification' in window) {
  const Native = window.Notification;
  window.Notification = class extends Native {
    constructor(title, options) { super(title, options); window.__notifications.push(title); }
  };
}
"""

HIDE = """
Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
document.dispatchEvent(new Event('visibilitychange'));
"""


async def touch_drag(page: Any, source: Any, target: Any) -> None:
    """Drag ``source`` onto ``target`` with touch events (Chrome DevTools Protocol)."""
    start, end = await source.bounding_box(), await target.bounding_box()
    x0, y0 = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + end["height"] / 2
    cdp = await page.context.new_cdp_session(page)
    await cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
    )
    for step in range(1, 6):
        x, y = x0 + (x1 - x0) * step / 5, y0 + (y1 - y0) * step / 5
        await cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


async def queue_ids(page: Any) -> list[int]:
    ids = await page.locator("[data-testid=queue] li.queue-item").evaluate_all(
        "items => items.map(i => Number(i.dataset.driverId))"
    )
    return list(ids)


async def test_full_draft_between_a_phone_and_a_desktop(new_page: Any) -> None:
    desk = await new_page(**SIZES["desktop"])
    await desk.context.grant_permissions(["notifications"])
    await desk.context.add_init_script(RECORD_NOTIFICATIONS)
    phone = await new_page(**SIZES["phone"])
    await phone.context.add_init_script(
        "window.__vibrations = [];"
        " navigator.vibrate = (p) => { window.__vibrations.push(p); return true; };"
    )
    await sign_up(desk, "dana")
    await sign_up(phone, "pete")  # the sign-up form works on a phone
    await no_sideways_scroll(phone)
    league_id = await create_league(
        desk, "Pocket League", team="Desk Team", pick_seconds=60, season=SEASON
    )
    code = (await desk.get_by_test_id("invite-code").inner_text()).strip()
    await join_by_code(phone, code, "Phone Team")
    await no_sideways_scroll(phone)
    await create_draft(desk, league_id, "Browser Test Grand Prix")
    for page in (desk, phone):
        await page.goto(f"/#/leagues/{league_id}/draft")
        await page.get_by_test_id("draft-status").filter(has_text="Scheduled").wait_for()
    # permission was granted in this context already: no button to ask for it
    assert await desk.get_by_test_id("ask-notifications").is_hidden()

    # the phone queues two drivers, then swaps them by dragging the handle with a finger
    rows = phone.locator("[data-testid=drivers] li.driver")
    first, second = [int(await rows.nth(i).get_attribute("data-driver-id")) for i in (0, 1)]
    await rows.nth(0).get_by_role("button", name="to your queue").tap()
    await phone.locator(
        f"[data-testid=drivers] li[data-driver-id='{first}'] button:text-is('Queued')"
    ).wait_for()
    await rows.nth(1).get_by_role("button", name="to your queue").tap()
    await phone.locator(
        f"[data-testid=drivers] li[data-driver-id='{second}'] button:text-is('Queued')"
    ).wait_for()
    await phone.get_by_test_id("room-tabs").get_by_role("button", name="Queue").tap()
    await phone.locator(f"[data-testid=queue] li[data-driver-id='{second}']").wait_for()
    assert await queue_ids(phone) == [first, second]
    grip = phone.locator(
        f"[data-testid=queue] li[data-driver-id='{second}'] [data-testid=queue-grip]"
    )
    await phone.wait_for_timeout(500)  # the server's `queue` echoes re-render the list
    assert await queue_ids(phone) == [first, second]
    box = await grip.bounding_box()
    assert box is not None and box["width"] >= 44
    moved = phone.locator(f"[data-testid=queue] li:first-child[data-driver-id='{second}']")
    for _attempt in range(3):  # a re-render in the middle of a drag drops it, as on a phone
        await touch_drag(
            phone, grip, phone.locator(f"[data-testid=queue] li[data-driver-id='{first}']")
        )
        try:
            await moved.wait_for(timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    await moved.wait_for()
    await phone.reload()  # the server has the new order
    await phone.get_by_test_id("room-tabs").get_by_role("button", name="Queue").tap()
    await phone.locator("[data-testid=queue] li.queue-item").nth(1).wait_for()
    assert await queue_ids(phone) == [second, first]

    start = desk.get_by_role("button", name="Start now")
    await start.wait_for()
    # the desktop user switches to another tab (before the first turn can arrive), then
    # the start goes out
    await desk.evaluate(HIDE)
    await start.click()
    notified = False
    for pick_no in range(1, 5):
        owner = await wait_for(lambda: on_the_clock([desk, phone]), timeout_s=15, every_s=0.1,
                               what=f"pick {pick_no} on the clock")  # fmt: skip
        if owner is desk and not notified:  # hidden tab: a browser notification
            await wait_until(desk, "window.__notifications.length > 0")
            titles = await desk.evaluate("window.__notifications")
            assert titles == ["Your pick in Pocket League"], titles
            assert await desk.title() == "● Your pick! · draftroom"
            notified = True
        if owner is phone:  # the phone vibrates and switches to Drivers: Pick in the first screen
            await wait_until(phone, "window.__vibrations.length > 0")
            await phone.get_by_role("button", name="Drivers", pressed=True).wait_for()
            await in_viewport(phone, f"{PICKS}:enabled")
        row = owner.locator("[data-testid=drivers] li.driver").first
        driver_id = await row.get_attribute("data-driver-id")
        button = row.get_by_role("button", name="Pick")
        await (button.tap() if owner is phone else button.click())
        for page in (desk, phone):
            cell = f"td.filled[data-pick='{pick_no}'][data-driver-id='{driver_id}']"
            await page.locator(f"[data-testid=board] {cell}").wait_for(state="attached")
        if pick_no == 1:  # snake, 2 teams: the first picker's next pick is 2 picks away
            await owner.get_by_test_id("on-deck").filter(has_text="2 picks away").wait_for()
    assert notified  # snake with 2 teams: the desktop has pick 1 or 2, and pick 3 or 4
    for page in (desk, phone):
        await page.get_by_test_id("draft-status").filter(has_text="Complete").wait_for()
        await page.get_by_role("link", name="Name your captain →").wait_for()  # owners only
        await no_sideways_scroll(page)


async def on_the_clock(pages: list[Any]) -> Any:
    """The page whose Pick buttons are enabled (None while none or several are)."""
    owners = [p for p in pages if await p.locator(f"{PICKS}:enabled").count()]
    return owners[0] if len(owners) == 1 else None
