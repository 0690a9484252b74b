// Vietnamese first, English second. The choice is kept in localStorage.
// Only the language in use is fetched: Vietnamese always (every key's fallback), English when
// chosen (before the first screen if it was chosen before, else when switched to).
import vi from "./vi.js";
import workVi from "./work.vi.js";
import studyVi from "./study.vi.js";
import reportsVi from "./reports.vi.js";
import auditVi from "./audit.vi.js";

// One table per language; each area of screens keeps its strings in its own file.
const TABLES = { vi: { ...vi, ...workVi, ...studyVi, ...reportsVi, ...auditVi } };
const LOADERS = {
  en: () =>
    Promise.all([
      import("./en.js"),
      import("./work.en.js"),
      import("./study.en.js"),
      import("./reports.en.js"),
      import("./audit.en.js"),
    ]),
};
const LANG_KEY = "lantoa.lang";
const listeners = new Set();

async function loadTable(code) {
  if (!TABLES[code]) {
    const parts = await LOADERS[code]();
    TABLES[code] = Object.assign({}, ...parts.map((part) => part.default));
  }
  return TABLES[code];
}

function savedLang() {
  const code = localStorage.getItem(LANG_KEY);
  return code && (TABLES[code] || LOADERS[code]) ? code : "vi";
}

let current = "vi";
try {
  await loadTable(savedLang());
  current = savedLang();
} catch {
  // Offline with English never fetched: Vietnamese until it can be.
}

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

// Switch language, fetching its table the first time; a table that cannot be fetched (offline)
// leaves the language as it was and rejects.
export async function setLang(code) {
  if (!(TABLES[code] || LOADERS[code]) || code === current) return;
  await loadTable(code);
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

