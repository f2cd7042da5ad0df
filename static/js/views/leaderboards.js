// #/leaderboards: the season or one race's leaderboard across public leagues (plus mine),
// under the default scoring. Query: ?season=2026&race=12&page=2.

import { api } from "../api.js";
import * as data from "../data.js";
import { formatPoints, h, mount } from "../dom.js";
import { navigate } from "../router.js";
import { errorBox, loading } from "../ui.js";

const PER_PAGE = 50;
const SCORED = new Set(["provisional", "final"]);

/** #/leaderboards */
export async function leaderboardsView(root, _params, query) {
  const raceId = query.get("race") || "";
  const page = Math.max(1, Number(query.get("page")) || 1);
  let season = Number(query.get("season")) || null;
  const races = await data.races(season || undefined).catch(() => []);
  if (!season && races.length) season = races[0].season;
  const scored = races.filter((r) => SCORED.has(r.status));

  const picker = h("select", { id: "board-race", name: "race" },
    h("option", { value: "", selected: !raceId }, "Whole season"),
    scored.map((r) => h("option", { value: String(r.id), selected: String(r.id) === raceId }, `Round ${r.round}: ${r.name}`)));
  picker.addEventListener("change", () => go({ season, race: picker.value, page: 1 }));
  const box = h("div", { "data-testid": "leaderboard" }, loading());
  mount(root,
    h("div", { class: "page-head" },
      h("div", {}, h("h1", {}, "Leaderboards"),
        h("p", { class: "muted" }, `Season ${season || ""}: every team of every public league, and yours, by points under the default scoring.`))),
    h("section", { class: "card" },
      h("div", { class: "field inline" }, h("label", { for: "board-race" }, "Board"), picker),
      box));

  try {
    const path = raceId ? `/leaderboards/races/${raceId}` : "/leaderboards/season";
    const { data: rows, total } = await api("GET", path, {
      query: { season: raceId ? undefined : season, page, per_page: PER_PAGE }, withTotal: true, fresh: true,
    });
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const adjusted = rows.some((r) => r.scoring === "default_equivalent");
    mount(box,
      rows.length ? h("div", { class: "table-scroll" }, h("table", { class: "standings" },
        h("thead", {}, h("tr", {}, ["#", "Team", "League", "Points", raceId ? null : "Races", "League points"].filter(Boolean)
          .map((t, i) => h("th", { scope: "col", class: i >= 3 ? "num" : "" }, t)))),
        h("tbody", {}, rows.map((r) => h("tr", { class: r.mine ? "mine" : "", "data-team-id": r.team_id },
          h("td", {}, String(r.rank)),
          h("td", {}, r.team_name, r.mine ? h("span", { class: "tag small" }, "you") : null),
          h("td", {}, h("a", { href: `#/leagues/${r.league_id}` }, r.league_name)),
          h("td", { class: "num" }, formatPoints(r.points), r.scoring === "default_equivalent" ? h("span", { class: "muted", title: "This league scores otherwise: its points are recomputed under the default scoring." }, " *") : null),
          raceId ? null : h("td", { class: "num" }, String(r.races)),
          h("td", { class: "num" }, formatPoints(r.league_points))))))) : h("p", { class: "muted" }, "No scored teams yet."),
      adjusted ? h("p", { class: "muted small", "data-testid": "adjusted-note" }, "* This league scores otherwise; it is ranked by its default-scoring equivalent.") : null,
      pages > 1 ? h("nav", { class: "pager", "aria-label": "Pages" },
        h("button", { class: "btn small", disabled: page <= 1, onclick: () => go({ season, race: raceId, page: page - 1 }) }, "Previous"),
        h("span", {}, `Page ${page} of ${pages}`),
        h("button", { class: "btn small", disabled: page >= pages, onclick: () => go({ season, race: raceId, page: page + 1 }) }, "Next")) : null);
  } catch (err) {
    mount(box, errorBox(err));
  }
}

function go({ season, race, page }) {
  const query = new URLSearchParams();
  if (season) query.set("season", String(season));
  if (race) query.set("race", String(race));
  if (page > 1) query.set("page", String(page));
  navigate(`/leaderboards?${query}`);
}
