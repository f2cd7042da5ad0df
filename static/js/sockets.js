// Socket.IO connections (websocket transport) with token auth that survives refreshes.
// The server checks a socket's token on every event and drops sockets whose token expired,
// so a socket reconnects (quietly) whenever the access token changes, and after a drop.
// Every socket has a connection of its own (no multiplexing): a league namespace's
// handshake carries `?league={id}`, which the proxy hashes on, so a league's sockets meet
// on the server process that runs its draft; `/` (notifications) goes anywhere.
// Reconnects back off with jitter, so a server's sockets do not all come back at once.

import { io } from "../vendor/socket.io.esm.min.js";
import { accessToken, freshAccessToken, onSessionChange, refresh } from "./session.js";

/** The managers' reconnection backoff: 1 s doubling up to 10 s, each delay ±50 %. */
export const RECONNECT = { reconnectionDelay: 1000, reconnectionDelayMax: 10000, randomizationFactor: 0.5 };
const LEAGUE_NSP = /^\/league\/(\d+)$/;
/** Refusals worth retrying (after a refresh, for unauthorized); others go to onRefused. */
const RETRIED = ["unauthorized", "overloaded", "rate_limited", "service_unavailable", "internal_error", "connect_error"];
const opened = new Set();

// engine.io-client drops its connections when the browser goes offline, but with several
// connections it misses every other one (its listener list is spliced while iterated):
// drop them all here (closing a closed one does nothing); each manager then reconnects.
window.addEventListener("offline", () => {
  for (const socket of opened) if (socket.io.engine) socket.io.engine.close();
});

/** The `{code, message, retryAfterMs}` of a connect_error (older servers send the dict as text). */
export function refusal(err) {
  const data = err && err.data;
  if (data && typeof data === "object" && data.code) {
    const after = data.retry_after_ms ?? (data.details && data.details.retry_after_ms);
    return { code: data.code, message: data.message || err.message, retryAfterMs: Number(after) || 0 };
  }
  const text = String((err && err.message) || "");
  const code = /['"]code['"]\s*:\s*['"](\w+)['"]/.exec(text);
  const message = /['"]message['"]\s*:\s*(['"])(.*?)\1\s*[,}]/.exec(text);
  const after = /['"]retry_after_ms['"]\s*:\s*(\d+)/.exec(text);
  return { code: code ? code[1] : "connect_error", message: message ? message[2] : text, retryAfterMs: after ? Number(after[1]) : 0 };
}

/**
 * Milliseconds to wait before retrying connect attempt number `attempt` (1, 2, ...) after a
 * refusal: at least the server's `retryAfterMs` plus up to half of it again, else the
 * managers' backoff (1 s doubling, at most 10 s, ±50 %). `random` is Math.random.
 */
export function retryDelay({ retryAfterMs = 0 } = {}, attempt = 1, random = Math.random) {
  const { reconnectionDelay: min, reconnectionDelayMax: max, randomizationFactor: jitter } = RECONNECT;
  if (retryAfterMs > 0) return Math.round(retryAfterMs * (1 + jitter * random()));
  const base = Math.min(max, min * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(max, base * (1 - jitter + 2 * jitter * random())));
}

/**
 * Open namespace `nsp` ("/" or "/league/3") on a connection of its own. A refused
 * connection (connect_error) is retried with backoff: an expired token after a refresh,
 * `overloaded` or `rate_limited` not before the `retry_after_ms` it carries;
 * `onRefused(code, message)` is called for refusals a retry cannot fix (forbidden, not_found).
 */
export function openSocket(nsp, { onRefused = () => {} } = {}) {
  const league = LEAGUE_NSP.exec(nsp);
  const socket = io(nsp, {
    forceNew: true,
    query: league ? { league: league[1] } : {},
    transports: ["websocket"],
    auth: (cb) => {
      freshAccessToken().then((token) => cb({ token }), () => cb({ token: accessToken() }));
    },
    ...RECONNECT,
  });
  opened.add(socket);
  let retry = null;
  let attempts = 0;
  let closed = false;
  let token = accessToken();
  const later = (ms) => {
    clearTimeout(retry);
    retry = setTimeout(() => {
      if (!closed && !socket.connected) socket.connect();
    }, ms);
  };
  socket.on("connect", () => {
    attempts = 0;
    token = accessToken();
  });
  socket.on("disconnect", (reason) => {
    // "io server disconnect": dropped by the server (e.g. expired token): come back ourselves
    if (reason === "io server disconnect" && !closed) later(retryDelay({}, 1));
  });
  socket.on("connect_error", async (err) => {
    if (socket.active || closed) return; // transport failure: the manager retries by itself
    const refused = refusal(err);
    if (!RETRIED.includes(refused.code)) {
      onRefused(refused.code, refused.message);
      return;
    }
    if (refused.code === "unauthorized") await refresh();
    attempts += 1;
    later(retryDelay(refused, attempts));
  });
  const unsubscribe = onSessionChange(() => {
    const next = accessToken();
    if (next && next !== token && socket.connected) {
      token = next;
      socket.quietReconnect = true;
      socket.disconnect().connect();
    }
  });
  const close = socket.close.bind(socket);
  socket.close = () => {
    closed = true;
    opened.delete(socket);
    clearTimeout(retry);
    unsubscribe();
    return close();
  };
  return socket;
}

/** Resolve when `socket` is connected (false after `ms`). */
export function connected(socket, ms = 5000) {
  if (socket.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      resolve(value);
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    socket.on("connect", onConnect);
  });
}

/**
 * Emit with an ack and a timeout; resolves to the ack ({ok, ...}) or an error-shaped object.
 * An `unauthorized` answer (the socket's token expired) is retried once after a refresh.
 */
export async function request(socket, event, payload, timeoutMs = 8000) {
  let ack = await emitOnce(socket, event, payload, timeoutMs);
  if (!ack.ok && ack.error && ack.error.code === "unauthorized") {
    await refresh();
    if (!socket.connected) socket.connect();
    if (await connected(socket)) ack = await emitOnce(socket, event, payload, timeoutMs);
  }
  return ack;
}

async function emitOnce(socket, event, payload, timeoutMs) {
  if (!socket.connected) {
    return { ok: false, error: { code: "disconnected", message: "Not connected to the server right now; try again in a moment." } };
  }
  try {
    const ack = await socket.timeout(timeoutMs).emitWithAck(event, payload);
    return ack || { ok: false, error: { code: "no_answer", message: "The server did not answer." } };
  } catch {
    return { ok: false, error: { code: "timeout", message: "The server did not answer in time." } };
  }
}
