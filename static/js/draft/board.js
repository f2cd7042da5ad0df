// The draft board: rounds x teams (first-round order), filled as picks land.

import { contrastText, h } from "../dom.js";
import { driverName, shortName, teamColor } from "../data.js";

/** The pick number shown in column `col` (0-based) of round `round` (1-based). */
export function pickAt(round, col, teams, type) {
  const base = (round - 1) * teams;
  return type !== "linear" && round % 2 === 0 ? base + (teams - col) : base + col + 1;
}

/** The board table for the model's state. */
export function renderBoard(ctx) {
  const s = ctx.model.state;
  const n = s.order.length;
  const picks = new Map(s.picks.map((p) => [p.pick_no, p]));
  const current = s.current ? s.current.pick_no : null;
  const teams = s.order.map((id) => ctx.model.team(id) || { id, name: `Team ${id}` });
  const rounds = [];
  for (let r = 1; r <= s.picks_per_team; r += 1) rounds.push(r);
  return h(
    "table",
    { class: "board", "data-testid": "board", style: { "--teams": String(n) } },
    h("caption", { class: "sr-only" }, "Draft board: one row per round, one column per team in pick order"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Round")),
      teams.map((t) => h("th", {
        scope: "col",
        class: [isMine(ctx, t) ? "mine" : "", current && s.current.team_id === t.id ? "on-clock" : ""].join(" "),
        "data-team-id": t.id,
      },
      presenceDot(ctx, t),
      h("span", { class: "team-name" }, t.name),
      t.autodraft ? h("span", { class: "tag small", title: "Autodraft is on" }, "auto") : null)))),
    h("tbody", {}, rounds.map((r) => h("tr", {},
      h("th", { scope: "row" }, `R${r}`),
      teams.map((t, col) => cell(ctx, pickAt(r, col, n, s.type), picks, current, isMine(ctx, t)))))),
  );
}

/** In the room, away, or a bot (bots draft from the server: never "away"). */
export function presenceText(ctx, team) {
  if (team.is_bot ?? (ctx.bots && ctx.bots.has(team.id))) return "bot";
  return team.online ? "online" : "away";
}

function presenceDot(ctx, team) {
  const state = presenceText(ctx, team);
  return h("span", { class: `dot ${state}`, title: state === "online" ? "in the room" : state, "aria-label": state, role: "img" });
}

function isMine(ctx, team) {
  return Boolean(ctx.myTeam && team.id === ctx.myTeam.id);
}

function cell(ctx, pickNo, picks, current, mine) {
  const pick = picks.get(pickNo);
  const own = mine ? " mine" : "";
  if (pick) {
    const driver = ctx.drivers.get(pick.driver_id);
    const color = teamColor(driver);
    return h("td", {
      class: `filled by-${pick.by}${own}`,
      "data-pick": pickNo,
      "data-driver-id": pick.driver_id,
      style: { "--team": color, "--team-text": contrastText(color) },
      title: `Pick ${pickNo}: ${driverName(driver)}${pick.by !== "user" ? ` (${pick.by})` : ""}`,
    },
    h("span", { class: "pick-no" }, pickNo),
    h("span", { class: "code" }, shortName(driver)),
    h("span", { class: "name" }, driverName(driver)),
    pick.by !== "user" ? h("span", { class: "by" }, pick.by === "auto" ? "auto" : "comm.") : null);
  }
  const onClock = pickNo === current;
  return h("td", { class: (onClock ? "on-clock" : "empty") + own, "data-pick": pickNo, "aria-current": onClock ? "step" : false },
    h("span", { class: "pick-no" }, pickNo),
    onClock ? h("span", { class: "clock-label" }, "on the clock") : null);
}
