// #/mock: start a mock draft (practice against bots, for a race of the current season) and
// list my mock drafts. A mock draft opens in the ordinary draft room.

import { api } from "../api.js";
import * as data from "../data.js";
import { formatDate, h, mount } from "../dom.js";
import { navigate } from "../router.js";
import { busy, clearFieldErrors, errorBox, field, invalid, loading, showError, toast } from "../ui.js";

const RULES = { teams: [2, 11], pick_seconds: [5, 300] };
const CLOCKS = [[5, "5 seconds"], [15, "15 seconds"], [30, "30 seconds"], [60, "1 minute"], [120, "2 minutes"], [300, "5 minutes"]];
const STATUS = { scheduled: "starting", live: "live", paused: "paused", complete: "finished", cancelled: "cancelled" };

function slotOptions(teams) {
  const options = [["", "Random"]];
  for (let slot = 1; slot <= teams; slot += 1) options.push([String(slot), `Pick ${slot}`]);
  return options.map(([value, text]) => h("option", { value }, text));
}

/** #/mock */
export async function mockDraftView(root) {
  const races = (await data.races().catch(() => [])).filter((r) => r.status !== "cancelled");
  const next = races.find((r) => Date.parse(r.starts_at) > Date.now()) || races[0];
  const errors = h("div");
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "mock-form-title", "data-testid": "mock-form" },
    h("h2", { id: "mock-form-title" }, "New mock draft"),
    errors,
    h("div", { class: "grid two" },
      field("Race", {
        tag: "select", name: "race_id", required: true,
        options: races.map((r) => [String(r.id), `Round ${r.round}: ${r.name}`]),
        value: next ? String(next.id) : "", // the next race by default
      }),
      field("Teams", { name: "teams", type: "number", value: "6", min: 2, max: 11, required: true, inputmode: "numeric" }, "2 to 11: you and bots."),
      field("Pick clock", { tag: "select", name: "pick_seconds", value: "30", options: CLOCKS }),
      field("Your pick slot", { tag: "select", name: "my_slot", value: "" })),
    h("p", { class: "muted small" },
      "Bots take the other teams and pick from the driver rankings with a little randomness. ",
      "If your clock runs out, autopick picks for you. Nothing here counts for any standings; ",
      "a mock draft is deleted a day after it ends."),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "btn primary", disabled: !races.length }, "Start mock draft"),
      h("a", { href: "#/leagues", class: "btn ghost" }, "Back to leagues")),
  );
  const slot = form.my_slot;
  const refreshSlots = () => {
    const teams = Math.min(11, Math.max(2, Math.trunc(Number(form.teams.value)) || 2));
    const keep = Number(slot.value) <= teams ? slot.value : "";
    slot.replaceChildren(...slotOptions(teams));
    slot.value = keep;
  };
  form.teams.addEventListener("input", refreshSlots);
  refreshSlots();

  const mineBox = h("div", { "data-testid": "my-mocks" }, loading());
  mount(root,
    h("div", { class: "page-head" },
      h("div", {}, h("h1", {}, "Mock draft"),
        h("p", { class: "muted" }, "Try a draft on your own: a practice room against bots, with the real rules and clock."))),
    races.length ? form : h("section", { class: "card" }, h("p", { class: "muted" }, "No race of the current season is known yet.")),
    h("section", { class: "card", "aria-labelledby": "my-mocks-title" },
      h("h2", { id: "my-mocks-title" }, "My mock drafts"), mineBox));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    let ok = true;
    for (const [name, [lo, hi]] of Object.entries(RULES)) {
      const value = Number(form[name].value);
      if (!Number.isInteger(value) || value < lo || value > hi) {
        invalid(form, name, `Enter a whole number from ${lo} to ${hi}.`);
        ok = false;
      }
    }
    if (!ok) {
      form.querySelector("[aria-invalid]")?.focus();
      return;
    }
    const body = { race_id: Number(form.race_id.value), teams: Number(form.teams.value), pick_seconds: Number(form.pick_seconds.value) };
    if (slot.value) body.my_slot = Number(slot.value);
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const mock = await api("POST", "/mock-drafts", { body });
        toast("Mock draft created: it starts in a few seconds.", "success");
        navigate(mock.room);
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  loadMine(mineBox);
}

async function loadMine(box) {
  try {
    const mocks = await api("GET", "/mock-drafts", { fresh: true });
    mount(box, mocks.length
      ? h("ul", { class: "league-list" }, mocks.map((m) => h("li", { class: "league-card" },
        h("div", {},
          h("span", { class: "league-name" }, m.race_name),
          h("div", { class: "muted small" },
            `${m.teams} teams · ${m.pick_seconds} s clock · pick ${m.my_slot ?? "?"} · ${STATUS[m.status] || m.status} · ${formatDate(m.created_at)}`)),
        h("div", { class: "actions" },
          h("a", { class: "btn small", href: `#${m.room}` }, m.status === "complete" ? "See the board" : "Open room")))))
      : h("p", { class: "muted" }, "No mock drafts yet."));
  } catch (err) {
    mount(box, errorBox(err));
  }
}
