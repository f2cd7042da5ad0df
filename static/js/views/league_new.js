// #/leagues/new: create a league with its settings (checked here, and again by the API).

import { api } from "../api.js";
import { h } from "../dom.js";
import { navigate } from "../router.js";
import { busy, clearFieldErrors, field, invalid, showError, toast } from "../ui.js";

const RULES = {
  max_teams: [2, 11],
  pick_seconds: [5, 86400],
  picks_per_team: [1, 4],
  draft_opens_hours_before: [0, 336],
  captain_multiplier: [1, 3],
};

/** One choice for visibility (is_private) and who watches drafts (settings.spectators). */
const VISIBILITY = [
  ["private", "Private", "Join by invite code only; only members watch the drafts."],
  ["public", "Public", "Listed for everyone to join; only members watch the drafts."],
  ["public-watch", "Public, open drafts", "Listed for everyone; anyone logged in may watch the drafts."],
];

/** #/leagues/new */
export function newLeagueView(root) {
  const year = new Date().getUTCFullYear();
  let activeDrivers = null;
  const errors = h("div");
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "new-title" },
    h("h1", { id: "new-title" }, "Create a league"),
    errors,
    h("fieldset", {},
      h("legend", {}, "League"),
      h("div", { class: "grid two" },
        field("League name", { name: "name", required: true, maxlength: 64 }),
        field("Your team name", { name: "team_name", required: true, maxlength: 40 }),
        field("Season", { name: "season", type: "number", value: String(year), min: 1950, max: 2100, required: true }),
        field("Maximum teams", { name: "max_teams", type: "number", value: "8", min: 2, max: 11, required: true }, "2 to 11 teams."),
      ),
      h("fieldset", { class: "visibility" },
        h("legend", {}, "Who can find the league and watch its drafts"),
        VISIBILITY.map(([value, label, help], i) => h("div", { class: "check" },
          h("input", { type: "radio", id: `f-visibility-${value}`, name: "visibility", value, checked: i === 0, "aria-describedby": `f-visibility-${value}-help` }),
          h("label", { for: `f-visibility-${value}` }, label, " ", h("small", { id: `f-visibility-${value}-help`, class: "help" }, help))))),
      h("div", { class: "check" },
        h("input", { type: "checkbox", id: "f-spectator_chat", name: "spectator_chat" }),
        h("label", { for: "f-spectator_chat" }, "Spectators may read the draft chat")),
    ),
    h("fieldset", {},
      h("legend", {}, "Draft"),
      h("div", { class: "grid three" },
        field("Draft type", { tag: "select", name: "draft_type", value: "snake", options: [["snake", "Snake"], ["linear", "Linear"], ["auto", "Auto (all autopicks)"]] }),
        field("Seconds per pick", { name: "pick_seconds", type: "number", value: "60", min: 5, max: 86400, required: true }, "5 s to 24 h (86400): slow drafts run over days."),
        field("Picks per team", { name: "picks_per_team", type: "number", value: "2", min: 1, max: 4, required: true }, "1 to 4."),
        field("Pick order", { tag: "select", name: "order_policy", value: "rotate", options: [["rotate", "Rotate each race"], ["reverse_standings", "Reverse standings"], ["random", "Random"]] }),
        field("Draft opens (hours before qualifying)", { name: "draft_opens_hours_before", type: "number", value: "48", min: 0, max: 336, required: true }, "0 = the commissioner starts it."),
        field("Captain multiplier", { name: "captain_multiplier", type: "number", value: "1.5", min: 1, max: 3, step: "0.1", required: true }, "1.0 to 3.0."),
      ),
    ),
    h("details", {},
      h("summary", {}, "Slow drafts: quiet hours and notices"),
      h("div", { class: "check" },
        h("input", { type: "checkbox", id: "f-slow_draft_notifications", name: "slow_draft_notifications", checked: true }),
        h("label", { for: "f-slow_draft_notifications" }, "With clocks over 10 minutes, notify owners on the clock and on deck")),
      h("div", { class: "grid three" },
        field("Quiet from", { name: "quiet_start", type: "time" }),
        field("Quiet until", { name: "quiet_end", type: "time" }),
        field("Time zone", { name: "quiet_tz", value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" }, "An IANA zone, e.g. Europe/Berlin."))),
    h("details", {},
      h("summary", {}, "Scoring overrides (optional)"),
      h("div", { class: "field" },
        h("label", { for: "f-scoring" }, "Scoring as JSON, any subset of the keys"),
        h("textarea", { id: "f-scoring", name: "scoring", rows: 4, class: "mono", placeholder: '{"pole": 2, "dnf": -3}', "aria-describedby": "f-scoring-error" }),
        h("small", { id: "f-scoring-error", class: "field-error", "aria-live": "polite" }))),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "btn primary" }, "Create league"),
      h("a", { href: "#/leagues", class: "btn ghost" }, "Cancel")),
  );

  async function loadDriverCount() {
    try {
      const drivers = await api("GET", "/drivers", { query: { season: form.season.value }, auth: false });
      activeDrivers = drivers.filter((d) => d.active !== false).length;
    } catch {
      activeDrivers = null;
    }
  }
  form.season.addEventListener("change", loadDriverCount);
  loadDriverCount();

  function validate() {
    let ok = true;
    const num = (name) => Number(form[name].value);
    if (!form.name.value.trim()) ok = fail("name", "Give the league a name.");
    if (!form.team_name.value.trim()) ok = fail("team_name", "Name your team.");
    for (const [name, [lo, hi]] of Object.entries(RULES)) {
      const value = num(name);
      const whole = name !== "captain_multiplier";
      if (form[name].value === "" || !Number.isFinite(value) || value < lo || value > hi || (whole && !Number.isInteger(value))) {
        ok = fail(name, `Enter ${whole ? "a whole number" : "a number"} from ${lo} to ${hi}.`);
      }
    }
    if (ok && activeDrivers !== null && num("max_teams") * num("picks_per_team") > activeDrivers) {
      ok = fail("picks_per_team", `Teams × picks per team must not exceed the ${activeDrivers} drivers of the season.`);
    }
    if (form.scoring.value.trim()) {
      try {
        const parsed = JSON.parse(form.scoring.value);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error();
      } catch {
        ok = fail("scoring", "Scoring must be a JSON object, like {\"pole\": 2}.");
      }
    }
    return ok;
  }
  function fail(name, message) {
    invalid(form, name, message);
    return false;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    if (!validate()) {
      const first = form.querySelector("[aria-invalid]");
      first?.focus({ preventScroll: true });
      first?.scrollIntoView({ block: "center" }); // never under the sticky top bar
      return;
    }
    const settings = {
      draft_type: form.draft_type.value,
      pick_seconds: Number(form.pick_seconds.value),
      picks_per_team: Number(form.picks_per_team.value),
      order_policy: form.order_policy.value,
      draft_opens_hours_before: Number(form.draft_opens_hours_before.value),
      captain_multiplier: Number(form.captain_multiplier.value),
      spectators: form.visibility.value === "public-watch" ? "public" : "members",
      spectator_chat: form.spectator_chat.checked,
      slow_draft_notifications: form.slow_draft_notifications.checked,
    };
    if (form.scoring.value.trim()) settings.scoring = JSON.parse(form.scoring.value);
    if (form.quiet_start.value && form.quiet_end.value) {
      settings.quiet_hours = { start: form.quiet_start.value, end: form.quiet_end.value, tz: form.quiet_tz.value.trim() };
    }
    const body = {
      name: form.name.value.trim(),
      is_private: form.visibility.value === "private",
      max_teams: Number(form.max_teams.value),
      team_name: form.team_name.value.trim(),
      season: Number(form.season.value),
      settings,
    };
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const league = await api("POST", "/leagues", { body });
        toast("League created.", "success");
        navigate(`/leagues/${league.id}`);
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  root.append(form);
}
