// The client's copy of one draft: a snapshot plus events applied strictly in `seq` order.
// Out-of-order events wait in `pending`; a gap is reported so the caller can `sync`.
// The clock offset (server time - local time) comes from fresh `server_now` values.

/** The team making `pick_no`, given the first-round order (snake reverses even rounds). */
export function teamForPick(order, pickNo, type) {
  const n = order.length;
  if (!n) return null;
  const round = Math.floor((pickNo - 1) / n) + 1;
  let index = (pickNo - 1) % n;
  if (type !== "linear" && round % 2 === 0) index = n - 1 - index;
  return order[index];
}

export function roundOf(pickNo, teams) {
  return Math.floor((pickNo - 1) / Math.max(1, teams)) + 1;
}

/** A logged event ({seq, type, data, at}) or a socket payload as [name, payload]. */
export function normalizeLogged(event, draftId) {
  const name = event.type || event.event || event.name;
  const data = event.data || event.payload || {};
  return [name, { ...data, draft_id: data.draft_id ?? draftId, seq: event.seq ?? data.seq, at: event.at ?? data.at }];
}

export class DraftModel {
  constructor() {
    this.state = null;
    this.pending = new Map();
    this.offsetSamples = [];
    this.presence = null;
  }

  /** Server clock minus local clock, in ms (best of the recent low-latency samples). */
  get offset() {
    return this.offsetSamples.length ? Math.max(...this.offsetSamples) : 0;
  }

  sampleClock(serverNow) {
    if (typeof serverNow !== "number") return;
    this.offsetSamples.push(serverNow - Date.now());
    if (this.offsetSamples.length > 8) this.offsetSamples.shift();
  }

  /** Server time now, estimated. */
  serverNow() {
    return Date.now() + this.offset;
  }

  /** Replace the state with a snapshot (null: the league has no draft). Fresh: sample clock. */
  setSnapshot(snapshot, { fresh = true } = {}) {
    if (!snapshot) {
      this.state = null;
      this.pending.clear();
      return;
    }
    if (this.state && snapshot.id === this.state.id && snapshot.seq < this.state.seq) return;
    if (fresh) this.sampleClock(snapshot.server_now);
    if (!this.state || snapshot.id !== this.state.id) this.pending.clear();
    this.state = {
      ...snapshot,
      picks: [...(snapshot.picks || [])].sort((a, b) => a.pick_no - b.pick_no),
      teams: (snapshot.teams || []).map((t) => ({ ...t })),
      order: snapshot.order || [],
    };
    if (snapshot.current && snapshot.current.deadline === undefined) this.state.current.deadline = null;
    if (snapshot.presence) this.setPresence(snapshot.presence);
    this.drain();
  }

  /**
   * Take one draft event. Returns "applied", "stale" (already seen), "gap" (kept; sync
   * needed) or "other" (an event of another draft: load that draft's snapshot).
   */
  receive(name, payload, { live = true } = {}) {
    if (!this.state || (payload.draft_id !== undefined && payload.draft_id !== this.state.id)) return "other";
    if (typeof payload.seq !== "number") return "stale";
    if (payload.seq <= this.state.seq) return "stale";
    if (live && name === "draft:turn") this.sampleClock(payload.server_now);
    this.pending.set(payload.seq, [name, payload]);
    this.drain();
    return this.pending.size ? "gap" : "applied";
  }

  /** Apply logged events from `sync` or GET /events (no clock samples: they are old). */
  receiveLogged(events) {
    for (const event of events) {
      const [name, payload] = normalizeLogged(event, this.state && this.state.id);
      if (this.state && payload.seq > this.state.seq) this.pending.set(payload.seq, [name, payload]);
    }
    this.drain();
  }

  /** True when events are waiting for a missing seq. */
  hasGap() {
    return this.pending.size > 0;
  }

  drain() {
    if (!this.state) return;
    for (const seq of [...this.pending.keys()]) if (seq <= this.state.seq) this.pending.delete(seq);
    while (this.pending.has(this.state.seq + 1)) {
      const seq = this.state.seq + 1;
      const [name, payload] = this.pending.get(seq);
      this.pending.delete(seq);
      this.apply(name, payload);
      this.state.seq = seq;
    }
  }

  apply(name, p) {
    const s = this.state;
    switch (name) {
      case "draft:started":
        s.status = "live";
        break;
      case "draft:turn":
        s.status = "live";
        s.current = { pick_no: p.pick_no, round: p.round, team_id: p.team_id, deadline: p.deadline, remaining_ms: null };
        break;
      case "draft:pick":
        s.picks = s.picks.filter((x) => x.pick_no !== p.pick_no);
        s.picks.push({ pick_no: p.pick_no, round: p.round, team_id: p.team_id, driver_id: p.driver_id, by: p.by, at: p.at });
        s.picks.sort((a, b) => a.pick_no - b.pick_no);
        if (s.current && s.current.pick_no <= p.pick_no) s.current = null;
        break;
      case "draft:paused":
        s.status = "paused";
        if (s.current) s.current = { ...s.current, deadline: null, remaining_ms: p.remaining_ms };
        break;
      case "draft:resumed":
        s.status = "live";
        break;
      case "draft:undo": {
        s.picks = s.picks.filter((x) => x.pick_no !== p.pick_no);
        s.current = {
          pick_no: p.pick_no,
          round: roundOf(p.pick_no, s.order.length),
          team_id: teamForPick(s.order, p.pick_no, s.type),
          deadline: null,
          remaining_ms: s.pick_seconds * 1000,
        };
        break;
      }
      case "draft:complete":
        s.status = "complete";
        s.current = null;
        break;
      case "draft:cancelled":
        s.status = "cancelled";
        s.current = null;
        break;
      case "draft:rescheduled":
        s.opens_at = p.opens_at;
        s.locks_at = p.locks_at;
        break;
      default:
        break;
    }
  }

  setPresence(presence) {
    this.presence = presence;
    if (!this.state) return;
    const online = new Set(presence.online_team_ids || []);
    for (const team of this.state.teams) team.online = online.has(team.id);
  }

  /** Milliseconds left on the clock (null when nobody is on it). */
  remainingMs() {
    const c = this.state && this.state.current;
    if (!c) return null;
    if (c.deadline) return Math.max(0, c.deadline - this.serverNow());
    return c.remaining_ms ?? null;
  }

  totalPicks() {
    return this.state ? this.state.order.length * this.state.picks_per_team : 0;
  }

  takenDriverIds() {
    return new Set((this.state ? this.state.picks : []).map((p) => p.driver_id));
  }

  team(teamId) {
    return this.state ? this.state.teams.find((t) => t.id === teamId) : null;
  }
}
