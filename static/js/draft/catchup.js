// When the draft room catches up with the server, and that it does so once.
// After a (re)connect the server sends `draft:state`: that snapshot is the catch-up (a
// `sync` only if it does not come). A gap in `seq` is first waited for, since events may
// just arrive out of order; if it is still open after `holdMs`, one `sync` mends it,
// however many events arrived meanwhile.

export const HOLD_MS = 300;
export const STATE_WAIT_MS = 3000;

export class CatchUp {
  /**
   * `hasGap()` tells whether events wait for a missing seq; `sync()` (async) asks the
   * server for what is missing. Call connected(), disconnected(), snapshot() and gap() as
   * those happen.
   */
  constructor({ hasGap, sync, holdMs = HOLD_MS, stateWaitMs = STATE_WAIT_MS }) {
    this.hasGap = hasGap;
    this.sync = sync;
    this.holdMs = holdMs;
    this.stateWaitMs = stateWaitMs;
    this.holdTimer = null;
    this.stateTimer = null;
    this.syncing = null;
  }

  /** A (re)connect: the server's draft:state is on its way (sync if it never comes). */
  connected() {
    this.stop();
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      this.run();
    }, this.stateWaitMs);
  }

  disconnected() {
    this.stop();
  }

  /**
   * A snapshot arrived; `followed` false: the room ignored it (another draft than the one it
   * follows), so a snapshot awaited after a connect is replaced by a sync of ours.
   */
  snapshot(followed = true) {
    const awaited = Boolean(this.stateTimer);
    clearTimeout(this.stateTimer);
    this.stateTimer = null;
    if (awaited && !followed) this.run();
    else if (this.hasGap()) this.gap();
  }

  /** An event arrived ahead of a missing one: hold it (once per gap, not per event). */
  gap() {
    if (this.holdTimer || this.stateTimer || this.syncing) return;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      if (this.hasGap()) this.run();
    }, this.holdMs);
  }

  run() {
    if (!this.syncing) {
      this.syncing = Promise.resolve(this.sync()).finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing;
  }

  stop() {
    clearTimeout(this.holdTimer);
    clearTimeout(this.stateTimer);
    this.holdTimer = null;
    this.stateTimer = null;
  }
}
