// Cached reference data: races, drivers, constructors, rankings of a season.

import { api } from "./api.js";

const cache = new Map();

function cached(key, load) {
  if (!cache.has(key)) {
    const promise = load().catch((err) => {
      cache.delete(key);
      throw err;
    });
    cache.set(key, promise);
  }
  return cache.get(key);
}

/** Races of a season (fresh every call: statuses change). */
export function races(season) {
  return api("GET", "/races", { query: { season }, auth: false, fresh: true });
}

export function drivers(season) {
  return cached(`drivers:${season}`, () => api("GET", "/drivers", { query: { season }, auth: false }));
}

export function constructors(season) {
  return cached(`constructors:${season}`, () => api("GET", "/constructors", { query: { season }, auth: false }));
}

/** Season fantasy points by driver id ({} when rankings are not available yet). */
export async function seasonPoints(season) {
  try {
    const rows = await api("GET", "/drivers/rankings", { query: { season }, auth: false, fresh: true });
    return Object.fromEntries(rows.map((r) => [r.driver_id, Number(r.fantasy_points) || 0]));
  } catch {
    return {};
  }
}

/** Driver id -> statistics for drafting (form, averages; {} when not available yet). */
export async function driverStats(season) {
  try {
    const rows = await api("GET", "/drivers/stats", { query: { season }, auth: false, fresh: true });
    return Object.fromEntries(rows.map((r) => [r.driver_id, r]));
  } catch {
    return {};
  }
}

/** The race's draftable drivers (entered or substitute) as a Set of ids, or null. */
export async function raceEntries(raceId) {
  try {
    return entrySet(await api("GET", `/races/${raceId}/entries`, { auth: false, fresh: true }));
  } catch {
    return null;
  }
}

/** The draftable ids of an entry list (`GET /races/{id}/entries`, the `entries` event). */
export function entrySet(rows) {
  return new Set(rows.filter((r) => r.status === "entered" || r.status === "substitute").map((r) => r.driver_id));
}

/** Driver id -> {driver, constructor} for a season. */
export async function driverIndex(season) {
  const [ds, cs] = await Promise.all([drivers(season), constructors(season).catch(() => [])]);
  const byConstructor = new Map(cs.map((c) => [c.id, c]));
  return new Map(ds.map((d) => [d.id, { ...d, constructor_info: byConstructor.get(d.constructor_id) || null }]));
}

export function driverName(d) {
  if (!d) return "?";
  return `${d.given_name || ""} ${d.family_name || ""}`.trim() || d.code || d.ref || `#${d.id}`;
}

export function shortName(d) {
  if (!d) return "?";
  return d.code || d.family_name || driverName(d);
}

export function teamColor(d) {
  return (d && d.constructor_info && d.constructor_info.color) || "#888888";
}

/** The league's details (always fresh). */
export function league(id) {
  return api("GET", `/leagues/${id}`);
}
