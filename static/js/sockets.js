// Socket.IO connections (websocket transport) with token auth that survives refreshes.
// The server checks a socket's token on every event and drops sockets whose token expired,
// so a socket reconnects (quietly) whenever the access token changes, and after a drop.

import { io } from "../vendor/socket.io.esm.min.js";
import { accessToken, freshAccessToken, onSessionChange, refresh } from "./session.js";

/** The `{code, message}` of a connect_error (python-socketio sends the dict as text). */
export function refusal(err) {
  const data = err && err.data;
  if (data && typeof data === "object" && data.code) return { code: data.code, message: data.message || err.message };
  const text = String((err && err.message) || "");
  const code = /['"]code['"]\s*:\s*['"](\w+)['"]/.exec(text);
  const message = /['"]message['"]\s*:\s*(['"])(.*?)\1\s*[,}]/.exec(text);
  return { code: code ? code[1] : "connect_error", message: message ? message[2] : text };
}

/**
 * Open namespace `nsp` ("/" or "/league/3"). A refused connection (connect_error) with an
 * expired token is retried after a refresh, with backoff; `onRefused(code, message)` is
 * called for refusals a retry cannot fix (forbidden, not_found).
 */
export function openSocket(nsp, { onRefused = () => {} } = {}) {
  const socket = io(nsp, {
    transports: ["websocket"],
    auth: (cb) => {
      freshAccessToken().then((token) => cb({ token }), () => cb({ token: accessToken() }));
    },
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
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
    if (reason === "io server disconnect" && !closed) later(300);
  });
  socket.on("connect_error", async (err) => {
    if (socket.active || closed) return; // transport failure: the manager retries by itself
    const { code, message } = refusal(err);
    if (code === "unauthorized") {
      await refresh();
    } else if (!["rate_limited", "service_unavailable", "internal_error", "connect_error"].includes(code)) {
      onRefused(code, message);
      return;
    }
    attempts += 1;
    later(Math.min(8000, 500 * 2 ** attempts));
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
