// #/leagues/:id/draft: the live draft room over namespace /league/{id}.

import { api } from "../api.js";
import * as data from "../data.js";
import { h, mount } from "../dom.js";
import { renderBoard } from "../draft/board.js";
import { CatchUp } from "../draft/catchup.js";
import { ChatPanel } from "../draft/chat.js";
import { driversPanel, keepFocus } from "../draft/drivers.js";
import { DraftModel } from "../draft/model.js";
import { clockBanner, renderControls, renderLog, renderPresence } from "../draft/panels.js";
import { queuePanel } from "../draft/queue.js";
import { currentUser } from "../session.js";
import { openSocket, request } from "../sockets.js";
import { beep, setSoundEnabled, soundEnabled } from "../sound.js";
import { errorBox, loading, toast } from "../ui.js";
import { commissionerId } from "./leagues.js";

const DRAFT_EVENTS = ["draft:started", "draft:turn", "draft:pick", "draft:paused", "draft:resumed", "draft:undo", "draft:complete", "draft:cancelled"];

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
  const [drivers, points] = await Promise.all([
    data.driverIndex(league.season).catch(() => new Map()),
    data.seasonPoints(league.season),
  ]);
  return new DraftRoom(root, league, drivers, points).start();
}

class DraftRoom {
  constructor(root, league, drivers, points) {
    const me = currentUser();
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
      model: this.model,
      me,
      myTeam: this.myTeam,
      drivers,
      points,
      queue: this.queue,
      ui: this.ui,
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
    this.title = h("h1", {}, `${this.league.name} draft room`);
    this.subtitle = h("p", { class: "muted" });
    this.banner = clockBanner();
    this.boardBox = h("div", { class: "board-scroll", tabindex: "0", role: "region", "aria-label": "Draft board" });
    this.driverPanel = driversPanel();
    this.queuePanel = queuePanel();
    this.logBox = h("div", { class: "log-scroll" });
    this.presenceBox = h("div");
    this.controlsBox = h("div", { tabindex: "-1" });
    this.notice = h("div");
    this.chat = new ChatPanel({ canSend: Boolean(this.myTeam), canModerate: this.isCommissioner });
    const sound = h("input", { type: "checkbox", id: "sound-on", checked: soundEnabled(), onchange: (e) => setSoundEnabled(e.target.checked) });
    this.body = h("div", { class: "room-body" },
      h("div", { class: "room-main" },
        this.banner.element,
        h("section", { class: "card panel board-panel", "aria-labelledby": "board-title" }, h("h2", { id: "board-title" }, "Board"), this.boardBox),
        this.isCommissioner ? h("section", { class: "card panel commissioner", "aria-labelledby": "comm-title" },
          h("h2", { id: "comm-title" }, "Commissioner controls"), this.controlsBox) : null,
        h("div", { class: "grid two room-extra" },
          h("section", { class: "card panel", "aria-labelledby": "log-title" }, h("h2", { id: "log-title" }, "Pick log"), this.logBox),
          h("section", { class: "card panel", "aria-labelledby": "presence-title" }, h("h2", { id: "presence-title" }, "In the room"), this.presenceBox))),
      h("div", { class: "room-side" },
        this.myTeam ? null : h("p", { class: "alert info" }, "You are watching this draft as a spectator (read-only)."),
        this.myTeam ? this.queuePanel.element : null,
        this.driverPanel.element,
        this.chat.element));
    mount(this.root,
      h("div", { class: "room-head" },
        h("div", {}, this.title, this.subtitle),
        h("div", { class: "room-tools" },
          this.connection,
          h("span", { class: "check" }, sound, h("label", { for: "sound-on" }, "Sound")),
          h("a", { class: "btn small ghost", href: `#/leagues/${this.league.id}` }, "League"))),
      this.notice,
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
    this.chat.attach(s, () => this.model.state && this.model.state.id);
    this.ticker = setInterval(() => this.banner.tick(), 250);
    return () => this.stop();
  }

  stop() {
    clearInterval(this.ticker);
    this.catchUp.stop();
    this.socket.close();
    document.title = "draftroom";
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
    try {
      await this.onSnapshot(await api("GET", `/drafts/${draftId}`), true);
    } catch (err) {
      toast(err.message, "error");
    }
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
      mount(this.notice, h("div", { class: "card" },
        h("p", {}, "This league has no draft yet."),
        this.isCommissioner ? h("a", { href: `#/leagues/${this.league.id}` }, "Create one on the league page →") : h("p", { class: "muted" }, "The commissioner will schedule one before the next race.")));
      return;
    }
    if (this.connection.dataset.state !== "refused") this.notice.replaceChildren();
    this.body.hidden = false;
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
  }

  /** On narrow screens, keep the pick on the clock in view inside the board's scroller. */
  scrollBoardToClock() {
    const pickNo = this.model.state.current ? this.model.state.current.pick_no : null;
    if (pickNo === this.scrolledTo) return;
    this.scrolledTo = pickNo;
    const cell = this.boardBox.querySelector("td.on-clock");
    if (!cell || this.boardBox.scrollWidth <= this.boardBox.clientWidth) return;
    this.boardBox.scrollLeft = Math.max(0, cell.offsetLeft - (this.boardBox.clientWidth - cell.offsetWidth) / 2);
  }

  /** Sound + title + vibration once per pick when my team comes on the clock. */
  cueTurn() {
    const s = this.model.state;
    const mine = this.canPick();
    document.title = mine ? "● Your pick! · draftroom" : `${this.league.name} draft · draftroom`;
    if (mine && this.cuedPick !== s.current.pick_no) {
      this.cuedPick = s.current.pick_no;
      beep();
      if (navigator.vibrate) navigator.vibrate(200);
      toast("It's your turn to pick!", "turn", 4000);
    }
  }
}
