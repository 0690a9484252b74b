// Vietnamese first, English second. The choice is kept in localStorage.
// Only what is in use is fetched, as with the style sheets: the main table and the teacher's
// (study) in Vietnamese, every key's fallback, at once; the staff screens' areas with the first
// screen that needs them (useStrings); English only once chosen.
import vi from "./vi.js";
import studyVi from "./study.vi.js";

// Each area of screens keeps its strings in its own file, "<area>.<lang>.js".
export const STAFF_STRINGS = ["work", "reports", "audit", "contest"];
const TABLES = { vi: { ...vi, ...studyVi } };
const AREAS = { vi: new Set(["study"]) };
const inUse = new Set(["study"]);
const LANGS = ["vi", "en"];
const LANG_KEY = "lantoa.lang";
const listeners = new Set();

const importTable = (code, area) => import(area ? `./${area}.${code}.js` : `./${code}.js`);

async function loadAreas(code, areas) {
  const have = (AREAS[code] ??= new Set());
  const missing = areas.filter((area) => !have.has(area));
  if (TABLES[code] && !missing.length) return;
  const parts = await Promise.all([...(TABLES[code] ? [] : [importTable(code, "")]), ...missing.map((area) => importTable(code, area))]);
  TABLES[code] = Object.assign(TABLES[code] ?? {}, ...parts.map((part) => part.default));
  missing.forEach((area) => have.add(area));
}

function savedLang() {
  const code = localStorage.getItem(LANG_KEY);
  return LANGS.includes(code) ? code : "vi";
}

let current = "vi";
try {
  await loadAreas(savedLang(), [...inUse]);
  current = savedLang();
} catch {
  // Offline with English never fetched: Vietnamese until it can be.
}

// Resolves once the areas' strings are there in Vietnamese and in the language in use.
export function useStrings(areas) {
  areas.forEach((area) => inUse.add(area));
  return Promise.all([loadAreas("vi", areas), current === "vi" ? null : loadAreas(current, areas)]);
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
  if (!LANGS.includes(code) || code === current) return;
  await loadAreas(code, [...inUse]);
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

