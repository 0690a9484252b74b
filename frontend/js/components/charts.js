// Small inline-SVG charts for the report screens. No library, no style
// attributes (the Content-Security-Policy forbids them): sizes go in SVG attributes.
import { formatDate, number } from "../lib/format.js";

const NS = "http://www.w3.org/2000/svg";
const DAY = 86400000;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// How a rate reads at a glance: low (under half), middle, high (80% and more).
export function tone(rate) {
  if (rate >= 0.8) return "high";
  if (rate >= 0.5) return "mid";
  return "low";
}

// A horizontal bar of a rate (0..1): a track and a fill, widths as SVG attributes.
export function rateBar(rate, { className = "" } = {}) {
  const value = Math.max(0, Math.min(1, Number(rate) || 0));
  return svg(
    "svg",
    {
      class: `rate-bar tone-${tone(value)} ${className}`.trim(),
      viewBox: "0 0 100 10",
      preserveAspectRatio: "none",
      "aria-hidden": "true",
      focusable: "false",
    },
    svg("rect", { class: "rate-track", x: 0, y: 0, width: 100, height: 10, rx: 2 }),
    value > 0 ? svg("rect", { class: "rate-fill", x: 0, y: 0, width: (value * 100).toFixed(2), height: 10, rx: 2 }) : null,
  );
}

// One bar split into parts [{ value, className }], e.g. tasks by status.
export function stackedBar(parts) {
  const total = parts.reduce((sum, p) => sum + (p.value || 0), 0);
  let x = 0;
  const rects = [svg("rect", { class: "rate-track", x: 0, y: 0, width: 100, height: 10, rx: 2 })];
  if (total > 0) {
    for (const part of parts) {
      if (!part.value) continue;
      const width = (part.value / total) * 100;
      rects.push(svg("rect", { class: `part ${part.className}`, x: x.toFixed(2), y: 0, width: width.toFixed(2), height: 10 }));
      x += width;
    }
  }
  return svg(
    "svg",
    { class: "stacked-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" },
    ...rects,
  );
}

function dayNumber(iso) {
  const [y, m, d] = String(iso).slice(0, 10).split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY);
}

function isoOf(n) {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

// Confirmations over time: bars per day and the cumulative line, up to the audience.
// points: [{ day, count, cumulative }]; width: the pixels available (text stays readable).
export function timeline(points, { width = 600, total = 0, label = "", totalLabel = "" } = {}) {
  const W = Math.max(280, Math.round(width));
  const H = W < 480 ? 200 : 240;
  const m = { left: 36, right: 14, top: 16, bottom: 30 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const first = dayNumber(points[0].day);
  const last = dayNumber(points[points.length - 1].day);
  const x0 = first - 0.5;
  const x1 = last + 0.5;
  const top = Math.max(total, points[points.length - 1].cumulative, 1);
  const x = (n) => m.left + ((n - x0) / (x1 - x0)) * plotW;
  const y = (v) => m.top + plotH - (v / top) * plotH;
  const slot = plotW / (last - first + 1);
  const barW = Math.max(2, Math.min(18, slot * 0.6));

  const grid = [];
  const ticks = [...new Set([0, Math.round(top / 2), top])];
  for (const value of ticks) {
    grid.push(svg("line", { class: "chart-grid", x1: m.left, x2: W - m.right, y1: y(value), y2: y(value) }));
    grid.push(svg("text", { class: "chart-label", x: m.left - 6, y: y(value) + 4, "text-anchor": "end" }, number(value)));
  }
  if (total > 0) {
    grid.push(svg("line", { class: "chart-target", x1: m.left, x2: W - m.right, y1: y(total), y2: y(total) }));
    if (totalLabel) {
      grid.push(svg("text", { class: "chart-label chart-target-label", x: W - m.right, y: y(total) - 5, "text-anchor": "end" }, totalLabel));
    }
  }

  const bars = points.map((p) =>
    svg("rect", {
      class: "chart-bar",
      x: (x(dayNumber(p.day)) - barW / 2).toFixed(1),
      y: y(p.count).toFixed(1),
      width: barW.toFixed(1),
      height: Math.max(0, y(0) - y(p.count)).toFixed(1),
    }),
  );
  // The cumulative count holds between days with confirmations: a step line.
  let path = `M${x(first).toFixed(1)},${y(points[0].cumulative).toFixed(1)}`;
  for (const p of points.slice(1)) {
    const px = x(dayNumber(p.day)).toFixed(1);
    path += ` H${px} V${y(p.cumulative).toFixed(1)}`;
  }
  const dots = points.map((p) => svg("circle", { class: "chart-dot", cx: x(dayNumber(p.day)).toFixed(1), cy: y(p.cumulative).toFixed(1), r: 3 }));

  // Day labels: as many as fit (about 56 px each), always the first and the last.
  const span = last - first;
  const room = Math.max(2, Math.floor(plotW / 56));
  const step = Math.max(1, Math.ceil(span / (room - 1)));
  const labelDays = [];
  for (let n = first; n < last - step / 2; n += step) labelDays.push(n);
  labelDays.push(last);
  const axis = [svg("line", { class: "chart-axis", x1: m.left, x2: W - m.right, y1: y(0), y2: y(0) })];
  for (const n of span === 0 ? [first] : labelDays) {
    axis.push(svg("text", { class: "chart-label", x: x(n).toFixed(1), y: H - 10, "text-anchor": "middle" }, formatDate(isoOf(n), { year: false })));
  }

  return svg(
    "svg",
    { class: "timeline-chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-label": label },
    svg("title", {}, label),
    ...grid,
    ...bars,
    svg("path", { class: "chart-line", d: path }),
    ...dots,
    ...axis,
  );
}
