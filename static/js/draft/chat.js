// The draft room's chat panel: messages over the league socket (`chat`, `chat:deleted`),
// the last 50 from REST on every (re)connect, picks shown as system lines between them.
// Text is only ever put in the page as text nodes: HTML in a message stays inert.

import { api } from "../api.js";
import { driverName } from "../data.js";
import { h, mount } from "../dom.js";
import { request } from "../sockets.js";

const MAX_CHARS = 500;
const HISTORY = 50;

export class ChatPanel {
  /** `canSend`: a member with a team; `canModerate`: the commissioner. */
  constructor({ canSend, canModerate }) {
    this.canSend = canSend;
    this.canModerate = canModerate;
    this.draftId = null;
    this.messages = new Map(); // id -> message of the followed draft
    this.deleted = new Set(); // ids deleted while a history request was in flight
    this.closed = null; // a message when this user may not read the chat
    this.ctx = null;
    this.lines = h("ol", { class: "chat-lines", "aria-live": "polite", "data-testid": "chat-lines" });
    this.status = h("p", { class: "muted small", role: "status" });
    this.input = h("textarea", { id: "chat-text", name: "text", rows: 2, maxlength: MAX_CHARS, placeholder: "Say something to the room", "aria-label": "Chat message" });
    this.form = h("form", { class: "chat-form", novalidate: true },
      this.input, h("button", { type: "submit", class: "btn small primary" }, "Send"));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        this.send();
      }
    });
    this.scroller = h("div", { class: "chat-scroll", tabindex: "0", role: "region", "aria-label": "Chat messages" }, this.lines);
    this.element = h("section", { class: "card panel chat", "aria-labelledby": "chat-title", "data-testid": "chat" },
      h("h2", { id: "chat-title" }, "Chat"), this.scroller, this.status, canSend ? this.form : null);
  }

  /** Listen on the room's socket; `draftId()` is the draft the room follows. */
  attach(socket, draftId) {
    this.socket = socket;
    this.currentDraft = draftId;
    socket.on("draft:state", () => this.follow(draftId(), true)); // connect and reconnect
    socket.on("chat", (message) => {
      if (message.draft_id !== this.draftId || this.deleted.has(message.id)) return;
      this.messages.set(message.id, message);
      this.render();
    });
    socket.on("chat:deleted", ({ id }) => {
      this.deleted.add(id);
      if (this.messages.delete(id)) this.render();
    });
  }

  /** Show the chat of `draftId`, loading its last 50 messages (again when `reload`). */
  async follow(draftId, reload = false) {
    if (!draftId || (draftId === this.draftId && !reload)) return;
    if (draftId !== this.draftId) {
      this.messages.clear();
      this.deleted.clear();
    }
    this.draftId = draftId;
    try {
      const recent = await api("GET", `/drafts/${draftId}/chat`, { query: { limit: HISTORY }, fresh: true });
      if (draftId !== this.draftId) return;
      this.closed = null;
      const live = [...this.messages.values()].filter((m) => !recent.some((r) => r.id === m.id));
      this.messages = new Map([...recent, ...live].filter((m) => !this.deleted.has(m.id)).map((m) => [m.id, m]));
    } catch (err) {
      this.closed = err.status === 403 ? "The chat of this league is for its members." : err.message;
    }
    this.render();
  }

  /** Re-render with the room's state (its picks are the system lines). */
  update(ctx) {
    this.ctx = ctx;
    const s = ctx.model.state;
    if (s && s.id !== this.draftId) this.follow(s.id);
    this.render();
  }

  async send() {
    const text = this.input.value.trim();
    if (!text || !this.draftId) return;
    if (text.length > MAX_CHARS) {
      this.status.textContent = `At most ${MAX_CHARS} characters.`;
      return;
    }
    this.input.value = ""; // typing the next message may start at once
    const ack = await request(this.socket, "chat:send", { draft_id: this.draftId, text });
    if (!ack.ok) {
      this.status.textContent = ack.error.message;
      if (!this.input.value) this.input.value = text; // nothing is lost
      return;
    }
    this.status.textContent = "";
    this.messages.set(ack.message.id, ack.message);
    this.render();
  }

  async remove(id, button) {
    button.disabled = true;
    const ack = await request(this.socket, "chat:delete", { draft_id: this.draftId, id });
    if (!ack.ok) {
      button.disabled = false;
      this.status.textContent = ack.error.message;
      return;
    }
    this.messages.delete(id);
    this.render();
  }

  teamName(teamId) {
    const team = this.ctx && teamId ? this.ctx.model.team(teamId) : null;
    return team ? team.name : "Commissioner";
  }

  render() {
    if (this.closed) {
      mount(this.lines);
      this.status.textContent = this.closed;
      this.form.hidden = true;
      return;
    }
    this.form.hidden = false;
    const s = this.ctx && this.ctx.model.state;
    const picks = s && s.id === this.draftId ? s.picks : [];
    const items = [
      ...[...this.messages.values()].map((m) => ({ at: m.at, key: `m${m.id}`, node: () => this.messageLine(m) })),
      ...picks.map((p) => ({ at: p.at, key: `p${p.pick_no}`, node: () => this.pickLine(p) })),
    ].sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
    mount(this.lines, items.map((item) => item.node()));
    if (!items.length) this.lines.append(h("li", { class: "muted small" }, "No messages yet."));
    if (atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  messageLine(m) {
    return h("li", { class: "chat-line", "data-message-id": m.id },
      h("strong", { class: "chat-who" }, this.teamName(m.team_id)), " ",
      h("span", { class: "chat-text" }, m.text),
      this.canModerate
        ? h("button", { type: "button", class: "link small chat-delete", "aria-label": "Delete message", onclick: (e) => this.remove(m.id, e.currentTarget) }, "✕")
        : null);
  }

  pickLine(p) {
    const driver = this.ctx.drivers.get(p.driver_id);
    const how = p.by === "auto" ? " (autopick)" : p.by === "commissioner" ? " (by the commissioner)" : "";
    return h("li", { class: "chat-line system", "data-pick-no": p.pick_no },
      `Pick ${p.pick_no}: ${this.teamName(p.team_id)} took ${driverName(driver)}${how}`);
  }
}
