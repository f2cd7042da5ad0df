// Socket.IO connections (websocket transport) with token auth that survives refreshes.

import { io } from "../vendor/socket.io.esm.min.js";
import { freshAccessToken, refresh } from "./session.js";

/** The `{code, message}` of a connect_error (python-socketio sends the dict as text). */
export function refusal(err) {
  const data = err && err.data;
  if (data && typeof data === "object" && data.code) return { code: data.code, message: data.message || err.message };
  const text = String((err && err.message) || "");
  const code = /['"]code['"]\s*:\s*['"](\w+)['"]/.exec(text);
  const message = /['"]message['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  return { code: code ? code[1] : "connect_error", message: message ? message[1] : text };
}

/**
 * Open namespace `nsp` ("/" or "/league/3"). The server may refuse a connection (connect_error)
 * for an expired token: then we refresh and try again with backoff; `onRefused(code, message)`
 * is called for refusals that a retry cannot fix (forbidden, not_found).
 */
export function openSocket(nsp, { onRefused = () => {} } = {}) {
  const socket = io(nsp, {
    transports: ["websocket"],
    auth: (cb) => {
      freshAccessToken().then((token) => cb({ token }), () => cb({ token: null }));
    },
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  let retry = null;
  let attempts = 0;
  socket.on("connect", () => {
    attempts = 0;
  });
  socket.on("connect_error", async (err) => {
    if (socket.active) return; // transport-level failure: the manager reconnects by itself
    const { code, message } = refusal(err);
    if (code === "unauthorized") {
      await refresh();
    } else if (code !== "rate_limited" && code !== "service_unavailable" && code !== "internal_error") {
      onRefused(code, message);
      return;
    }
    attempts += 1;
    clearTimeout(retry);
    retry = setTimeout(() => socket.connect(), Math.min(8000, 500 * 2 ** attempts));
  });
  const close = socket.close.bind(socket);
  socket.close = () => {
    clearTimeout(retry);
    return close();
  };
  return socket;
}

/** Emit with an ack and a timeout; resolves to the ack ({ok, ...}) or an error-shaped object. */
export async function request(socket, event, payload, timeoutMs = 8000) {
  try {
    const ack = await socket.timeout(timeoutMs).emitWithAck(event, payload);
    return ack || { ok: false, error: { code: "no_answer", message: "The server did not answer." } };
  } catch {
    return { ok: false, error: { code: "timeout", message: "The server did not answer in time." } };
  }
}
