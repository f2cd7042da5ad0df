// Hash routing: "#/leagues/3/draft" -> the view registered for "/leagues/:id/draft".

const routes = [];
let cleanup = null;
let renderToken = 0;

/** Register `view(container, params) -> cleanup?` for a pattern like "/leagues/:id". */
export function route(pattern, view, { public: isPublic = false } = {}) {
  const names = [];
  const regex = new RegExp(
    "^" + pattern.replace(/:(\w+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    }) + "/?$",
  );
  routes.push({ regex, names, view, isPublic });
}

/** Go to a hash path ("/leagues/3"). */
export function navigate(path) {
  if (window.location.hash === `#${path}`) render();
  else window.location.hash = path;
}

export function currentPath() {
  return window.location.hash.replace(/^#/, "") || "/";
}

/**
 * Render the current route into `container`; `guard(route)` may return a redirect path.
 * The previous view's cleanup runs first (closing its sockets and timers).
 */
export async function render(container = document.getElementById("app"), guard = null) {
  const path = currentPath();
  const token = ++renderToken;
  if (cleanup) {
    try {
      cleanup();
    } catch (err) {
      console.error(err);
    }
    cleanup = null;
  }
  for (const r of routes) {
    const match = r.regex.exec(path.split("?")[0]);
    if (!match) continue;
    const redirect = guard ? guard(r) : null;
    if (redirect && redirect !== path) {
      navigate(redirect);
      return;
    }
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
    const query = new URLSearchParams(path.split("?")[1] || "");
    const page = document.createElement("div");
    page.className = "page";
    container.replaceChildren(page);
    const result = await r.view(page, params, query);
    if (token !== renderToken) {
      if (typeof result === "function") result(); // navigated away while loading
    } else {
      cleanup = typeof result === "function" ? result : null;
    }
    if (token === renderToken) focusMain(page);
    return;
  }
  navigate("/");
}

export function isPublicRoute(path = currentPath()) {
  const r = routes.find((x) => x.regex.exec(path.split("?")[0]));
  return Boolean(r && r.isPublic);
}

function focusMain(container) {
  const heading = container.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    document.title = `${heading.textContent} · draftroom`;
  }
}
