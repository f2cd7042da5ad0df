// The user's notifications: unread count (badge), live `notification` events on namespace "/".

import { api } from "./api.js";
import { openSocket } from "./sockets.js";
import { toast } from "./ui.js";

let socket = null;
let unread = 0;
const listeners = new Set();

/** Call `fn(unread, notification|null)` when the unread count changes or one arrives. */
export function onNotifications(fn) {
  listeners.add(fn);
  fn(unread, null);
  return () => listeners.delete(fn);
}

function emit(notification = null) {
  for (const fn of listeners) fn(unread, notification);
}

/** Connect the user socket and load the unread count (idempotent). */
export async function startNotifications() {
  if (!socket) {
    socket = openSocket("/");
    socket.on("notification", (notification) => {
      unread += 1;
      emit(notification);
      if (!inItsDraftRoom(notification)) toast(notification.title || "New notification", "info");
    });
    socket.on("connect", () => refreshUnread());
  }
  await refreshUnread();
}

/** True for a draft notice of the league whose draft room is open (the room shows it). */
function inItsDraftRoom(notification) {
  const leagueId = notification.data && notification.data.league_id;
  return Boolean(leagueId && notification.data.draft_id && window.location.hash === `#/leagues/${leagueId}/draft`);
}

/** Close the user socket (on logout). */
export function stopNotifications() {
  if (socket) socket.close();
  socket = null;
  unread = 0;
  emit();
}

/** Reload the unread count from the API. */
export async function refreshUnread() {
  try {
    const { data, total } = await api("GET", "/notifications", {
      query: { unread: "true", per_page: 1 },
      withTotal: true,
    });
    unread = Number.isFinite(total) ? total : (data || []).length;
    emit();
  } catch {
    // the badge is best-effort
  }
}

/** Set the unread count after marking notifications read. */
export function setUnread(count) {
  unread = Math.max(0, count);
  emit();
}
