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

// t("key", { n: 3 }) → the text in the current language (else in Vietnamese) with each {name}
// filled from params; the key itself when no table has it.
export function t(key, params = {}) {
  const text = TABLES[current][key] ?? TABLES.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => params[name] ?? `{${name}}`);
}

// The text for a code the server sent when a table has one, else `fallback` (the server's own
// label, or the code): a code added on the server still reads as something.
export function tOr(key, fallback) {
  return TABLES[current][key] ?? TABLES.vi[key] ?? fallback;
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

