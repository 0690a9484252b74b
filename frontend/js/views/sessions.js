// Study sessions: a list (upcoming first) or a month calendar; managers schedule new ones.
import { listSessions, listPlans } from "../api/sessions.js";
import { t, lang } from "../i18n/index.js";
import { el } from "../dom.js";
import { currentQuery, replaceQuery } from "../router.js";
import { can, orgId } from "../session.js";
import { field, select, messageSlot, showMessage, pageHeader, loading } from "../ui.js";
import { sessionWhen } from "./teacher.js";

const TZ = "Asia/Ho_Chi_Minh";
// The default list: what is coming and what was held in these last days.
const RECENT_DAYS = 7;
const KINDS = ["study", "seminar", "parent_outreach", "makeup"];

// "2025-03" → the month's first instant and the next month's, in Vietnam's time (+07:00).
function monthRange(ym) {
  const [y, m] = ym.split("-").map(Number);
  const next = m === 12 ? [y + 1, 1] : [y, m + 1];
  const pad = (n) => String(n).padStart(2, "0");
  return {
    since: `${y}-${pad(m)}-01T00:00:00+07:00`,
    until: `${next[0]}-${pad(next[1])}-01T00:00:00+07:00`,
  };
}

function todayYm() {
  const p = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", timeZone: TZ }).format(new Date());
  return p.slice(0, 7);
}

function shiftMonth(ym, delta) {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

// The day of the month (Vietnam time) a moment falls on: "2025-03-15".
function dayKey(value) {
  return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: TZ }).format(new Date(value));
}

function countsLine(s) {
  const c = s.counts;
  if (!c.audience) return "";
  return t("sessions.countsShort", undefined, { here: c.present + c.late, audience: c.audience });
}

export function statusBadge(status) {
  const cls = status === "held" ? "badge badge-ok" : status === "cancelled" ? "badge badge-off" : "badge badge-info";
  return el("span", { class: cls }, t(`sessions.status.${status}`));
}

function sessionRow(s, plans) {
  const plan = plans.get(s.plan_id);
  return el(
    "li",
    { class: `session-item${s.status === "cancelled" ? " is-cancelled" : ""}` },
    el(
      "div",
      { class: "session-item-main" },
      el("a", { href: `#/sessions/${s.id}`, class: "list-title" }, s.title),
      el("div", { class: "small" }, sessionWhen(s)),
      el(
        "div",
        { class: "small muted" },
        [t(`sessions.kind.${s.kind}`), s.place, plan?.symbol].filter(Boolean).join(" · "),
      ),
    ),
    el("div", { class: "session-item-side" }, statusBadge(s.status), el("span", { class: "small" }, countsLine(s))),
  );
}

function calendar(ym, items, onMove) {
  const [y, m] = ym.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday first
  const byDay = new Map();
  for (const s of items) {
    const key = dayKey(s.starts_at);
    if (!byDay.has(key)) byDay.set(key, []);
    byDay.get(key).push(s);
  }
  const today = dayKey(new Date());
  const names = lang() === "en" ? ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] : ["T2", "T3", "T4", "T5", "T6", "T7", "CN"];
  const cells = [];
  for (let i = 0; i < lead; i += 1) cells.push(el("div", { class: "cal-cell cal-empty", "aria-hidden": "true" }));
  for (let d = 1; d <= days; d += 1) {
    const key = `${ym}-${String(d).padStart(2, "0")}`;
    const list = byDay.get(key) || [];
    cells.push(
      el(
        "div",
        { class: `cal-cell${key === today ? " cal-today" : ""}${list.length ? " cal-busy" : ""}`, role: "listitem" },
        el("span", { class: "cal-day" }, String(d), el("span", { class: "visually-hidden" }, ` / ${m}`)),
        list.map((s) =>
          el(
            "a",
            { href: `#/sessions/${s.id}`, class: `cal-event cal-${s.status}`, title: `${s.title} — ${sessionWhen(s)}` },
            el("span", { class: "cal-time" }, new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: TZ }).format(new Date(s.starts_at))),
            el("span", { class: "cal-title" }, ` ${s.title}`),
          ),
        ),
      ),
    );
  }
  const prev = el("button", { type: "button", class: "button button-secondary cal-step", "aria-label": t("sessions.prevMonth"), title: t("sessions.prevMonth") }, "‹");
  const next = el("button", { type: "button", class: "button button-secondary cal-step", "aria-label": t("sessions.nextMonth"), title: t("sessions.nextMonth") }, "›");
  const now = el("button", { type: "button", class: "button button-secondary" }, t("sessions.thisMonth"));
  prev.addEventListener("click", () => onMove(shiftMonth(ym, -1)));
  next.addEventListener("click", () => onMove(shiftMonth(ym, 1)));
  now.addEventListener("click", () => onMove(todayYm()));
  return el(
    "div",
    { class: "calendar" },
    el(
      "div",
      { class: "cal-nav" },
      prev,
      el("h2", { class: "cal-month", "aria-live": "polite" }, t("sessions.monthTitle", undefined, { m, y })),
      next,
      now,
    ),
    el("div", { class: "cal-grid cal-head", "aria-hidden": "true" }, names.map((n) => el("div", { class: "cal-name" }, n))),
    el("div", { class: "cal-grid", role: "list", "aria-label": t("sessions.monthTitle", undefined, { m, y }) }, cells),
  );
}

export async function render(outlet) {
  const params = currentQuery();
  const state = {
    view: params.get("view") === "month" ? "month" : "list",
    plan: params.get("plan") || "",
    status: params.get("status") || "",
    when: params.get("when") === "all" ? "all" : "upcoming",
    month: /^\d{4}-\d{2}$/.test(params.get("month") || "") ? params.get("month") : todayYm(),
  };
  const alert = messageSlot("error");
  const results = el("div", { class: "results" }, loading());
  const planSelect = select({ name: "plan" }, [["", t("sessions.allPlans")]], state.plan);
  const statusSelect = select(
    { name: "status" },
    [["", t("sessions.allStatuses")], ...["scheduled", "held", "cancelled"].map((s) => [s, t(`sessions.status.${s}`)])],
    state.status,
  );
  const whenSelect = select({ name: "when" }, [["upcoming", t("sessions.upcoming")], ["all", t("sessions.allTimes")]], state.when);
  const whenField = field({ label: t("sessions.when"), input: whenSelect });
  const listTab = el("button", { type: "button", class: "tab", "aria-pressed": String(state.view === "list") }, t("sessions.listView"));
  const monthTab = el("button", { type: "button", class: "tab", "aria-pressed": String(state.view === "month") }, t("sessions.monthView"));
  const actions = [];
  if (can("sessions:write")) actions.push(el("a", { class: "button", href: "#/sessions/new" }, t("sessions.new")));
  if (can("reflections:grade")) actions.push(el("a", { class: "button button-secondary", href: "#/reflections" }, t("reflections.title")));
  if (can("people:manage")) actions.push(el("a", { class: "button button-secondary", href: "#/link-sheet" }, t("sheet.title")));

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("sessions.title"), ...actions),
      el("div", { class: "tabs", role: "group", "aria-label": t("sessions.viewAs") }, listTab, monthTab),
      el(
        "div",
        { class: "filter-grid filters-inline" },
        field({ label: t("sessions.plan"), input: planSelect }),
        field({ label: t("sessions.status"), input: statusSelect }),
        whenField,
      ),
      alert,
      results,
    ),
  );

  const plans = new Map();
  let requestNo = 0;
  async function load() {
    const mine = ++requestNo;
    whenField.hidden = state.view === "month";
    listTab.setAttribute("aria-pressed", String(state.view === "list"));
    monthTab.setAttribute("aria-pressed", String(state.view === "month"));
    replaceQuery({
      view: state.view === "month" ? "month" : "",
      plan: state.plan,
      status: state.status,
      when: state.view === "list" && state.when === "all" ? "all" : "",
      month: state.view === "month" ? state.month : "",
    });
    const query = { plan_id: state.plan, status: state.status, org_id: orgId(), limit: 500 };
    if (state.view === "month") Object.assign(query, monthRange(state.month));
    // The last week too: the day after a session is when its sheet is finished.
    else if (state.when === "upcoming") query.since = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString();
    results.setAttribute("aria-busy", "true");
    let page;
    try {
      page = await listSessions(query);
    } catch (error) {
      if (mine === requestNo) showMessage(alert, error.message);
      return;
    } finally {
      results.removeAttribute("aria-busy");
    }
    if (mine !== requestNo) return;
    showMessage(alert, "");
    if (state.view === "month") {
      results.replaceChildren(
        calendar(state.month, page.items, (ym) => {
          state.month = ym;
          load();
        }),
        page.items.length
          ? el("ul", { class: "item-list agenda" }, page.items.map((s) => sessionRow(s, plans)))
          : el("p", { class: "empty" }, t("sessions.emptyMonth")),
      );
      return;
    }
    results.replaceChildren(
      el("p", { class: "summary", role: "status" }, t("sessions.total", undefined, { n: page.total })),
      page.items.length
        ? el("ul", { class: "item-list" }, page.items.map((s) => sessionRow(s, plans)))
        : el(
            "p",
            { class: "empty" },
            state.when === "upcoming" && !state.plan && !state.status ? t("sessions.emptyUpcoming") : t("sessions.empty"),
          ),
    );
  }

  listTab.addEventListener("click", () => {
    state.view = "list";
    load();
  });
  monthTab.addEventListener("click", () => {
    state.view = "month";
    load();
  });
  for (const [node, key] of [
    [planSelect, "plan"],
    [statusSelect, "status"],
    [whenSelect, "when"],
  ]) {
    node.addEventListener("change", () => {
      state[key] = node.value;
      load();
    });
  }

  listPlans({ limit: 200, org_id: orgId() })
    .then((page) => {
      for (const p of page.items) plans.set(p.id, p);
      planSelect.append(
        ...page.items
          .filter((p) => p.status !== "draft")
          .map((p) => el("option", { value: p.id, selected: String(p.id) === state.plan }, [p.symbol, p.title].filter(Boolean).join(" — ").slice(0, 120))),
      );
    })
    .catch(() => {});
  await load();
}

export { KINDS };
