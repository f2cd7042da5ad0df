// #/leagues/:id: members, invite code, drafts (and scheduling them), standings summary.

import { api } from "../api.js";
import { formatDate, formatPoints, h, mount } from "../dom.js";
import * as data from "../data.js";
import { navigate } from "../router.js";
import { currentUser } from "../session.js";
import { busy, copyText, errorBox, field, loading, showError, toast } from "../ui.js";
import { commissionerId } from "./leagues.js";

/** #/leagues/:id */
export async function leagueView(root, { id }) {
  root.append(loading());
  let league;
  try {
    league = await data.league(id);
  } catch (err) {
    mount(root, h("h1", {}, "League"), errorBox(err));
    return;
  }
  const me = currentUser();
  const teams = league.teams || [];
  const myTeam = me ? teams.find((t) => t.user_id === me.id) : null;
  const isCommissioner = me && commissionerId(league) === me.id;
  const draftsBox = h("div", {}, loading());
  const standingsBox = h("div", {}, loading());
  mount(
    root,
    h("div", { class: "page-head" },
      h("div", {},
        h("h1", {}, league.name),
        h("p", { class: "muted" }, `Season ${league.season} · ${league.is_private ? "private" : "public"} · ${teams.length}/${league.max_teams} teams`,
          isCommissioner ? h("span", { class: "tag" }, "you are the commissioner") : null)),
      h("div", { class: "actions" },
        h("a", { class: "btn primary", href: `#/leagues/${id}/draft` }, myTeam ? "Open draft room" : "Watch draft"),
        h("a", { class: "btn", href: `#/leagues/${id}/standings` }, "Standings"))),
    h("div", { class: "grid two" },
      h("section", { class: "card", "aria-labelledby": "members-title" },
        h("h2", { id: "members-title" }, "Members"),
        membersList(league, teams, me),
        league.code ? inviteCode(league, isCommissioner) : null,
        !myTeam ? joinHere(league, teams.length) : null,
        myTeam && !league.is_demo ? emailPrefs(league) : null,
        myTeam && !isCommissioner ? leaveButton(league) : null),
      h("section", { class: "card", "aria-labelledby": "drafts-title" },
        h("h2", { id: "drafts-title" }, "Drafts"), draftsBox)),
    h("section", { class: "card", "aria-labelledby": "standings-title" },
      h("h2", { id: "standings-title" }, "Standings"), standingsBox),
    settingsSummary(league),
  );
  loadDrafts(draftsBox, league, isCommissioner);
  loadStandings(standingsBox, league);
}

function membersList(league, teams, me) {
  const commissioner = commissionerId(league);
  return h("ul", { class: "members" }, teams.map((t) =>
    h("li", { class: me && t.user_id === me.id ? "mine" : "" },
      h("span", { class: "team-name" }, t.name),
      h("span", { class: "muted small" }, ` ${t.username || t.display_name || t.user_name || ""}`),
      t.user_id === commissioner ? h("span", { class: "tag" }, "commissioner") : null,
      t.is_bot ? h("span", { class: "tag" }, "bot") : null)));
}

function inviteCode(league, isCommissioner) {
  const status = h("span", { class: "muted small", "aria-live": "polite" });
  const code = h("code", { class: "code", "aria-labelledby": "invite-label", "data-testid": "invite-code" }, league.code);
  return h("div", { class: "invite" },
    h("span", { id: "invite-label" }, "Invite code "),
    code,
    h("button", {
      type: "button",
      class: "btn small",
      onclick: async () => {
        status.textContent = (await copyText(code.textContent)) ? "Copied!" : "Copy failed: select the code instead.";
      },
    }, "Copy"),
    isCommissioner ? h("button", {
      type: "button",
      class: "btn small ghost",
      title: "The old code stops working",
      onclick: (event) => busy(event.currentTarget, async () => {
        if (!window.confirm("Make a new invite code? The current one will stop working.")) return;
        try {
          code.textContent = (await api("POST", `/leagues/${league.id}/code`)).code;
          status.textContent = "New code ready.";
        } catch (err) {
          status.textContent = err.message;
        }
      }),
    }, "New code") : null,
    status);
}

/** The join form; a full league (not a demo: there a visitor takes over a bot) says so. */
function joinHere(league, teamCount) {
  if (!league.is_demo && teamCount >= league.max_teams) {
    return h("p", { class: "muted", "data-testid": "league-full" }, "This league is full.");
  }
  const errors = h("div");
  const form = h("form", { class: "stack", novalidate: true },
    h("h3", {}, "Join this league"),
    errors,
    league.code ? null : field("Invite code", { name: "code", required: true, maxlength: 8 }),
    field("Your team name", { name: "team_name", required: true, maxlength: 40 }),
    h("button", { type: "submit", class: "btn" }, "Join"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button"), async () => {
      try {
        const team = await api("POST", "/leagues/join", {
          body: { code: league.code || form.code.value.trim(), team_name: form.team_name.value.trim() },
        });
        toast("Welcome to the league!", "success");
        navigate(`/leagues/${team.league_id || league.id}`); // a demo may seat you in a newer demo league
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  return form;
}

/** My opt-in to "draft opens" e-mails for this league (off by default). */
function emailPrefs(league) {
  const status = h("span", { class: "muted small", "aria-live": "polite", "data-testid": "email-prefs-status" });
  const box = h("input", {
    type: "checkbox",
    id: "email-draft-opens",
    disabled: true,
    onchange: async () => {
      box.disabled = true;
      try {
        const prefs = await api("PUT", `/leagues/${league.id}/email-prefs`, { body: { draft_opens: box.checked } });
        box.checked = prefs.draft_opens;
        status.textContent = prefs.draft_opens ? "You will get an e-mail when a draft opens." : "No e-mails.";
      } catch (err) {
        box.checked = !box.checked;
        status.textContent = err.message;
      } finally {
        box.disabled = false;
      }
    },
  });
  api("GET", `/leagues/${league.id}/email-prefs`).then((prefs) => {
    box.checked = prefs.draft_opens;
    box.disabled = false;
  }, (err) => { status.textContent = err.message; });
  return h("div", { class: "check email-prefs" },
    box, h("label", { for: "email-draft-opens" }, "E-mail me when a draft of this league opens"), status);
}

function leaveButton(league) {
  return h("button", {
    type: "button",
    class: "btn ghost danger",
    onclick: async (event) => {
      if (!window.confirm(`Leave ${league.name}? Your team will be removed.`)) return;
      await busy(event.currentTarget, async () => {
        try {
          await api("POST", `/leagues/${league.id}/leave`);
          toast("You left the league.");
          navigate("/leagues");
        } catch (err) {
          toast(err.message, "error");
        }
      });
    },
  }, "Leave league");
}

async function loadDrafts(box, league, isCommissioner) {
  try {
    const [drafts, races] = await Promise.all([
      api("GET", `/leagues/${league.id}/drafts`),
      data.races(league.season).catch(() => []),
    ]);
    const raceById = new Map(races.map((r) => [r.id, r]));
    const rows = drafts.map((d) => {
      const race = raceById.get(d.race_id);
      return h("li", { class: "draft-row" },
        h("span", {}, race ? `R${race.round} ${race.name}` : `Race ${d.race_id}`),
        h("span", { class: `status ${d.status}` }, d.status),
        h("span", { class: "muted small" }, d.status === "scheduled" && d.opens_at ? `opens ${formatDate(d.opens_at)}` : ""),
        ["live", "paused", "scheduled"].includes(d.status)
          ? h("a", { class: "btn small", href: `#/leagues/${league.id}/draft` }, "Draft room") : null);
    });
    const drafted = new Set(drafts.map((d) => d.race_id));
    const upcoming = races.filter((r) => r.status === "scheduled" && !drafted.has(r.id)
      && new Date(r.qualifying_at || r.starts_at).getTime() > Date.now());
    mount(box,
      rows.length ? h("ul", { class: "drafts" }, rows) : h("p", { class: "muted" }, "No draft yet."),
      isCommissioner ? scheduleForm(league, upcoming, box) : null);
  } catch (err) {
    mount(box, errorBox(err));
  }
}

function scheduleForm(league, upcoming, box) {
  if (!upcoming.length) return h("p", { class: "muted" }, "No upcoming race left to draft for.");
  const errors = h("div");
  const form = h("form", { class: "stack", novalidate: true },
    h("h3", {}, "Create a draft"),
    errors,
    field("Race", { tag: "select", name: "race_id", options: upcoming.map((r) => [r.id, `R${r.round} ${r.name} (${formatDate(r.qualifying_at || r.starts_at)})`]) }),
    field("Opens at (optional)", { name: "opens_at", type: "datetime-local" }, "Leave empty to follow the league setting, or start it yourself."),
    h("button", { type: "submit", class: "btn" }, "Create draft"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { race_id: Number(form.race_id.value) };
    if (form.opens_at.value) body.opens_at = new Date(form.opens_at.value).toISOString();
    await busy(form.querySelector("button"), async () => {
      try {
        await api("POST", `/leagues/${league.id}/drafts`, { body });
        toast("Draft created.", "success");
        loadDrafts(box, league, true);
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  return form;
}

async function loadStandings(box, league) {
  try {
    const rows = await api("GET", `/leagues/${league.id}/standings`);
    mount(box, rows.length && rows.some((r) => r.races)
      ? h("ol", { class: "standings-mini" }, rows.slice(0, 5).map((r) =>
        h("li", {}, h("span", {}, r.team_name), h("strong", {}, formatPoints(r.points)))))
      : h("p", { class: "muted" }, "No race scored yet."),
    h("a", { href: `#/leagues/${league.id}/standings` }, "Full standings and history →"));
  } catch (err) {
    mount(box, errorBox(err));
  }
}

function settingsSummary(league) {
  const s = league.settings || {};
  const items = [
    ["Draft type", s.draft_type], ["Seconds per pick", s.pick_seconds], ["Picks per team", s.picks_per_team],
    ["Pick order", s.order_policy], ["Draft opens (h before qualifying)", s.draft_opens_hours_before],
    ["Captain multiplier", s.captain_multiplier], ["Spectators", s.spectators],
    ["Quiet hours", s.quiet_hours === undefined ? undefined : (s.quiet_hours ? `${s.quiet_hours.start}–${s.quiet_hours.end} (${s.quiet_hours.tz})` : "none")],
    ["Spectators read chat", s.spectator_chat === undefined ? undefined : (s.spectator_chat ? "yes" : "no")],
  ].filter(([, v]) => v !== undefined);
  return h("section", { class: "card", "aria-labelledby": "settings-title" },
    h("h2", { id: "settings-title" }, "Settings"),
    h("dl", { class: "settings" }, items.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])));
}
