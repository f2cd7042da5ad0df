// #/leagues: my leagues, join by code, public leagues with search and pages.

import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { navigate } from "../router.js";
import { currentUser } from "../session.js";
import { busy, clearFieldErrors, errorBox, field, invalid, loading, showError, toast } from "../ui.js";

const PER_PAGE = 20;

function teamCount(league) {
  if (Array.isArray(league.teams)) return league.teams.length;
  return league.team_count ?? league.teams_count ?? league.member_count ?? "?";
}

/** The commissioner's user id of a league, whatever the field is called. */
export function commissionerId(league) {
  if (league.commissioner_id !== undefined) return league.commissioner_id;
  if (league.commissioner && typeof league.commissioner === "object") return league.commissioner.id;
  return league.commissioner;
}

function leagueCard(league, mine) {
  const me = currentUser();
  const isCommissioner = me && commissionerId(league) === me.id;
  return h(
    "li",
    { class: "league-card" },
    h("div", {},
      h("a", { href: `#/leagues/${league.id}`, class: "league-name" }, league.name),
      h("div", { class: "muted small" },
        `Season ${league.season} · ${teamCount(league)}/${league.max_teams} teams · `,
        league.is_private ? "private" : "public",
        isCommissioner ? h("span", { class: "tag" }, "commissioner") : null),
    ),
    mine
      ? h("div", { class: "actions" },
        h("a", { class: "btn small", href: `#/leagues/${league.id}/draft` }, "Draft room"),
        h("a", { class: "btn small ghost", href: `#/leagues/${league.id}/standings` }, "Standings"))
      : h("div", { class: "actions" }, h("a", { class: "btn small ghost", href: `#/leagues/${league.id}` }, "View")),
  );
}

/** #/leagues */
export async function leaguesView(root) {
  const mineBox = h("div", {}, loading());
  const publicBox = h("div", {});
  root.append(
    h("div", { class: "page-head" },
      h("h1", {}, "Leagues"),
      h("div", { class: "actions" },
        h("a", { class: "btn", href: "#/mock", "data-testid": "try-mock" }, "Try a mock draft"),
        h("a", { class: "btn primary", href: "#/leagues/new" }, "Create a league"))),
    h("div", { class: "grid two" },
      h("section", { class: "card", "aria-labelledby": "mine-title" }, h("h2", { id: "mine-title" }, "My leagues"), mineBox),
      h("section", { class: "card", "aria-labelledby": "join-title" }, h("h2", { id: "join-title" }, "Join with an invite code"), joinForm())),
    h("section", { class: "card", "aria-labelledby": "public-title" }, h("h2", { id: "public-title" }, "Public leagues"), publicBox),
  );
  loadMine(mineBox);
  publicLeagues(publicBox);
}

async function loadMine(box) {
  try {
    const leagues = await api("GET", "/leagues/mine");
    mount(box, leagues.length
      ? h("ul", { class: "league-list" }, leagues.map((l) => leagueCard(l, true)))
      : h("p", { class: "muted" }, "You are not in a league yet: create one or join with a code."));
  } catch (err) {
    mount(box, errorBox(err));
  }
}

function joinForm() {
  const errors = h("div");
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    errors,
    field("Invite code", { name: "code", required: true, maxlength: 8, autocomplete: "off", placeholder: "ABCD1234", class: "mono" }),
    field("Your team name", { name: "team_name", required: true, maxlength: 40 }),
    h("button", { type: "submit", class: "btn" }, "Join league"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    const code = form.code.value.trim();
    const teamName = form.team_name.value.trim();
    if (!code) invalid(form, "code", "Enter the 8-character code you were given.");
    if (!teamName) invalid(form, "team_name", "Name your team.");
    if (!code || !teamName) return;
    await busy(form.querySelector("button"), async () => {
      try {
        const team = await api("POST", "/leagues/join", { body: { code, team_name: teamName } });
        toast(`Joined as ${team.name || teamName}.`, "success");
        const leagueId = team.league_id ?? (team.league && team.league.id);
        navigate(leagueId ? `/leagues/${leagueId}` : "/leagues");
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  return form;
}

function publicLeagues(box) {
  let page = 1;
  const results = h("div", { "aria-live": "polite" });
  const search = h("input", { type: "search", id: "league-search", name: "q", placeholder: "Search by name" });
  const form = h("form", { class: "inline", role: "search" },
    h("label", { for: "league-search", class: "sr-only" }, "Search public leagues"), search,
    h("button", { type: "submit", class: "btn" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    page = 1;
    load();
  });
  async function load() {
    mount(results, loading());
    try {
      const { data, total } = await api("GET", "/leagues", {
        query: { q: search.value.trim(), page, per_page: PER_PAGE },
        withTotal: true,
      });
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      mount(results,
        data.length ? h("ul", { class: "league-list" }, data.map((l) => leagueCard(l, false)))
          : h("p", { class: "muted" }, "No public league matches."),
        pages > 1 ? h("nav", { class: "pager", "aria-label": "Pages" },
          h("button", { class: "btn small", disabled: page <= 1, onclick: () => { page -= 1; load(); } }, "Previous"),
          h("span", {}, `Page ${page} of ${pages}`),
          h("button", { class: "btn small", disabled: page >= pages, onclick: () => { page += 1; load(); } }, "Next")) : null);
    } catch (err) {
      mount(results, errorBox(err));
    }
  }
  mount(box, form, results);
  load();
}
