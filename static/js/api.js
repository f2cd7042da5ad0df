// REST client: JSON in and out, bearer auth, one transparent retry after a refresh on 401,
// and the API's {"error": {code, message, details}} bodies turned into ApiError.

import { accessToken, clearSession, refresh } from "./session.js";

export const API = "/api/v1";

/** An error answered by the API (or a network failure: status 0, code "network_error"). */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * Call the API. `query` values that are empty are left out; `auth: false` sends no token.
 * Returns the parsed JSON body (null for 204); with `withTotal` returns {data, total}.
 * `fresh` revalidates with the server instead of trusting the HTTP cache (max-age).
 */
export async function api(method, path, { body, query, auth = true, withTotal = false, fresh = false } = {}) {
  const url = new URL(API + path, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  let token = auth ? accessToken() : null;
  const cache = fresh ? "no-cache" : "default";
  let response = await send(method, url, body, token, cache);
  if (response.status === 401 && auth) {
    const refreshed = await refresh(token);
    if (refreshed) {
      token = accessToken();
      response = await send(method, url, body, token, cache);
    }
    if (response.status === 401) {
      clearSession();
    }
  }
  const data = await parse(response);
  if (!response.ok) throw toError(response, data);
  if (withTotal) {
    const total = Number(response.headers.get("X-Total-Count"));
    return { data, total: Number.isFinite(total) ? total : (data || []).length };
  }
  return data;
}

async function send(method, url, body, token, cache) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(url, {
      method,
      headers,
      cache,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network_error", "Cannot reach the server. Check your connection.");
  }
}

async function parse(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: "bad_response", message: text.slice(0, 200) } };
  }
}

function toError(response, data) {
  const err = (data && data.error) || {};
  let message = err.message || `Request failed (${response.status}).`;
  const retry = response.headers.get("Retry-After");
  if (response.status === 429 && retry) message += ` Try again in ${retry} s.`;
  return new ApiError(response.status, err.code || `http_${response.status}`, message, err.details);
}

/** Validation details as [{field, message}] (accepts lists, or objects keyed by field). */
export function fieldErrors(error) {
  const details = error && error.details;
  if (!details) return [];
  if (Array.isArray(details)) {
    return details.map((d) =>
      typeof d === "string"
        ? { field: "", message: d }
        : { field: String(d.field ?? (d.loc || []).join(".")), message: d.message ?? d.msg ?? "" },
    );
  }
  if (typeof details === "object" && typeof details.field === "string") {
    return [{ field: details.field, message: error.message || "" }]; // e.g. a taken username
  }
  if (typeof details === "object") {
    return Object.entries(details).map(([field, message]) => ({
      field,
      message: Array.isArray(message) ? message.join(", ") : typeof message === "string" ? message : JSON.stringify(message),
    }));
  }
  return [];
}
