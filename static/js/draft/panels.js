// Smaller draft-room panels: the clock banner, the pick log, presence, commissioner controls.

import { formatClock, formatDate, h, mount } from "../dom.js";
import { driverName } from "../data.js";
import { picksUntil } from "./alerts.js";
import { presenceText } from "./board.js";

const STATUS_TEXT = {
  scheduled: "Scheduled",
  live: "Live",
  paused: "Paused",
  complete: "Complete",
  cancelled: "Cancelled",
};

/** The banner: status, who is on the clock and the countdown (tick() refreshes the clock). */
export function clockBanner() {
  const status = h("span", { class: "status", "data-testid": "draft-status" });
  const who = h("div", { class: "on-clock-who", "data-testid": "on-clock" }); // announced by the room's live region
  const clock = h("div", { class: "countdown", role: "timer", "aria-label": "Time left for this pick", "data-testid": "countdown" });
  const element = h("section", { class: "clock-banner", "aria-label": "Pick clock" }, h("div", {}, status, who), clock);
  let ctx = null;
  return {
    element,
    update(next) {
      ctx = next;
      const s = ctx.model.state;
      status.textContent = STATUS_TEXT[s.status] || s.status;
      status.className = `status ${s.status}`;
      const c = s.current;
      const mine = c && ctx.myTeam && c.team_id === ctx.myTeam.id;
      element.classList.toggle("your-turn", Boolean(mine && s.status === "live"));
      const away = ctx.myTeam && s.status === "live" ? picksUntil(s, ctx.myTeam.id) : null;
      element.classList.toggle("on-deck", away === 1 || away === 2);
      if (c) {
        const team = ctx.model.team(c.team_id);
        mount(who,
          mine ? h("strong", { class: "turn-callout", "data-testid": "your-turn" }, "Your turn! ") : null,
          away === 1 || away === 2 ? h("strong", { class: "deck-callout", "data-testid": "on-deck" },
            away === 1 ? "On deck: you pick next · " : "On deck: 2 picks away · ") : null,
          h("span", {}, `Pick ${c.pick_no} · round ${c.round} · `),
          h("strong", {}, team ? team.name : `Team ${c.team_id}`),
          s.status === "paused" ? h("span", {}, " · clock paused") : null);
      } else if (s.status === "scheduled") {
        mount(who, s.opens_at ? `Opens ${formatDate(s.opens_at)}` : "Waiting for the commissioner to start");
      } else if (s.status === "complete") {
        mount(who, "All picks are in. ", completeLink(ctx, s.league_id));
      } else {
        mount(who, s.status === "live" ? "Next pick coming…" : "");
      }
      this.tick();
    },
    tick() {
      if (!ctx || !ctx.model.state) return;
      const left = ctx.model.remainingMs();
      clock.textContent = left === null ? "" : formatClock(left);
      clock.dataset.remainingMs = left === null ? "" : String(Math.round(left));
      clock.dataset.at = String(Math.round(performance.timeOrigin + performance.now())); // for tests
      clock.classList.toggle("urgent", left !== null && left <= 10000 && ctx.model.state.status === "live");
    },
  };
}

/** After the last pick: owners name a captain; spectators see the standings; visitors sign up. */
function completeLink(ctx, leagueId) {
  if (ctx.myTeam) return h("a", { href: `#/leagues/${leagueId}/standings` }, "Name your captain →");
  if (ctx.anonymous) return h("a", { href: "#/signup" }, "Sign up to take a seat →");
  return h("a", { href: `#/leagues/${leagueId}/standings` }, "See the standings →");
}

/** The pick log, newest first. */
export function renderLog(ctx) {
  const s = ctx.model.state;
  const picks = [...s.picks].sort((a, b) => b.pick_no - a.pick_no);
  return h("ol", { class: "log", reversed: true, "data-testid": "pick-log" }, picks.map((p) => {
    const team = ctx.model.team(p.team_id);
    return h("li", { value: p.pick_no },
      h("span", { class: "muted" }, `R${p.round} `),
      h("strong", {}, team ? team.name : `Team ${p.team_id}`), " took ",
      driverName(ctx.drivers.get(p.driver_id)),
      p.by === "auto" ? h("span", { class: "tag small" }, "autopick") : null,
      p.by === "commissioner" ? h("span", { class: "tag small" }, "by commissioner") : null);
  }));
}

/** Who is in the room. */
export function renderPresence(ctx) {
  const s = ctx.model.state;
  const spectators = ctx.model.presence ? ctx.model.presence.spectators || 0 : 0;
  return h("div", { "data-testid": "presence" },
    h("ul", { class: "presence" }, s.teams.map((t) => {
      const state = presenceText(ctx, t);
      return h("li", { class: state === "away" ? "" : "online", "data-presence": state },
        h("span", { class: `dot ${state}`, "aria-hidden": "true" }),
        t.name, state === "bot" ? h("span", { class: "tag small" }, "bot") : h("span", { class: "sr-only" }, ` (${state})`));
    })),
    h("p", { class: "muted small" }, `${spectators} spectator${spectators === 1 ? "" : "s"} watching`));
}

/** Start/pause/resume/undo and "pick for the team on the clock" (commissioner only). */
export function renderControls(ctx) {
  const s = ctx.model.state;
  const act = ctx.actions.control;
  const taken = ctx.model.takenDriverIds();
  const available = [...ctx.drivers.values()].filter((d) => d.active !== false && !taken.has(d.id))
    .sort((a, b) => (ctx.points[b.id] || 0) - (ctx.points[a.id] || 0) || (a.number ?? 999) - (b.number ?? 999));
  const select = h("select", { id: "force-driver", "data-key": "force-driver", onchange: () => { ctx.ui.forceDriver = select.value; } },
    available.map((d) => h("option", { value: d.id, selected: String(d.id) === ctx.ui.forceDriver }, `${d.number ?? ""} ${driverName(d)}`)));
  const team = s.current ? ctx.model.team(s.current.team_id) : null;
  return h("div", { class: "controls" },
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn", disabled: s.status !== "scheduled", "data-key": "start", onclick: (e) => act("draft:start", e.currentTarget) }, "Start now"),
      h("button", { type: "button", class: "btn", disabled: s.status !== "live", "data-key": "pause", onclick: (e) => act("draft:pause", e.currentTarget) }, "Pause"),
      h("button", { type: "button", class: "btn", disabled: s.status !== "paused", "data-key": "resume", onclick: (e) => act("draft:resume", e.currentTarget) }, "Resume"),
      h("button", { type: "button", class: "btn", disabled: !["live", "paused"].includes(s.status) || !s.picks.length, "data-key": "undo", onclick: (e) => act("draft:undo", e.currentTarget) }, "Undo last pick")),
    h("div", { class: "force" },
      h("label", { for: "force-driver" }, team ? `Pick for ${team.name}` : "Pick for the team on the clock"),
      select,
      h("button", {
        type: "button",
        class: "btn",
        disabled: !s.current || !["live", "paused"].includes(s.status),
        "data-key": "force",
        onclick: (e) => ctx.actions.forcePick(Number(select.value), e.currentTarget),
      }, "Pick for team")));
}
