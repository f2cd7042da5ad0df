// #/leagues/:id/standings: table, per-race chart, race breakdown, captain for the next race.

import { api } from "../api.js";
import { legend, lineChart } from "../chart.js";
import * as data from "../data.js";
import { formatDate, formatPoints, h, mount } from "../dom.js";
import { currentUser } from "../session.js";
import { openSocket } from "../sockets.js";
import { busy, errorBox, loading, toast } from "../ui.js";

const SCORED = new Set(["provisional", "final"]);

/** #/leagues/:id/standings (and .../standings/race/:race: that race's breakdown shown) */
export async function standingsView(root, { id, race: focusRace = null }) {
  root.append(loading());
  let league;
  try {
    league = await data.league(id);
  } catch (err) {
    mount(root, h("h1", {}, "Standings"), errorBox(err));
    return null;
  }
  const me = currentUser();
  const myTeam = me ? (league.teams || []).find((t) => t.user_id === me.id) : null;
  const tableBox = h("div", { "data-testid": "standings" });
  const chartBox = h("div");
  const breakdownBox = h("div");
  const captainBox = h("div");
  mount(root,
    h("div", { class: "page-head" },
      h("div", {}, h("h1", {}, `${league.name} standings`), h("p", { class: "muted" }, `Season ${league.season}`)),
      h("div", { class: "actions" },
        h("a", { class: "btn", href: `#/leagues/${id}/draft` }, "Draft room"),
        h("a", { class: "btn ghost", href: `#/leagues/${id}` }, "League"))),
    h("section", { class: "card", "aria-labelledby": "table-title" }, h("h2", { id: "table-title" }, "Table"), tableBox),
    myTeam ? h("section", { class: "card", "aria-labelledby": "captain-title" }, h("h2", { id: "captain-title" }, "Captain for the next race"), captainBox) : null,
    h("section", { class: "card", "aria-labelledby": "chart-h" }, h("h2", { id: "chart-h" }, "Points per race"), chartBox),
    h("section", { class: "card", "aria-labelledby": "breakdown-title" }, h("h2", { id: "breakdown-title" }, "Race breakdown"), breakdownBox));

  const drivers = await data.driverIndex(league.season).catch(() => new Map());
  async function refresh() {
    const races = await data.races(league.season).catch(() => []);
    loadTable(tableBox, league);
    loadHistory(chartBox, breakdownBox, league, races, drivers, focusRace);
    if (myTeam) loadCaptain(captainBox, league, myTeam, races, drivers);
  }
  await refresh();
  // Live updates: the league namespace sends `standings` when results are scored.
  const socket = openSocket(`/league/${id}`);
  socket.on("standings", () => refresh());
  return () => socket.close();
}

async function loadTable(box, league) {
  try {
    const rows = await api("GET", `/leagues/${league.id}/standings`, { fresh: true });
    const me = currentUser();
    mount(box, h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Standings table" }, h("table", { class: "standings" },
      h("thead", {}, h("tr", {}, ["#", "Team", "Points", "Races", "Wins", "Last race"].map((t, i) => h("th", { scope: "col", class: i >= 2 ? "num" : "" }, t)))),
      h("tbody", {}, rows.map((r) => h("tr", { class: me && r.user_id === me.id ? "mine" : "" },
        h("td", {}, r.rank), h("th", { scope: "row" }, r.team_name), h("td", { class: "num" }, formatPoints(r.points)),
        h("td", { class: "num" }, r.races), h("td", { class: "num" }, r.wins),
        h("td", { class: "num" }, r.last_race_points === null || r.last_race_points === undefined ? "–" : formatPoints(r.last_race_points))))))));
  } catch (err) {
    mount(box, errorBox(err));
  }
}

async function loadHistory(chartBox, breakdownBox, league, races, drivers, focusRace = null) {
  const withResults = races.filter((r) => SCORED.has(r.status)).sort((a, b) => a.round - b.round);
  const all = await Promise.all(withResults.map((r) => api("GET", `/leagues/${league.id}/races/${r.id}/scores`, { fresh: true }).catch(() => [])));
  const keep = all.map((rows, i) => (rows && rows.length ? i : -1)).filter((i) => i >= 0);
  const scored = keep.map((i) => withResults[i]); // races this league drafted for
  const scores = keep.map((i) => all[i]);
  if (!scored.length) {
    mount(chartBox, h("p", { class: "muted" }, "No race has been scored yet."));
    mount(breakdownBox, h("p", { class: "muted" }, "Results appear here after each race."));
    return;
  }
  const teams = league.teams || [];
  const byTeam = (i, teamId) => (scores[i].find((s) => s.team_id === teamId) || { points: 0 }).points;
  const labels = scored.map((r) => `R${r.round}`);
  let cumulative = true;
  const series = () => teams.map((t) => {
    let total = 0;
    return { name: t.name, values: scored.map((_, i) => (cumulative ? (total = Math.round((total + Number(byTeam(i, t.id) || 0)) * 10) / 10) : Number(byTeam(i, t.id) || 0))) };
  });
  const chartSlot = h("div", { class: "chart-wrap", tabindex: "0", role: "region", "aria-label": "Points chart" });
  const drawChart = () => {
    const s = series();
    mount(chartSlot, lineChart({ labels, series: s, title: cumulative ? "Cumulative points after each race" : "Points scored in each race" }), legend(s));
  };
  const toggle = h("div", { class: "segmented", role: "group", "aria-label": "Chart mode" },
    ...[["Cumulative", true], ["Per race", false]].map(([text, value]) => h("button", {
      type: "button",
      class: "btn small",
      "aria-pressed": String(cumulative === value),
      onclick: (e) => {
        cumulative = value;
        for (const b of e.currentTarget.parentElement.children) b.setAttribute("aria-pressed", String(b === e.currentTarget));
        drawChart();
      },
    }, text)));
  drawChart();
  mount(chartBox, toggle, chartSlot);

  const focused = scored.findIndex((r) => String(r.id) === String(focusRace));
  const shown = focused >= 0 ? focused : scored.length - 1;
  const select = h("select", { id: "breakdown-race" }, scored.map((r, i) => h("option", { value: i, selected: i === shown }, `R${r.round} ${r.name}`)));
  const tableSlot = h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Race breakdown table" });
  const drawTable = () => {
    const i = Number(select.value);
    mount(tableSlot, breakdownTable(scores[i], drivers, scored[i]));
  };
  select.addEventListener("change", drawTable);
  drawTable();
  mount(breakdownBox, h("div", { class: "field inline" }, h("label", { for: "breakdown-race" }, "Race"), select), tableSlot);
  if (focused >= 0) breakdownBox.scrollIntoView({ block: "start" });
}

function breakdownTable(rows, drivers, race) {
  if (!rows.length) return h("p", { class: "muted" }, `No scores for ${race.name}.`);
  const sorted = [...rows].sort((a, b) => b.points - a.points);
  return h("table", { class: "breakdown" },
    h("caption", {}, `${race.name}: ${race.status === "final" ? "final" : "provisional"} results`),
    h("thead", {}, h("tr", {}, ["Team", "Driver", "Driver points", "Counted", "Team total"].map((t, i) => h("th", { scope: "col", class: i >= 2 ? "num" : "" }, t)))),
    sorted.flatMap((team) => {
      const list = team.drivers || [];
      return h("tbody", {}, list.map((d, k) => h("tr", {},
        k === 0 ? h("th", { scope: "rowgroup", rowspan: list.length }, team.team_name) : null,
        h("td", {}, data.driverName(drivers.get(d.driver_id)), d.captain ? h("span", { class: "tag small", title: "Captain" }, "C") : null),
        h("td", { class: "num" }, formatPoints(d.fantasy_points)),
        h("td", { class: "num" }, formatPoints(d.points)),
        k === 0 ? h("td", { class: "num total", rowspan: list.length }, formatPoints(team.points)) : null)));
    }));
}

/** The captain form for the next race whose draft is complete and that has not locked yet. */
async function loadCaptain(box, league, team, races, drivers) {
  mount(box, loading());
  try {
    const drafts = await api("GET", `/leagues/${league.id}/drafts`);
    const raceById = new Map(races.map((r) => [r.id, r]));
    const open = drafts
      .filter((d) => d.status === "complete")
      .map((d) => ({ draft: d, race: raceById.get(d.race_id) }))
      .filter(({ draft, race }) => race && race.status === "scheduled" && lockTime(draft, race) > Date.now())
      .sort((a, b) => a.race.round - b.race.round)[0];
    if (!open) {
      mount(box, h("p", { class: "muted" }, "No race to name a captain for right now: captains are named after a draft completes, until qualifying."));
      return;
    }
    const picks = (await api("GET", `/drafts/${open.draft.id}/picks`)).filter((p) => p.team_id === team.id).sort((a, b) => a.pick_no - b.pick_no);
    const current = await currentCaptain(team.id, open.race.id);
    const errors = h("div");
    const form = h("form", { class: "stack" },
      h("fieldset", {},
        h("legend", {}, `${open.race.name} · locks ${formatDate(lockTime(open.draft, open.race))}`),
        picks.map((p, i) => h("div", { class: "check" },
          h("input", { type: "radio", name: "captain", id: `captain-${p.driver_id}`, value: p.driver_id, checked: current ? current === p.driver_id : i === 0 }),
          h("label", { for: `captain-${p.driver_id}` }, data.driverName(drivers.get(p.driver_id)), i === 0 && !current ? h("span", { class: "muted small" }, " (default: first pick)") : null)))),
      errors,
      h("button", { type: "submit", class: "btn primary" }, "Save captain"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const choice = form.querySelector("input[name=captain]:checked");
      if (!choice) return;
      await busy(form.querySelector("button"), async () => {
        try {
          await api("PUT", `/teams/${team.id}/races/${open.race.id}/captain`, { body: { driver_id: Number(choice.value) } });
          errors.replaceChildren();
          toast("Captain saved.", "success");
        } catch (err) {
          mount(errors, errorBox(err));
        }
      });
    });
    mount(box, picks.length ? form : h("p", { class: "muted" }, "Your team has no drivers in this draft."));
  } catch (err) {
    mount(box, errorBox(err));
  }
}

function lockTime(draft, race) {
  const times = [draft.locks_at, race.qualifying_at, race.starts_at].filter(Boolean).map((t) => new Date(t).getTime());
  return Math.min(...times);
}

async function currentCaptain(teamId, raceId) {
  try {
    const history = await api("GET", `/teams/${teamId}/history`, { fresh: true });
    const rows = Array.isArray(history) ? history : history.races || [];
    const row = rows.find((r) => r.race_id === raceId);
    return row ? row.captain_driver_id ?? null : null;
  } catch {
    return null;
  }
}
