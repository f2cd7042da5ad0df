// #/ for a visitor who is not signed in: what draftroom is, the demo draft live (read-only,
// no account needed), the way to a seat, and a mock draft to try it alone. A signed-in user
// gets the leagues page.

import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { isSignedIn } from "../session.js";
import { watchDemoRoom } from "./draft_room.js";
import { leaguesView } from "./leagues.js";

/** #/ */
export async function landingView(root, params, query) {
  if (isSignedIn()) return leaguesView(root, params, query);
  const demoBox = h("div", { "data-testid": "demo-watch" }, h("p", { class: "muted", role: "status" }, "Opening the demo draft…"));
  const seat = h("a", { class: "btn primary", href: "#/signup" }, "Sign up and take a seat");
  mount(root,
    h("section", { class: "hero", "aria-labelledby": "hero-title" },
      h("h1", { id: "hero-title" }, "Draft Formula 1 drivers live with your friends"),
      h("p", { class: "lead" },
        "draftroom is a fantasy F1 draft room. Form a league, then before each race weekend ",
        "draft real drivers live, in turn, against a pick clock. After the race your drivers ",
        "score from the official results, and the league table keeps count all season."),
      h("ul", { class: "hero-points" },
        h("li", {}, "Live snake drafts on your phone or desktop, with a queue and autodraft"),
        h("li", {}, "Scores from real race results, re-scored when the stewards change them"),
        h("li", {}, "Standings, a captain per race, and alerts when you are on the clock")),
      h("div", { class: "actions" }, seat, h("a", { class: "btn", href: "#/login" }, "Log in")),
      h("p", { class: "try-alone" }, "Want to try it alone first? ",
        h("a", { href: `#/signup?next=${encodeURIComponent("/mock")}`, "data-testid": "try-mock" }, "Try a mock draft"),
        " against bots, for any race of the season.")),
    h("section", { class: "card demo-watch", "aria-labelledby": "demo-title" },
      h("h2", { id: "demo-title" }, "Watch the demo draft, live"),
      h("p", { class: "muted" }, "Bots draft here around the clock. Watching needs no account; ",
        "sign up to take a seat: every visitor gets one."),
      demoBox));
  let league;
  try {
    league = await api("GET", "/demo", { auth: false, fresh: true });
  } catch {
    mount(demoBox, h("p", { class: "muted" }, "No demo league runs on this server right now."));
    return null;
  }
  seat.setAttribute("href", `#/signup?next=${encodeURIComponent(`/leagues/${league.id}`)}`);
  return watchDemoRoom(demoBox, league);
}
