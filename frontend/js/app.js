// Entry point: routes, the header (navigation, organisation, user), language switch.
import { route, render, currentPath, matchRoute } from "./router.js";
import { t, lang, setLang, onLangChange, translateStatic, useStrings, STAFF_STRINGS } from "./i18n/index.js";
import { roleLabel } from "./i18n/labels.js";
import { el } from "./dom.js";
import { onUnauthorized } from "./api/client.js";
import { logout } from "./api/auth.js";
import { loadMe, currentMe, signedIn, forget, roles, currentRole, setOrg, onOrgChange, can, keepsStaff } from "./session.js";
import { showLoading, doneLoading, showDenied, showLoadFailed } from "./components/route-states.js";
import { nextId } from "./ui.js";
import { loadTimeZone } from "./lib/zone.js";
import { useStyles, STAFF_STYLES } from "./lib/styles.js";

// The teacher's own screens need no style sheet beyond those index.html links, and no strings
// beyond those i18n/index.js starts with.
const TEACHER = { styles: [], strings: [] };

route("/", () => import("./views/home.js"));
route("/status", () => import("./views/status.js"));
route("/privacy", () => import("./views/privacy.js"), { ...TEACHER, strings: ["privacy"] });
route("/login", () => import("./views/login.js"), { guestOnly: true });
route("/reset", () => import("./views/reset.js"));
route("/people", () => import("./views/people.js"), { auth: true, permission: "people:read" });
route("/people/new", () => import("./views/person.js"), { auth: true, permission: "people:manage" });
route("/people/:id", () => import("./views/person.js"), { auth: true, permission: "people:read" });
route("/people/:id/history", () => import("./views/history.js"), { auth: true, permission: "people:read", strings: [...STAFF_STRINGS, "history"], styles: [...STAFF_STYLES, "history"] });
route("/units", () => import("./views/units.js"), { auth: true, permission: "people:read" });
route("/units/:id", () => import("./views/unit.js"), { auth: true, permission: "people:read" });
route("/import", () => import("./views/import.js"), { auth: true, permission: "people:manage" });
route("/tokens", () => import("./views/tokens.js"), { auth: true, permission: "tokens:manage" });
// Integrations: webhooks and the email outbox, with strings of their own.
const INTEGRATIONS = { auth: true, permission: "tokens:manage", strings: [...STAFF_STRINGS, "integrations"] };
route("/integrations", () => import("./views/integrations.js"), INTEGRATIONS);
route("/integrations/webhooks/:id", () => import("./views/webhook-log.js"), INTEGRATIONS);
route("/audit", () => import("./views/audit.js"), { auth: true, permission: "audit:read" });
route("/account", () => import("./views/account.js"), { auth: true });
route("/notifications", () => import("./views/notifications.js"), { auth: true });
route("/digest", () => import("./views/digest.js"), { auth: true });
// Plans, tasks and the outreach log.
route("/plans", () => import("./views/plans.js"), { auth: true });
route("/plans/new", () => import("./views/plan-editor.js"), { auth: true, permission: "plans:write" });
route("/plans/:id/edit", () => import("./views/plan-editor.js"), { auth: true, permission: "plans:write" });
route("/plans/:id/pending", () => import("./views/pending.js"), { auth: true });
route("/plans/:id/reminders", () => import("./views/reminders.js"), { auth: true, permission: "people:read" });
route("/plans/:id/progress", () => import("./views/progress.js"), { auth: true, permission: "reports:read" });
route("/plans/:id/rollup", () => import("./views/rollup.js"), { auth: true, permission: "reports:read" });
route("/plans/:id/report", () => import("./views/report.js"), { auth: true, permission: "plans:write" });
route("/plans/:id/quiz/import", () => import("./views/quiz-import.js"), { auth: true, permission: "plans:write", strings: [...STAFF_STRINGS, "quiz-import"] });
route("/reports", () => import("./views/reports.js"), { auth: true, permission: "reports:read" });
route("/plans/:id/contests", () => import("./views/contests.js"), { auth: true, styles: [...STAFF_STYLES, "contest"] });
route("/plans/:id/quiz", () => import("./views/plan-quiz.js"), { auth: true, permission: "plans:write", strings: [...STAFF_STRINGS, "quiz"], styles: [...STAFF_STYLES, "quiz"] });
route("/plans/:id", () => import("./views/plan.js"), { auth: true, strings: [...STAFF_STRINGS, "quiz"] });
// Staff who may not read every task have their own list as the task screen.
route("/tasks", () => (can("tasks:read") ? import("./views/tasks.js") : import("./views/my-tasks.js")), { auth: true });
route("/tasks/mine", () => import("./views/my-tasks.js"), { auth: true });
route("/tasks/:id", () => import("./views/task.js"), { auth: true });
route("/outreach", () => import("./views/outreach.js"), { auth: true, permission: "activities:read" });
// Studying: the teacher's side, sessions, attendance, confirmations.
route("/me", () => import("./views/teacher.js"), { auth: true, ...TEACHER });
route("/l/:token", () => import("./views/link.js"), TEACHER);
// Her learning record: its view, strings and styles come only when opened.
const HISTORY = { styles: ["history"], strings: ["history"] };
route("/me/history", () => import("./views/history.js"), { auth: true, ...HISTORY });
route("/l/:token/history", () => import("./views/history.js"), HISTORY);
// Contests: a staff member's (by her link or signed in), and the public link's entry and results.
const CONTEST = { styles: ["contest"], strings: ["contest"] };
route("/me/contests", () => import("./views/contest-mine.js"), { auth: true, ...CONTEST });
route("/l/:token/contests", () => import("./views/contest-mine.js"), CONTEST);
route("/contest/:token", () => import("./views/contest-public.js"), CONTEST);
route("/contest/:token/results", () => import("./views/contest-results.js"), CONTEST);

// Her quiz, by her link or signed in: its view, strings and styles come only when opened.
const QUIZ = { styles: ["quiz"], strings: ["quiz"] };
route("/me/quiz/:id", () => import("./views/quiz.js"), { auth: true, ...QUIZ });
route("/l/:token/quiz/:id", () => import("./views/quiz.js"), QUIZ);
route("/checkin", () => import("./views/checkin.js"), TEACHER);
route("/checkin/:code", () => import("./views/checkin.js"), TEACHER);
route("/sessions", () => import("./views/sessions.js"), { auth: true, permission: "sessions:read" });
route("/sessions/new", () => import("./views/session-editor.js"), { auth: true, permission: "sessions:write" });
route("/sessions/:id/projector", () => import("./views/projector.js"), { auth: true, permission: "sessions:write" });
route("/sessions/:id", () => import("./views/session.js"), { auth: true, permission: "sessions:read" });
route("/reflections", () => import("./views/reflections.js"), { auth: true, permission: "reflections:grade" });
route("/link-sheet", () => import("./views/link-sheet.js"), { auth: true, permission: "people:manage" });

// [href, label key, path, permission]
const LINKS = [
  ["#/", "nav.home", "/", null],
  ["#/me", "nav.me", "/me", "self"],
  ["#/plans", "nav.plans", "/plans", "plans:read"],
  ["#/tasks", "nav.tasks", "/tasks", "tasks:read"],
  ["#/tasks/mine", "nav.myTasks", "/tasks", "own-tasks"],
  ["#/sessions", "nav.sessions", "/sessions", "sessions:read"],
  ["#/outreach", "nav.outreach", "/outreach", "activities:read"],
  ["#/reports", "nav.reports", "/reports", "reports:read"],
  ["#/people", "nav.people", "/people", "staff"],
  ["#/units", "nav.units", "/units", "staff"],
  ["#/import", "nav.import", "/import", "people:manage"],
  ["#/tokens", "nav.tokens", "/tokens", "tokens:manage"],
  ["#/integrations", "nav.integrations", "/integrations", "tokens:manage"],
  ["#/audit", "nav.audit", "/audit", "audit:read"],
  ["#/status", "nav.status", "/status", "audit:read"],
];
// More links than this fold behind the menu button on a phone.
const FOLD_AFTER = 4;

const outlet = document.getElementById("main");
const nav = document.getElementById("nav");
const orgSlot = document.getElementById("org-slot");
const userSlot = document.getElementById("user-slot");
const langToggle = document.getElementById("lang-toggle");
const menuToggle = document.getElementById("menu-toggle");

function section(path) {
  if (/^\/plans\/[^/]+\/(progress|rollup|report)$/.test(path)) return "/reports";
  const first = path.split("/")[1] || "";
  return `/${first}`;
}

function renderNav() {
  const here = section(currentPath());
  const isStaff = Boolean(currentMe()?.user.participant_id);
  const allowed = (permission) => {
    if (permission === "self") return isStaff;
    // Staff who cannot read every task still reach their own.
    if (permission === "own-tasks") return isStaff && !can("tasks:read");
    // A district's reader: the schools keep the staff, so those screens would be empty.
    if (permission === "staff") return keepsStaff();
    return can(permission);
  };
  // Staff without the school's screens have their page as home: one link, not two.
  const ownHome = isStaff && !can("people:read");
  const links = LINKS.filter(([, key, , permission]) => {
    if (onLinkPage()) return false;
    if (key === "nav.home" && ownHome) return false;
    return !permission || (currentMe() && allowed(permission));
  });
  nav.replaceChildren(
    ...links.map(([href, key, p]) =>
      el("a", { href, "aria-current": here === p ? "page" : false }, t(key)),
    ),
  );
  nav.setAttribute("aria-label", t("nav.main"));
  const current = links.find(([, , p]) => p === here);
  menuToggle.hidden = links.length <= FOLD_AFTER;
  menuToggle.replaceChildren(el("span", { "aria-hidden": "true" }, "☰ "), current ? t(current[1]) : t("nav.menu"));
  menuToggle.title = t("nav.menuLabel");
  foldNav(true);
}

function foldNav(folded) {
  nav.classList.toggle("nav-folded", folded && !menuToggle.hidden);
  menuToggle.setAttribute("aria-expanded", String(!folded));
}

function renderOrg() {
  const all = roles();
  const role = currentRole();
  if (!role) {
    orgSlot.replaceChildren();
    return;
  }
  if (all.length === 1) {
    orgSlot.replaceChildren(el("span", { class: "org-name" }, role.organization_name));
    return;
  }
  const id = nextId("org");
  const picker = el(
    "select",
    { id, class: "org-select" },
    all.map((r) =>
      el(
        "option",
        { value: r.organization_id, selected: r.organization_id === role.organization_id },
        `${r.organization_name} — ${roleLabel(r.role)}`,
      ),
    ),
  );
  picker.addEventListener("change", () => setOrg(Number(picker.value)));
  orgSlot.replaceChildren(el("label", { for: id, class: "visually-hidden" }, t("org.switch")), picker);
}

// A personal link page opened without signing in: the link is her way in, so the header
// offers no sign-in and no menu of screens she cannot open.
function onLinkPage() {
  return !currentMe() && currentPath().startsWith("/l/");
}

function renderUser() {
  const me = currentMe();
  if (!me) {
    const quiet = currentPath() === "/login" || onLinkPage();
    userSlot.replaceChildren(quiet ? "" : el("a", { href: "#/login", class: "topbar-link" }, t("auth.login")));
    return;
  }
  const out = el("button", { type: "button", class: "topbar-button" }, t("auth.logout"));
  out.addEventListener("click", async () => {
    out.disabled = true;
    try {
      await logout();
    } catch {
      // The session may already be gone; signing out locally is what matters.
    }
    forget();
    if (currentPath() === "/login") show();
    else location.hash = "#/login";
  });
  userSlot.replaceChildren(
    bell(),
    el("a", { href: "#/account", class: "user-name", title: t("account.title") }, me.user.display_name || me.user.username),
    out,
  );
}

// The bell: my notifications, with the unread count (fetched after the header is drawn, and
// again when a screen marks some read).
let bellCount = null;
function bell() {
  bellCount = el("span", { class: "bell-count", hidden: true });
  const link = el("a", { href: "#/notifications", class: "topbar-link bell", "data-testid": "bell" }, t("bell.title"), " ", bellCount);
  link.setAttribute("aria-label", t("bell.title"));
  refreshBell(link);
  return link;
}

async function refreshBell(link = document.querySelector("[data-testid=bell]")) {
  const count = bellCount;
  if (!link || !count) return;
  try {
    const { listNotifications } = await import("./api/notifications.js");
    const { unread } = await listNotifications({ limit: 1, unread: true });
    count.textContent = String(unread);
    count.hidden = unread === 0;
    link.setAttribute("aria-label", unread ? t("bell.labelUnread", { n: unread }) : t("bell.title"));
  } catch {
    count.hidden = true; // the bell stays; its count comes back with the next screen
  }
}

function renderHeader() {
  renderNav();
  renderOrg();
  renderUser();
  langToggle.textContent = lang() === "vi" ? "EN" : "VI";
  langToggle.setAttribute("aria-label", t("lang.switchTo"));
  document.documentElement.lang = lang();
  translateStatic();
}

// Decide whether the route may be shown to this caller: null, a path to go to instead, or
// denied (the page says so rather than silently going home).
async function guard(meta, path) {
  if (meta.guestOnly) {
    return currentMe() ? { redirect: "/" } : null;
  }
  if (!meta.auth) return null;
  if (!currentMe()) return { redirect: `/login?next=${encodeURIComponent(path)}` };
  if (meta.permission && !can(meta.permission)) return { denied: true };
  return null;
}

const SCREENS = {
  guard,
  notFound: () => import("./views/not-found.js"),
  loading: showLoading,
  loaded: doneLoading,
  denied: showDenied,
  failed: showLoadFailed,
};

async function show() {
  // Every screen shows times in the server's zone: learn it (once) before the first draws any.
  const zone = loadTimeZone();
  const meta = matchRoute()?.meta ?? {};
  const styles = useStyles(meta.styles ?? STAFF_STYLES);
  const strings = useStrings(meta.strings ?? STAFF_STRINGS).catch(() => {});
  if (signedIn() && !currentMe()) {
    try {
      await loadMe();
    } catch {
      // Server unreachable: screens show their own error when they try to load.
    }
  }
  await Promise.all([zone, styles, strings]);
  renderHeader();
  const title = matchRoute() ? null : t("notFound.title");
  document.title = title ? `${title} — Lan Tỏa` : "Lan Tỏa";
  await render(outlet, SCREENS);
}

document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  outlet.focus();
});
langToggle.addEventListener("click", async () => {
  langToggle.disabled = true;
  try {
    await setLang(lang() === "vi" ? "en" : "vi");
  } catch {
    window.alert(t("problem.network"));
  } finally {
    langToggle.disabled = false;
  }
});
menuToggle.addEventListener("click", () => foldNav(menuToggle.getAttribute("aria-expanded") === "true"));
onLangChange(show);
onOrgChange(show);
onUnauthorized(() => {
  forget();
  if (currentPath() !== "/login") {
    location.hash = `#/login?next=${encodeURIComponent(currentPath())}`;
  }
});
window.addEventListener("hashchange", () => {
  show();
  outlet.focus({ preventScroll: true });
});
window.addEventListener("lantoa:signed-in", () => renderHeader());
window.addEventListener("lantoa:notifications", () => refreshBell());
show();
