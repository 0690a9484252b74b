// Vietnamese first, English second. The choice is kept in localStorage.
import vi from "./vi.js";
import en from "./en.js";
import workVi from "./work.vi.js";
import workEn from "./work.en.js";
import studyVi from "./study.vi.js";
import studyEn from "./study.en.js";
import reportsVi from "./reports.vi.js";
import reportsEn from "./reports.en.js";
import auditVi from "./audit.vi.js";
import auditEn from "./audit.en.js";

// One table per language; each area of screens keeps its strings in its own file.
const TABLES = {
  vi: { ...vi, ...workVi, ...studyVi, ...reportsVi, ...auditVi },
  en: { ...en, ...workEn, ...studyEn, ...reportsEn, ...auditEn },
};
const LANG_KEY = "lantoa.lang";
let current = TABLES[localStorage.getItem(LANG_KEY)] ? localStorage.getItem(LANG_KEY) : "vi";
const listeners = new Set();

export function lang() {
  return current;
}

// t("key") → text in the current language; falls back to Vietnamese, then to `fallback`.
export function t(key, fallback = key, params = {}) {
  const text = TABLES[current][key] ?? TABLES.vi[key];
  if (text == null) return fallback;
  return text.replace(/\{(\w+)\}/g, (_, name) => params[name] ?? `{${name}}`);
}

export function setLang(code) {
  if (!TABLES[code] || code === current) return;
  current = code;
  localStorage.setItem(LANG_KEY, code);
  document.documentElement.lang = code;
  listeners.forEach((fn) => fn(code));
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Fill every [data-i18n] element (static parts of index.html) in the current language.
export function translateStatic(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((node) => {
    node.textContent = t(node.dataset.i18n);
  });
}

// 05/03/2025 14:30 in Vietnam's time zone, whatever the language.
export function formatDateTime(value) {
  const found = {};
  const format = new Intl.DateTimeFormat("en-GB", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "Asia/Ho_Chi_Minh",
  });
  for (const part of format.formatToParts(new Date(value))) found[part.type] = part.value;
  return `${found.day}/${found.month}/${found.year} ${found.hour}:${found.minute}`;
}
