// Available drivers of the race's entry list: team colour, number, season points and form,
// search, team filter, sort by points or form, one-click pick.

import { formatPoints, h, mount } from "../dom.js";
import { driverName, teamColor } from "../data.js";

/** Keep keyboard focus on "the same" control (same data-key) across a re-render. */
export function keepFocus(container, rerender) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : null;
  rerender();
  if (key) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again && !again.disabled) again.focus({ preventScroll: true });
    else container.focus({ preventScroll: true });
  }
}

/** The panel; call `update(ctx)` after every change of the draft or the queue. */
export function driversPanel() {
  let ctx = null;
  const search = h("input", { type: "search", id: "driver-search", placeholder: "Name or number", autocomplete: "off" });
  const team = h("select", { id: "driver-team" }, h("option", { value: "" }, "All teams"));
  const list = h("ul", { class: "drivers", tabindex: "-1", "aria-label": "Available drivers", "data-testid": "drivers" });
  const count = h("span", { class: "muted small", "aria-live": "polite" });
  const sort = h("select", { id: "driver-sort" },
    h("option", { value: "points" }, "Season points"),
    h("option", { value: "form" }, "Form (last 3)"));
  search.addEventListener("input", () => render());
  team.addEventListener("change", () => render());
  sort.addEventListener("change", () => render());
  const element = h("section", { class: "card panel drivers-panel", "aria-labelledby": "drivers-title" },
    h("h2", { id: "drivers-title" }, "Available drivers ", count),
    h("div", { class: "filters" },
      h("div", { class: "field" }, h("label", { for: "driver-search" }, "Search"), search),
      h("div", { class: "field" }, h("label", { for: "driver-team" }, "Team"), team),
      h("div", { class: "field" }, h("label", { for: "driver-sort" }, "Sort"), sort)),
    list);

  function fillTeams() {
    if (team.options.length > 1) return;
    const seen = new Map();
    for (const d of ctx.drivers.values()) if (d.constructor_info) seen.set(d.constructor_info.id, d.constructor_info.name);
    for (const [id, name] of [...seen].sort((a, b) => a[1].localeCompare(b[1]))) team.append(h("option", { value: id }, name));
  }

  function render() {
    if (!ctx || !ctx.model.state) return;
    fillTeams();
    const taken = ctx.model.takenDriverIds();
    const q = search.value.trim().toLowerCase();
    const queued = new Set(ctx.queue.driver_ids);
    const entered = ctx.entries;
    const formOf = (d) => (ctx.stats[d.id] ? ctx.stats[d.id].form_points || 0 : 0);
    const key = sort.value === "form" ? formOf : (d) => ctx.points[d.id] || 0;
    const rows = [...ctx.drivers.values()]
      .filter((d) => (entered ? entered.has(d.id) : d.active !== false) && !taken.has(d.id))
      .filter((d) => !team.value || String(d.constructor_id) === team.value)
      .filter((d) => !q || `${driverName(d)} ${d.code || ""} ${d.number ?? ""} ${d.constructor_info ? d.constructor_info.name : ""}`.toLowerCase().includes(q))
      .sort((a, b) => key(b) - key(a) || (ctx.points[b.id] || 0) - (ctx.points[a.id] || 0) || (a.number ?? 999) - (b.number ?? 999));
    count.textContent = `(${rows.length})`;
    const canPick = ctx.canPick();
    keepFocus(list, () => mount(list, rows.length ? rows.map((d) => row(d, canPick, queued.has(d.id)))
      : h("li", { class: "muted" }, "No driver matches.")));
  }

  function row(d, canPick, isQueued) {
    const name = driverName(d);
    return h("li", { class: "driver", style: { "--team": teamColor(d) }, "data-driver-id": d.id },
      h("span", { class: "swatch", "aria-hidden": "true" }),
      h("span", { class: "number", title: "Car number" }, d.number ?? "–"),
      h("span", { class: "who" }, h("span", { class: "name" }, name),
        h("span", { class: "muted small" }, d.constructor_info ? `${d.constructor_info.name} · ` : "",
          h("span", { class: "points", title: "Season fantasy points" }, `${formatPoints(ctx.points[d.id])} pts`),
          formText(ctx.stats[d.id]))),
      ctx.myTeam ? h("button", {
        type: "button",
        class: "btn small ghost",
        "data-key": `queue-${d.id}`,
        disabled: isQueued,
        "aria-label": isQueued ? `${name} is in your queue` : `Add ${name} to your queue`,
        onclick: () => ctx.actions.setQueue([...ctx.queue.driver_ids, d.id]),
      }, isQueued ? "Queued" : "+ Queue") : null,
      ctx.myTeam ? h("button", {
        type: "button",
        class: "btn small primary",
        "data-key": `pick-${d.id}`,
        disabled: !canPick,
        "aria-label": `Pick ${name}`,
        onclick: () => ctx.actions.pick(d.id),
      }, "Pick") : null);
  }

  /** " · form 12 / 8 / 25" (fantasy points of the last 3 weekends, oldest first). */
  function formText(stats) {
    if (!stats || !stats.form || !stats.form.length) return null;
    return h("span", { class: "form", title: "Fantasy points of the last 3 weekends, oldest first" },
      ` · form ${stats.form.map((p) => formatPoints(p)).join(" / ")}`);
  }

  return {
    element,
    update(next) {
      ctx = next;
      render();
    },
  };
}
