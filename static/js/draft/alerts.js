// Turn alerts that reach a user who is not looking: the title, a vibration, a beep, and a
// browser notification while the tab is hidden (permission asked from a click, never on
// load). The in-page notice is the clock banner itself ("Your turn!", "On deck").

import { h } from "../dom.js";
import { beep } from "../sound.js";
import { teamForPick } from "./model.js";

/** Picks until `teamId` is on the clock (0: now; null: no pick left in this draft). */
export function picksUntil(state, teamId) {
  if (!state || !state.current || !teamId) return null;
  const total = state.order.length * state.picks_per_team;
  for (let pickNo = state.current.pick_no; pickNo <= total; pickNo += 1) {
    if (teamForPick(state.order, pickNo, state.type) === teamId) return pickNo - state.current.pick_no;
  }
  return null;
}

/** True when the browser can show notifications and the user has not decided yet. */
export function canAskPermission() {
  return "Notification" in window && Notification.permission === "default";
}

/** A button that asks for notification permission (a user gesture); hidden once decided. */
export function permissionButton() {
  const button = h("button", {
    type: "button",
    class: "btn small ghost",
    "data-testid": "ask-notifications",
    hidden: !canAskPermission(),
    onclick: async () => {
      try {
        await Notification.requestPermission();
      } finally {
        button.hidden = !canAskPermission();
      }
    },
  }, "Alert me on my turn");
  return button;
}

/** Once per pick of mine: beep, vibrate, and notify when the tab is hidden. */
export function alertTurn({ leagueName, pickNo, draftId }) {
  beep();
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  if (document.visibilityState !== "hidden" || !("Notification" in window)) return;
  if (Notification.permission !== "granted") return;
  const note = new Notification(`Your pick in ${leagueName}`, {
    body: `Pick ${pickNo} is yours: the clock is running.`,
    tag: `draftroom-turn-${draftId}`,
  });
  note.onclick = () => {
    window.focus();
    note.close();
  };
}
