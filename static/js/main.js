// Boot: the navigation bar, the routes and the session guard.

import { api } from "./api.js";
import { h, mount } from "./dom.js";
import { onNotifications, startNotifications, stopNotifications } from "./notifications.js";
import { isPublicRoute, navigate, render, route } from "./router.js";
import { currentUser, isSignedIn, onSessionChange, scheduleRefresh, setCurrentUser } from "./session.js";
import { loginView, logout, signupView } from "./views/auth.js";
import { draftRoomView } from "./views/draft_room.js";
import { leagueView } from "./views/league.js";
import { newLeagueView } from "./views/league_new.js";
import { leaguesView } from "./views/leagues.js";
import { notificationsView } from "./views/notifications.js";
import { standingsView } from "./views/standings.js";

route("/login", loginView, { public: true });
route("/signup", signupView, { public: true });
route("/", leaguesView);
route("/leagues", leaguesView);
route("/leagues/new", newLeagueView);
route("/leagues/:id", leagueView);
route("/leagues/:id/draft", draftRoomView);
route("/leagues/:id/standings", standingsView);
route("/notifications", notificationsView);

let badge = null;

function renderNav() {
  const nav = document.getElementById("nav");
  if (!isSignedIn()) {
    mount(nav, h("a", { href: "#/login" }, "Log in"), h("a", { href: "#/signup", class: "btn small" }, "Sign up"));
    badge = null;
    return;
  }
  const user = currentUser();
  badge = h("span", { class: "badge", hidden: true, "aria-live": "polite" });
  mount(
    nav,
    h("a", { href: "#/leagues" }, "Leagues"),
    h("a", { href: "#/notifications", class: "nav-notifications", "aria-label": "Notifications" },
      h("span", { "aria-hidden": "true" }, "🔔"), h("span", { class: "nav-label" }, " Notifications"), badge),
    user ? h("span", { class: "nav-user", title: user.email || "" }, user.display_name || user.username) : null,
    h("button", { type: "button", class: "link", onclick: () => logout() }, "Log out"),
  );
}

onNotifications((count) => {
  if (!badge) return;
  badge.hidden = count === 0;
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.setAttribute("aria-label", `${count} unread`);
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
