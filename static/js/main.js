// Boot: the navigation bar, the routes and the session guard.

import { api } from "./api.js";
import { h, mount } from "./dom.js";
import { onNotifications, startNotifications, stopNotifications } from "./notifications.js";
import { isPublicRoute, navigate, render, route } from "./router.js";
import { currentUser, isSignedIn, onSessionChange, scheduleRefresh, setCurrentUser } from "./session.js";
import { loginView, logout, signupView } from "./views/auth.js";
import { draftRoomView } from "./views/draft_room.js";
import { landingView } from "./views/landing.js";
import { leaderboardsView } from "./views/leaderboards.js";
import { leagueView } from "./views/league.js";
import { newLeagueView } from "./views/league_new.js";
import { leaguesView } from "./views/leagues.js";
import { mockDraftView } from "./views/mock.js";
import { notificationsView } from "./views/notifications.js";
import { forgotView, resetView } from "./views/password.js";
import { standingsView } from "./views/standings.js";

route("/login", loginView, { public: true });
route("/signup", signupView, { public: true });
route("/", landingView, { public: true });
route("/forgot", forgotView, { public: true });
route("/reset", resetView, { public: true });
route("/leagues", leaguesView);
route("/leagues/new", newLeagueView);
route("/leagues/:id", leagueView);
route("/leagues/:id/draft", draftRoomView);
route("/leagues/:id/standings", standingsView);
route("/leagues/:id/standings/race/:race", standingsView);
route("/notifications", notificationsView);
route("/leaderboards", leaderboardsView);
route("/mock", mockDraftView);

let badge = null;
let unreadCount = 0;

function bellIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon-bell");
  svg.setAttribute("aria-hidden", "true");
  svg.innerHTML = '<path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>';
  return svg;
}

function showUnread() {
  if (!badge) return;
  badge.hidden = unreadCount === 0;
  badge.textContent = unreadCount > 99 ? "99+" : String(unreadCount);
  badge.setAttribute("aria-label", `${unreadCount} unread`);
}

function renderNav() {
  const nav = document.getElementById("nav");
  if (!isSignedIn()) {
    mount(nav, h("a", { href: "#/login" }, "Log in"), h("a", { href: "#/signup", class: "btn small" }, "Sign up"));
    badge = null;
    return;
  }
  const user = currentUser();
  badge = h("span", { class: "badge", hidden: true, "data-testid": "unread-badge" });
  mount(
    nav,
    h("a", { href: "#/leagues" }, "Leagues"),
    h("a", { href: "#/leaderboards" }, "Leaderboards"),
    h("a", { href: "#/notifications", class: "nav-notifications" },
      bellIcon(), h("span", { class: "nav-label" }, "Notifications"), badge),
    user ? h("span", { class: "nav-user", title: user.email || "" }, user.display_name || user.username) : null,
    h("button", { type: "button", class: "link", onclick: () => logout() }, "Log out"),
  );
  showUnread();
}

onNotifications((count) => {
  unreadCount = count;
  showUnread();
});

async function loadUser() {
  if (!isSignedIn() || currentUser()) return;
  try {
    setCurrentUser(await api("GET", "/users/me"));
  } catch {
    // an invalid session is cleared by api(); the guard sends the user to the login page
  }
}

function guard(r) {
  if (!r.isPublic && !isSignedIn()) {
    const back = window.location.hash.replace(/^#/, "");
    return back && back !== "/" ? `/login?next=${encodeURIComponent(back)}` : "/login";
  }
  return null;
}

let wasSignedIn = isSignedIn();
onSessionChange(async () => {
  const signedIn = isSignedIn();
  if (signedIn !== wasSignedIn) {
    wasSignedIn = signedIn;
    if (signedIn) {
      await loadUser();
      startNotifications();
    } else {
      stopNotifications();
      if (!isPublicRoute()) navigate("/login");
    }
  }
  renderNav();
});

window.addEventListener("hashchange", () => render(undefined, guard));

async function boot() {
  scheduleRefresh();
  await loadUser();
  renderNav();
  if (isSignedIn()) startNotifications();
  await render(undefined, guard);
}

boot();
