"""Geometry checks of a page, measured in the browser (bounding boxes in CSS pixels)."""

from __future__ import annotations

from typing import Any

PHONE = {"width": 390, "height": 844, "mobile": True}
DESKTOP = {"width": 1366, "height": 800, "mobile": False}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

PICKS = "[data-testid=drivers] button:text-is('Pick')"


async def no_sideways_scroll(page: Any) -> None:
    """The page is never wider than the window."""
    width, inner = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"page is {width} px wide in a {inner} px window"


async def in_viewport(page: Any, selector: str) -> dict[str, float]:
    """The element's box, asserted to lie inside the viewport."""
    box = await page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,"
        " vw: window.innerWidth, vh: window.innerHeight}; }"
    )
    assert box["top"] >= 0 and box["left"] >= 0, box
    assert box["bottom"] <= box["vh"] and box["right"] <= box["vw"], box
    return dict(box)


TOAST_OVER_PICK = """() => {
  const hit = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const toasts = [...document.querySelectorAll('#toasts .toast')]
    .map((t) => t.getBoundingClientRect()).filter((r) => r.width && r.height);
  const picks = [...document.querySelectorAll('[data-testid=drivers] button')]
    .filter((b) => b.textContent === 'Pick')
    .map((b) => b.getBoundingClientRect())
    .filter((r) => r.width && r.bottom > 0 && r.top < window.innerHeight);
  const visible = picks.filter((r) => {
    const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return e && e.closest('[data-testid=drivers]');
  });
  return {toasts: toasts.length, picks: visible.length,
          overlaps: visible.filter((p) => toasts.some((t) => hit(t, p))).length};
}"""


async def no_toast_over_pick(page: Any, *, toasts_expected: bool = True) -> None:
    """No toast covers a Pick button that is in view."""
    seen = await page.evaluate(TOAST_OVER_PICK)
    if toasts_expected:
        assert seen["toasts"] >= 1, seen
    assert seen["overlaps"] == 0, seen


async def show_toasts(page: Any) -> None:
    """Raise two long toasts through the client's own toast() (the worst case)."""
    await page.evaluate(
        "import('/js/ui.js').then(m => { for (let i = 0; i < 2; i++)"
        " m.toast('That did not work: the server refused this request, try again. ' + i,"
        " 'error', 60000); })"
    )
