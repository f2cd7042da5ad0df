// The signed-in session: tokens in localStorage, transparent refresh, the current user.
// Refresh tokens rotate (a spent one revokes its family), so refreshes are serialised across
// tabs with the Web Locks API and a tab first checks whether another tab already refreshed.

const ACCESS = "draftroom.access_token";
const REFRESH = "draftroom.refresh_token";
const listeners = new Set();
let refreshing = null;
let timer = null;
let me = null;

export function accessToken() {
  return localStorage.getItem(ACCESS);
}

export function isSignedIn() {
  return Boolean(localStorage.getItem(REFRESH) || localStorage.getItem(ACCESS));
}

/** Store a token pair from /auth/login or /auth/refresh and plan the next refresh. */
export function setTokens(pair) {
  localStorage.setItem(ACCESS, pair.access_token);
  if (pair.refresh_token) localStorage.setItem(REFRESH, pair.refresh_token);
  scheduleRefresh();
  emit();
}

/** Forget the session (after logout or a failed refresh). */
export function clearSession() {
  localStorage.removeItem(ACCESS);
  localStorage.removeItem(REFRESH);
  me = null;
  clearTimeout(timer);
  emit();
}

export function refreshToken() {
  return localStorage.getItem(REFRESH);
}

/** Call `fn()` whenever the session changes (login, refresh, logout). */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit() {
  for (const fn of listeners) fn();
}

/** Seconds since the epoch at which the access token expires (0 if unknown). */
export function accessExpiry(token = accessToken()) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return Number(JSON.parse(atob(part)).exp) || 0;
  } catch {
    return 0;
  }
}

/**
 * Get a new token pair with the stored refresh token; resolves true on success.
 * `staleAccess` is the access token a request was refused with: if another tab has already
 * replaced it, that newer token is used instead of spending the refresh token again.
 */
export function refresh(staleAccess = accessToken()) {
  if (!refreshing) {
    refreshing = withLock(() => doRefresh(staleAccess)).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function withLock(fn) {
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request("draftroom-refresh", fn);
  }
  return fn();
}

async function doRefresh(staleAccess) {
  const current = accessToken();
  if (current && current !== staleAccess && accessExpiry(current) * 1000 > Date.now() + 30000) {
    scheduleRefresh();
    return true; // another tab refreshed meanwhile
  }
  const token = refreshToken();
  if (!token) return false;
  let response;
  try {
    response = await fetch("/api/v1/auth/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: token }),
    });
  } catch {
    return null; // offline: keep the session, try again later
  }
  if (!response.ok) {
    if (response.status === 401 || response.status === 400 || response.status === 422) {
      clearSession();
      return false;
    }
    return null;
  }
  setTokens(await response.json());
  return true;
}

/** Refresh a minute before the access token expires (also after the tab wakes up). */
export function scheduleRefresh() {
  clearTimeout(timer);
  const exp = accessExpiry();
  if (!exp || !refreshToken()) return;
  const wait = Math.max(1000, exp * 1000 - Date.now() - 60000);
  timer = setTimeout(() => refresh(), Math.min(wait, 2 ** 31 - 1));
}

/** A token fresh enough to open a socket with (refreshing first if it is about to expire). */
export async function freshAccessToken() {
  const exp = accessExpiry();
  if (exp && exp * 1000 < Date.now() + 15000) await refresh();
  return accessToken();
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && isSignedIn()) {
    const exp = accessExpiry();
    if (exp && exp * 1000 < Date.now() + 60000) refresh();
  }
});
window.addEventListener("storage", (event) => {
  if (event.key === ACCESS || event.key === REFRESH) {
    scheduleRefresh();
    if (!isSignedIn()) me = null;
    emit();
  }
});

/** The cached current user (GET /users/me), or null before it is loaded. */
export function currentUser() {
  return me;
}

export function setCurrentUser(user) {
  me = user;
}
