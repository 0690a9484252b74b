// How days, times and numbers read on the screens: days as Vietnamese documents write them
// (05/03/2025) and times on a 24-hour clock, in the server's time zone whatever the language;
// numbers as the chosen language writes them.
import { lang, t } from "../i18n/index.js";
import { zonedFormat, zonedInstant, zonedParts } from "./zone.js";

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

// A YYYY-MM-DD is a calendar day and reads as it is; an instant reads as the day it falls on
// in the server's zone.
function dayParts(value) {
  const day = typeof value === "string" ? CALENDAR_DAY.exec(value) : null;
  return day ? { year: day[1], month: day[2], day: day[3] } : zonedParts(value);
}

// 05/03/2025; 05/03 with { year: false }.
export function formatDate(value, { year = true } = {}) {
  if (!value) return "";
  const p = dayParts(value);
  return year ? `${p.day}/${p.month}/${p.year}` : `${p.day}/${p.month}`;
}

// 14:30
export function formatTime(value) {
  if (!value) return "";
  const p = zonedParts(value);
  return `${p.hour}:${p.minute}`;
}

// 05/03/2025 14:30
export function formatDateTime(value) {
  if (!value) return "";
  const p = zonedParts(value);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

// "Thứ Năm" (or "Thursday"), capitalised as it starts a line.
function weekday(value) {
  const name = zonedFormat(lang() === "en" ? "en-GB" : "vi-VN", { weekday: "long" }).format(new Date(value));
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// "Thứ Năm, 26/11/2026 · 16:30–18:00": a session's time; the end's day too when it is another.
export function formatTimeSpan(start, end) {
  const until = formatDate(start) === formatDate(end) ? formatTime(end) : formatDateTime(end);
  return `${weekday(start)}, ${formatDate(start)} · ${formatTime(start)}–${until}`;
}

// "Thứ Năm, 10/12/2026": a calendar day with its weekday (read at noon there, so any zone
// names the same day).
export function formatDay(day) {
  return day ? `${weekday(zonedInstant(day, "12:00"))}, ${formatDate(day)}` : "";
}

// "01/03/2025 – 31/12/2025", "từ 01/03/2025" for a period without an end, "—" without a start.
export function formatPeriod(start, end) {
  if (!start) return "—";
  if (!end) return t("plans.periodFrom", { start: formatDate(start) });
  return `${formatDate(start)} – ${formatDate(end)}`;
}

function numberLocale() {
  return lang() === "en" ? "en-GB" : "vi-VN";
}

// 8.111 in Vietnamese, 8,111 in English.
export function number(value) {
  return new Intl.NumberFormat(numberLocale()).format(value ?? 0);
}

// 81,4% in Vietnamese, 81.4% in English; a missing rate reads 0%.
export function percent(rate) {
  const value = Number.isFinite(rate) ? rate : 0;
  return new Intl.NumberFormat(numberLocale(), { style: "percent", maximumFractionDigits: 1 }).format(value);
}

const ROMAN = [
  [10, "X"],
  [9, "IX"],
  [5, "V"],
  [4, "IV"],
  [1, "I"],
];

// 1 → I, 4 → IV: how an official document numbers its sections.
export function roman(n) {
  let out = "";
  for (const [value, letters] of ROMAN) {
    while (n >= value) {
      out += letters;
      n -= value;
    }
  }
  return out;
}
