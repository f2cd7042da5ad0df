// Board / Drivers / Queue / Log: on narrow screens the draft room shows one panel at a time
// (the CSS hides the others); on wide screens every panel is shown and the tabs are hidden.

import { h } from "../dom.js";

const TABS = [["board", "Board"], ["drivers", "Drivers"], ["queue", "Queue"], ["log", "Log"]];

/** Mark `element` as the panel of tab `name`. */
export function tabbed(element, name) {
  element.dataset.tab = name;
  return element;
}

/**
 * The segmented control. `onSelect(name)` runs on every change; `select(name)` switches
 * from code (e.g. to Drivers when the user comes on the clock); `hasQueue` false: no Queue.
 */
export function roomTabs(initial, hasQueue, onSelect) {
  let current = initial;
  const buttons = TABS.filter(([name]) => hasQueue || name !== "queue").map(([name, label]) => h("button", {
    type: "button",
    class: "btn",
    "data-tab-name": name,
    "aria-pressed": String(name === current),
    onclick: () => select(name),
  }, label));
  const element = h("div", { class: "room-tabs", role: "group", "aria-label": "Show panel", "data-testid": "room-tabs" }, buttons);

  function select(name) {
    current = name;
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.tabName === name));
    onSelect(name);
  }

  return {
    element,
    current: () => current,
    select,
    /** True when the tabs are shown (narrow screen): only one panel is visible. */
    active: () => element.offsetParent !== null,
  };
}
