// A small inline-SVG line chart (no library): one line per series over labelled x steps.

const NS = "http://www.w3.org/2000/svg";
export const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990", "#dcbeff"];

function el(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

/** Round `max` up to a friendly axis top and return [top, step]. */
export function niceScale(min, max, ticks = 5) {
  const span = Math.max(1, max - min);
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step, step];
}

/**
 * An <svg> line chart. `labels`: x labels; `series`: [{name, values: number[]}].
 * Lines get PALETTE colours and distinct dash styles so colour is not the only cue.
 */
export function lineChart({ labels, series, title, width = 720, height = 300 }) {
  const pad = { left: 44, right: 12, top: 16, bottom: 36 };
  const values = series.flatMap((s) => s.values);
  const [lo, hi, step] = niceScale(Math.min(0, ...values), Math.max(1, ...values));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const x = (i) => pad.left + (labels.length <= 1 ? innerW / 2 : (i * innerW) / (labels.length - 1));
  const y = (v) => pad.top + innerH - ((v - lo) / (hi - lo || 1)) * innerH;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart", "aria-labelledby": "chart-title" });
  svg.append(el("title", { id: "chart-title" }, title));
  for (let v = lo; v <= hi + 1e-9; v += step) {
    svg.append(el("line", { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: v === 0 ? "axis" : "gridline" }));
    svg.append(el("text", { x: pad.left - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, String(Math.round(v * 10) / 10)));
  }
  labels.forEach((label, i) => {
    svg.append(el("text", { x: x(i), y: height - pad.bottom + 18, "text-anchor": "middle", class: "tick" }, label));
  });
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    const g = el("g", { class: "series" });
    g.append(el("title", {}, `${s.name}: ${s.values.join(", ")}`));
    g.append(el("polyline", { points, fill: "none", stroke: color, "stroke-width": 2.5, "stroke-dasharray": k % 3 === 0 ? "none" : k % 3 === 1 ? "6 3" : "2 3" }));
    s.values.forEach((v, i) => g.append(el("circle", { cx: x(i), cy: y(v), r: 3.5, fill: color })));
    svg.append(g);
  });
  return svg;
}

/** The legend matching lineChart's colours. */
export function legend(series) {
  const list = document.createElement("ul");
  list.className = "legend";
  series.forEach((s, k) => {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = PALETTE[k % PALETTE.length];
    item.append(swatch, document.createTextNode(s.name));
    list.append(item);
  });
  return list;
}
