// #/leagues/:id/draft: the live draft room over namespace /league/{id}.

import { api } from "../api.js";
import * as data from "../data.js";
import { h, mount } from "../dom.js";
import { alertTurn, permissionButton } from "../draft/alerts.js";
import { renderBoard } from "../draft/board.js";
import { CatchUp } from "../draft/catchup.js";
import { ChatPanel } from "../draft/chat.js";
import { driversPanel, keepFocus } from "../draft/drivers.js";
import { DraftModel } from "../draft/model.js";
import { clockBanner, renderControls, renderLog, renderPresence } from "../draft/panels.js";
import { queuePanel } from "../draft/queue.js";
import { roomTabs, tabbed } from "../draft/tabs.js";
import { currentUser } from "../session.js";
import { openSocket, request } from "../sockets.js";
import { setSoundEnabled, soundEnabled } from "../sound.js";
import { errorBox, loading, toast } from "../ui.js";
import { commissionerId } from "./leagues.js";

const DRAFT_EVENTS = ["draft:started", "draft:turn", "draft:pick", "draft:paused", "draft:resumed", "draft:undo", "draft:complete", "draft:cancelled", "draft:rescheduled"];

/** #/leagues/:id/draft */
export async function draftRoomView(root, { id }) {
  root.append(loading("Opening the draft room…"));
  let league;
  try {
    league = await data.league(id);
  } catch (err) {
    mount(root, h("h1", {}, "Draft room"), errorBox(err));
    return null;
  }
  const [drivers, points, stats] = await Promise.all([
    data.driverIndex(league.season).catch(() => new Map()),
    data.seasonPoints(league.season),
    data.driverStats(league.season),
  ]);
  return new DraftRoom(root, league, drivers, points, { stats }).start();
}

/**
 * The demo league's room, read-only, for a visitor who has not signed up (the landing page):
 * the socket connects without a token (public watch mode).
 */
export async function watchDemoRoom(root, league) {
  const [drivers, points, stats] = await Promise.all([
    data.driverIndex(league.season).catch(() => new Map()),
    data.seasonPoints(league.season),
    data.driverStats(league.season),
  ]);
  return new DraftRoom(root, league, drivers, points, { anonymous: true, stats }).start();
}

class DraftRoom {
  constructor(root, league, drivers, points, { anonymous = false, stats = {} } = {}) {
    const me = anonymous ? null : currentUser();
    this.anonymous = anonymous;
    this.root = root;
    this.league = league;
    this.model = new DraftModel();
    this.me = me;
    this.myTeam = (league.teams || []).find((t) => (league.my_team_id ? t.id === league.my_team_id : me && t.user_id === me.id)) || null;
    this.isCommissioner = Boolean(me && commissionerId(league) === me.id);
    this.drivers = drivers;
    this.points = points;
    this.queue = { driver_ids: [], autodraft: false, known: false };
    this.ui = { forceDriver: null };
    this.cuedPick = null;
    this.catchUp = new CatchUp({ hasGap: () => this.model.hasGap(), sync: () => this.sync() });
    this.raceName = "";
    this.raceId = null;
    this.ctx = {
      anonymous,
      model: this.model,
      me,
      myTeam: this.myTeam,
      drivers,
      points,
      stats,
      entries: null, // the race's draftable driver ids (null until known: every active driver)
      queue: this.queue,
      ui: this.ui,
      bots: new Set((league.teams || []).filter((t) => t.is_bot).map((t) => t.id)), // never "away"
      canPick: () => this.canPick(),
      actions: {
        pick: (driverId) => this.pick(driverId),
        forcePick: (driverId, button) => this.forcePick(driverId, button),
        setQueue: (ids) => this.setQueue(ids),
        setAutodraft: (on) => this.setAutodraft(on),
        control: (event, button) => this.control(event, button),
      },
    };
    this.build();
  }

  build() {
    this.connection = h("span", { class: "connection", role: "status", "data-testid": "connection" }, "Connecting…");
    this.title = h(this.anonymous ? "h2" : "h1", {}, `${this.league.name} draft room`);
    this.subtitle = h("p", { class: "muted" });
    this.banner = clockBanner();
    this.boardBox = h("div", { class: "board-scroll", tabindex: "0", role: "region", "aria-label": "Draft board" });
    this.driverPanel = driversPanel();
    this.queuePanel = queuePanel();
    this.logBox = h("div", { class: "log-scroll" });
    this.presenceBox = h("div");
    this.controlsBox = h("div", { tabindex: "-1" });
    this.notice = h("div");
    // what a screen reader hears: each pick and each turn, once (see announce())
    this.announcer = h("div", { class: "sr-only", role: "log", "aria-live": "polite", "data-testid": "announcer" });
    this.chat = new ChatPanel({ canSend: Boolean(this.myTeam), canModerate: this.isCommissioner });
    const sound = h("input", { type: "checkbox", id: "sound-on", checked: soundEnabled(), onchange: (e) => setSoundEnabled(e.target.checked) });
    this.tabs = roomTabs(this.myTeam ? "drivers" : "board", Boolean(this.myTeam), (tab) => {
      this.body.dataset.tab = tab;
      if (tab === "board" && this.model.state) {
        this.scrolledTo = undefined; // the board was hidden: bring the clock's column into view
        this.scrollBoardToClock();
      }
    });
    const boardPanel = h("section", { class: "card panel board-panel", "data-tab": "board", "aria-labelledby": "board-title" },
      h("h2", { id: "board-title" }, "Board"), this.boardBox);
    this.body = h("div", { class: "room-body", "data-tab": this.tabs.current() },
      this.sticky = h("div", { class: "room-sticky", "data-testid": "room-sticky" }, this.banner.element, this.tabs.element),
      h("div", { class: "room-main" },
        boardPanel,
        this.isCommissioner ? h("section", { class: "card panel commissioner", "data-tab": "board", "aria-labelledby": "comm-title" },
          h("h2", { id: "comm-title" }, "Commissioner controls"), this.controlsBox) : null,
        h("div", { class: "grid two room-extra" },
          h("section", { class: "card panel", "data-tab": "log", "aria-labelledby": "log-title" }, h("h2", { id: "log-title" }, "Pick log"), this.logBox),
          h("section", { class: "card panel", "data-tab": "log", "aria-labelledby": "presence-title" }, h("h2", { id: "presence-title" }, "In the room"), this.presenceBox))),
      h("div", { class: "room-side" },
        this.myTeam ? null : h("p", { class: "alert info" }, "You are watching this draft as a spectator (read-only).",
          this.anonymous ? h("span", {}, " ", h("a", { href: "#/signup" }, "Sign up"), " to take a seat.") : null),
        this.myTeam ? tabbed(this.queuePanel.element, "queue") : null,
        tabbed(this.driverPanel.element, "drivers"),
        tabbed(this.chat.element, "log")));
    mount(this.root,
      h("div", { class: "room-head" },
        h("div", {}, this.title, this.subtitle),
        h("div", { class: "room-tools" },
          this.connection,
          this.myTeam ? permissionButton() : null,
          h("span", { class: "check" }, sound, h("label", { for: "sound-on" }, "Sound")),
          this.anonymous ? null : h("a", { class: "btn small ghost", href: `#/leagues/${this.league.id}` }, "League"))),
      this.notice,
      this.announcer,
      this.body);
    this.body.hidden = true;
  }

  start() {
    this.socket = openSocket(`/league/${this.league.id}`, {
      onRefused: (code, message) => {
        this.setConnection("refused", message || code);
        mount(this.notice, errorBox({ message: message || "You cannot enter this draft room." }));
      },
    });
    const s = this.socket;
    s.on("connect", () => this.onConnect());
    s.on("disconnect", (reason) => {
      this.catchUp.disconnected();
      if (reason !== "io client disconnect") this.setConnection("reconnecting");
    });
    s.io.on("reconnect_attempt", () => this.setConnection("reconnecting"));
    s.on("draft:state", (snapshot) => this.catchUp.snapshot(this.onSnapshot(snapshot, true)));
    for (const name of DRAFT_EVENTS) s.on(name, (payload) => this.onEvent(name, payload));
    s.on("presence", (presence) => {
      this.model.setPresence(presence);
      this.render();
    });
    s.on("queue", (q) => this.onQueue(q));
    s.on("entries", (e) => {
      if (e && e.race_id === this.raceId) this.setEntries(data.entrySet(e.entries || []));
    });
    this.chat.attach(s, () => this.model.state && this.model.state.id);
    this.ticker = setInterval(() => this.banner.tick(), 250);
    return () => this.stop();
  }

  /**
   * While the room shows a draft, the toasts live in the sticky bar (in its flow: they cover
   * neither the clock nor a Pick button); otherwise, and after the room, back in the body.
   */
  placeToasts(inRoom) {
    const toasts = document.getElementById("toasts");
    if (!toasts) return;
    if (inRoom && toasts.parentNode !== this.sticky) this.sticky.append(toasts);
    else if (!inRoom && this.sticky.contains(toasts)) document.body.append(toasts);
  }

  stop() {
    this.placeToasts(false);
    clearInterval(this.ticker);
    this.catchUp.stop();
    this.socket.close();
    if (!this.anonymous) document.title = "draftroom";
  }

  setConnection(state, detail = "") {
    const text = { connected: "Connected", reconnecting: "Reconnecting…", refused: `Not connected: ${detail}` }[state] || state;
    this.connection.textContent = text;
    this.connection.dataset.state = state;
  }

  onConnect() {
    this.setConnection("connected");
    this.catchUp.connected(); // the server sends draft:state on connect: that is the catch-up
  }

  /** Follow `snapshot` (false when it is ignored: the next draft, announced while ours runs). */
  onSnapshot(snapshot, fresh) {
    const current = this.model.state;
    if (snapshot && current && snapshot.id !== current.id && ["live", "paused"].includes(current.status)
      && snapshot.status === "scheduled") {
      return false; // a next draft was announced: keep following the one running now
    }
    const newDraft = Boolean(snapshot && (!current || snapshot.id !== current.id));
    if (newDraft) {
      this.queue.driver_ids = [];
      this.queue.autodraft = false;
      this.queue.known = false;
      this.cuedPick = null;
    }
    this.model.setSnapshot(snapshot, { fresh });
    if (snapshot && "me" in snapshot) {
      if (snapshot.me) this.onQueue({ draft_id: snapshot.id, driver_ids: snapshot.me.queue || [], autodraft: snapshot.me.autodraft });
    } else if (snapshot && newDraft && this.myTeam) {
      this.loadDraft(snapshot.id); // a broadcast snapshot has no "me": fetch mine (queue)
    }
    if (snapshot && snapshot.race_id !== this.entriesRace) this.loadEntries(snapshot.race_id);
    if (snapshot && snapshot.race && snapshot.race.id === snapshot.race_id) {
      this.raceId = snapshot.race_id;
      this.raceName = `Round ${snapshot.race.round}: ${snapshot.race.name}`;
    } else if (snapshot && snapshot.race_id !== this.raceId) {
      this.loadRace(snapshot.race_id);
    }
    if (snapshot) this.loadStoredQueue();
    this.render();
    return true;
  }

  onEvent(name, payload) {
    const result = this.model.receive(name, payload);
    if (result === "other") {
      this.loadDraft(payload.draft_id);
      return;
    }
    if (result === "gap") this.catchUp.gap();
    if (result !== "stale") this.render();
  }

  /** Ask for every event after our seq (or a fresh snapshot when they are no longer kept). */
  async sync() {
    const s = this.model.state;
    if (!s) return;
    const ack = await request(this.socket, "sync", { draft_id: s.id, after_seq: s.seq });
    if (!ack.ok) {
      await this.loadDraft(s.id);
      return;
    }
    if (ack.state) this.model.setSnapshot(ack.state, { fresh: true });
    if (ack.events) this.model.receiveLogged(ack.events);
    if (this.model.hasGap()) await this.loadDraft(s.id);
    this.render();
  }

  async loadDraft(draftId) {
    if (this.anonymous) { // no token for REST: a reconnect brings the room's current state
      this.socket.disconnect().connect();
      return;
    }
    try {
      await this.onSnapshot(await api("GET", `/drafts/${draftId}`), true);
    } catch (err) {
      toast(err.message, "error");
    }
  }

  /** The race's entry list: substitutes join the driver list, replaced drivers leave it. */
  async loadEntries(raceId) {
    this.entriesRace = raceId;
    const ids = await data.raceEntries(raceId);
    if (ids && this.entriesRace === raceId) await this.setEntries(ids);
  }

  async setEntries(ids) {
    const unknown = [...ids].filter((id) => !this.drivers.has(id));
    const found = await Promise.all(unknown.map((id) => api("GET", `/drivers/${id}`, { auth: false }).catch(() => null)));
    for (const d of found) if (d) this.drivers.set(d.id, { ...d, constructor_info: null });
    this.ctx.entries = ids;
    this.render();
  }

  async loadRace(raceId) {
    this.raceId = raceId;
    try {
      const race = await api("GET", `/races/${raceId}`, { auth: false });
      this.raceName = `Round ${race.round}: ${race.name}`;
    } catch {
      this.raceName = `Race ${raceId}`;
    }
    this.render();
  }

  onQueue(q) {
    if (this.model.state && q.draft_id !== undefined && q.draft_id !== this.model.state.id) return;
    this.queue.driver_ids = [...(q.driver_ids || [])];
    this.queue.autodraft = Boolean(q.autodraft);
    this.queue.known = true;
    if (this.myTeam && this.model.state) {
      const team = this.model.team(this.myTeam.id);
      if (team) team.autodraft = this.queue.autodraft;
      localStorage.setItem(`draftroom.queue.${this.model.state.id}`, JSON.stringify(this.queue.driver_ids));
    }
    this.render();
  }

  loadStoredQueue() {
    if (this.queue.known || !this.myTeam) return;
    const team = this.model.team(this.myTeam.id);
    if (team) this.queue.autodraft = Boolean(team.autodraft);
    try {
      this.queue.driver_ids = JSON.parse(localStorage.getItem(`draftroom.queue.${this.model.state.id}`) || "[]");
    } catch {
      this.queue.driver_ids = [];
    }
  }

  canPick() {
    const s = this.model.state;
    return Boolean(s && this.myTeam && s.status === "live" && s.current && s.current.team_id === this.myTeam.id);
  }

  async pick(driverId) {
    const s = this.model.state;
    if (!this.canPick()) return;
    const payload = { draft_id: s.id, pick_no: s.current.pick_no, driver_id: driverId };
    let ack;
    if (this.socket.connected) {
      ack = await request(this.socket, "pick", payload);
    } else {
      try {
        await api("POST", `/drafts/${s.id}/picks`, { body: { pick_no: payload.pick_no, driver_id: driverId } });
        ack = { ok: true };
      } catch (err) {
        ack = { ok: false, error: err };
      }
    }
    if (!ack.ok) this.fail(ack.error);
  }

  async forcePick(driverId, button) {
    const s = this.model.state;
    if (!s || !s.current) return;
    await this.withButton(button, () => request(this.socket, "draft:force_pick", { draft_id: s.id, pick_no: s.current.pick_no, driver_id: driverId }));
  }

  async control(event, button) {
    const s = this.model.state;
    if (!s) return;
    await this.withButton(button, () => request(this.socket, event, { draft_id: s.id }));
  }

  async withButton(button, fn) {
    if (button) button.disabled = true;
    const ack = await fn();
    if (button) button.disabled = false;
    if (!ack.ok) this.fail(ack.error);
    this.render();
  }

  async setQueue(ids) {
    const s = this.model.state;
    if (!s) return;
    const previous = this.queue.driver_ids;
    this.queue.driver_ids = [...new Set(ids)];
    this.render();
    const ack = await request(this.socket, "queue:set", { draft_id: s.id, driver_ids: this.queue.driver_ids });
    if (!ack.ok) {
      this.queue.driver_ids = previous;
      this.fail(ack.error);
      this.render();
    } else if (Array.isArray(ack.driver_ids)) {
      this.onQueue({ draft_id: s.id, driver_ids: ack.driver_ids, autodraft: ack.autodraft ?? this.queue.autodraft });
    } else {
      localStorage.setItem(`draftroom.queue.${s.id}`, JSON.stringify(this.queue.driver_ids));
    }
  }

  async setAutodraft(enabled) {
    const s = this.model.state;
    if (!s) return;
    const ack = await request(this.socket, "autodraft:set", { draft_id: s.id, enabled });
    if (!ack.ok) {
      this.fail(ack.error);
    } else {
      this.queue.autodraft = enabled;
      const team = this.model.team(this.myTeam.id);
      if (team) team.autodraft = enabled;
    }
    this.render();
  }

  fail(error) {
    toast((error && error.message) || "That did not work.", "error");
  }

  render() {
    const s = this.model.state;
    if (!s) {
      this.body.hidden = true;
      this.placeToasts(false);
      mount(this.notice, h("div", { class: "card" },
        h("p", {}, "This league has no draft yet."),
        this.isCommissioner ? h("a", { href: `#/leagues/${this.league.id}` }, "Create one on the league page →") : h("p", { class: "muted" }, "The commissioner will schedule one before the next race.")));
      return;
    }
    if (this.connection.dataset.state !== "refused") this.notice.replaceChildren();
    this.body.hidden = false;
    this.placeToasts(true);
    const quiet = s.quiet_hours ? `quiet ${s.quiet_hours.start}–${s.quiet_hours.end} (${s.quiet_hours.tz}): the clock stands still` : "";
    this.subtitle.textContent = [this.raceName, `${s.type} draft`, `${s.pick_seconds} s per pick`, quiet, `${s.picks.length}/${this.model.totalPicks()} picks`].filter(Boolean).join(" · ");
    this.banner.update(this.ctx);
    mount(this.boardBox, renderBoard(this.ctx));
    this.scrollBoardToClock();
    this.driverPanel.update(this.ctx);
    if (this.myTeam) this.queuePanel.update(this.ctx);
    mount(this.logBox, renderLog(this.ctx));
    mount(this.presenceBox, renderPresence(this.ctx));
    this.chat.update(this.ctx);
    if (this.isCommissioner) keepFocus(this.controlsBox, () => mount(this.controlsBox, renderControls(this.ctx)));
    this.cueTurn();
    this.announce();
  }

  /** Tell the live region about a new pick and a new turn (once each). */
  announce() {
    const s = this.model.state;
    const teamName = (id) => (this.model.team(id) || { name: `Team ${id}` }).name;
    const parts = [];
    const last = s.picks[s.picks.length - 1];
    const pickKey = last ? `${s.id}:${last.pick_no}:${last.driver_id}` : null;
    if (last && pickKey !== this.announcedPick) {
      parts.push(`Pick ${last.pick_no}: ${teamName(last.team_id)} took ${data.driverName(this.drivers.get(last.driver_id))}.`);
    }
    this.announcedPick = pickKey;
    const c = s.current;
    const turnKey = c && s.status === "live" ? `${s.id}:${c.pick_no}` : `${s.id}:${s.status}`;
    if (turnKey !== this.announcedTurn) {
      if (c && s.status === "live") {
        parts.push(this.canPick() ? `Your turn: pick ${c.pick_no}.` : `${teamName(c.team_id)} is on the clock, pick ${c.pick_no}.`);
      } else if (s.status === "complete") {
        parts.push("The draft is complete.");
      } else if (s.status === "paused") {
        parts.push("The draft is paused.");
      }
    }
    this.announcedTurn = turnKey;
    if (!parts.length) return;
    this.announcer.append(h("p", {}, parts.join(" "))); // a log: additions are read out
    while (this.announcer.childElementCount > 5) this.announcer.firstElementChild.remove();
  }

  /**
   * When the board scrolls in its box (narrow screens), bring the column on the clock into
   * view next to my column (which sticks to the nearer edge of the box).
   */
  scrollBoardToClock() {
    const pickNo = this.model.state.current ? this.model.state.current.pick_no : null;
    if (pickNo === this.scrolledTo) return;
    this.scrolledTo = pickNo;
    const box = this.boardBox;
    const cell = box.querySelector("td.on-clock");
    if (!cell || box.scrollWidth <= box.clientWidth) return;
    const width = cell.offsetWidth;
    const rounds = box.querySelector("thead th");
    const mine = box.querySelector("thead th.mine");
    let left = cell.offsetLeft - (box.clientWidth - width) / 2;
    if (mine && !cell.classList.contains("mine")) {
      const mineFirst = Array.prototype.indexOf.call(mine.parentNode.children, mine) < cell.cellIndex;
      left = mineFirst ? cell.offsetLeft - (rounds ? rounds.offsetWidth : 0) - mine.offsetWidth
        : cell.offsetLeft + width + mine.offsetWidth - box.clientWidth;
    }
    box.scrollLeft = Math.max(0, left);
  }

  /** Title, sound, vibration (and a browser notification if hidden) once per pick of mine. */
  cueTurn() {
    const s = this.model.state;
    const mine = this.canPick();
    if (!this.anonymous) document.title = mine ? "● Your pick! · draftroom" : `${this.league.name} draft · draftroom`;
    if (mine && this.cuedPick !== s.current.pick_no) {
      this.cuedPick = s.current.pick_no;
      alertTurn({ leagueName: this.league.name, pickNo: s.current.pick_no, draftId: s.id });
      if (this.tabs.active()) this.tabs.select("drivers");
    }
  }
}
