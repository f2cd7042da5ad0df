// #/notifications: the list, mark one or all read; new ones appear live.

import { api } from "../api.js";
import { formatDate, formatPoints, h, mount } from "../dom.js";
import { onNotifications, refreshUnread, setUnread } from "../notifications.js";
import { busy, errorBox, loading } from "../ui.js";

/** #/notifications */
export async function notificationsView(root) {
  const list = h("div", {}, loading());
  let unreadOnly = false;
  const filter = h("input", { type: "checkbox", id: "unread-only" });
  filter.addEventListener("change", () => {
    unreadOnly = filter.checked;
    load();
  });
  root.append(
    h("div", { class: "page-head" },
      h("h1", {}, "Notifications"),
      h("div", { class: "actions" },
        h("span", { class: "check" }, filter, h("label", { for: "unread-only" }, "Unread only")),
        h("button", {
          type: "button",
          class: "btn",
          onclick: (e) => busy(e.currentTarget, async () => {
            await api("POST", "/notifications/read-all");
            setUnread(0);
            await load();
          }),
        }, "Mark all read"))),
    h("section", { class: "card" }, list));

  /** Where a notification leads: the draft room for draft notices, race scores for results. */
  function link(n) {
    const d = n.data || {};
    if (!d.league_id) return null;
    if (d.draft_id) return h("a", { class: "small", href: `#/leagues/${d.league_id}/draft` }, "Open the draft room →");
    if (d.race_id) return h("a", { class: "small", href: `#/leagues/${d.league_id}/standings/race/${d.race_id}` }, "Race scores →");
    return h("a", { class: "small", href: `#/leagues/${d.league_id}` }, "League →");
  }

  async function load() {
    try {
      const items = await api("GET", "/notifications", { query: { unread: unreadOnly ? "true" : "", per_page: 100 } });
      mount(list, items.length ? h("ul", { class: "notifications" }, items.map(item))
        : h("p", { class: "muted" }, unreadOnly ? "No unread notification." : "Nothing yet."));
    } catch (err) {
      mount(list, errorBox(err));
    }
  }

  function item(n) {
    const d = n.data || {};
    return h("li", { class: n.read_at ? "read" : "unread" },
      h("div", {},
        h("strong", {}, n.title),
        h("div", {}, n.body),
        n.kind === "results_corrected" && d.old_points !== undefined
          ? h("div", { class: "small" }, `Points ${formatPoints(d.old_points)} → ${formatPoints(d.new_points)}`, d.reason ? ` (${d.reason})` : "") : null,
        link(n),
        h("div", { class: "muted small" }, formatDate(n.created_at))),
      n.read_at ? null : h("button", {
        type: "button",
        class: "btn small ghost",
        "aria-label": `Mark read: ${n.title}`,
        onclick: (e) => busy(e.currentTarget, async () => {
          await api("POST", `/notifications/${n.id}/read`);
          await refreshUnread();
          await load();
        }),
      }, "Mark read"));
  }

  await load();
  let first = true;
  return onNotifications((_count, notification) => {
    if (first) {
      first = false;
      return;
    }
    if (notification) load();
  });
}
