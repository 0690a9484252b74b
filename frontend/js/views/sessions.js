// Study sessions: a list (upcoming first) or a month calendar; managers schedule new ones.
import { listPlans } from "../api/plans.js";
import { listSessions } from "../api/sessions.js";
import { sessionStatusBadge } from "../components/badges.js";
import { el } from "../dom.js";
import { t, lang } from "../i18n/index.js";
import { latestRequests } from "../lib/busy.js";
import { formatTime, formatTimeSpan } from "../lib/format.js";
import { isoDay, todayIso, zonedInstant } from "../lib/zone.js";
import { currentQuery, replaceQuery } from "../router.js";
import { can, orgId } from "../session.js";
import { field, select, messageSlot, showMessage, pageHeader, loading } from "../ui.js";

// The default list: what is coming and what was held in these last days.
const RECENT_DAYS = 7;

function shiftMonth(ym, delta) {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

// "2025-03" → the instants the month starts and the next one starts, in the server's zone.
function monthRange(ym) {
  return { since: zonedInstant(`${ym}-01`), until: zonedInstant(`${shiftMonth(ym, 1)}-01`) };
}

const thisMonth = () => todayIso().slice(0, 7);

function countsLine(s) {
  const c = s.counts;
  if (!c.audience) return "";
  return t("sessions.countsShort", { here: c.present + c.late, audience: c.audience });
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
      el("div", { class: "small" }, formatTimeSpan(s.starts_at, s.ends_at)),
      el(
        "div",
        { class: "small muted" },
        [t(`sessions.kind.${s.kind}`), s.place, plan?.symbol].filter(Boolean).join(" · "),
      ),
    ),
    el("div", { class: "session-item-side" }, sessionStatusBadge(s.status), el("span", { class: "small" }, countsLine(s))),
  );
}

function calendar(ym, items, onMove) {
  const [y, m] = ym.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday first
  const byDay = new Map();
  for (const s of items) {
    const key = isoDay(s.starts_at);
    if (!byDay.has(key)) byDay.set(key, []);
    byDay.get(key).push(s);
  }
  const today = todayIso();
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
            { href: `#/sessions/${s.id}`, class: `cal-event cal-${s.status}`, title: `${s.title} — ${formatTimeSpan(s.starts_at, s.ends_at)}` },
            el("span", { class: "cal-time" }, formatTime(s.starts_at)),
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
  now.addEventListener("click", () => onMove(thisMonth()));
  return el(
    "div",
    { class: "calendar" },
    el(
      "div",
      { class: "cal-nav" },
      prev,
      el("h2", { class: "cal-month", "aria-live": "polite" }, t("sessions.monthTitle", { m, y })),
      next,
      now,
    ),
    el("div", { class: "cal-grid cal-head", "aria-hidden": "true" }, names.map((n) => el("div", { class: "cal-name" }, n))),
    el("div", { class: "cal-grid", role: "list", "aria-label": t("sessions.monthTitle", { m, y }) }, cells),
  );
}

export async function render(outlet) {
  const params = currentQuery();
  const state = {
    view: params.get("view") === "month" ? "month" : "list",
    plan: params.get("plan") || "",
    status: params.get("status") || "",
    when: params.get("when") === "all" ? "all" : "upcoming",
    month: /^\d{4}-\d{2}$/.test(params.get("month") || "") ? params.get("month") : thisMonth(),
  };
  const alert = messageSlot("error");
  const results = el("div", { class: "results" }, loading());
  const requests = latestRequests(results);
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

  // The plans name each session's plan; the list waits for them (both are asked at once).
  const plans = new Map();
  const plansLoaded = listPlans({ limit: 200, org_id: orgId() })
    .then((page) => {
      for (const p of page.items) plans.set(p.id, p);
      planSelect.append(
        ...page.items
          .filter((p) => p.status !== "draft")
          .map((p) => el("option", { value: p.id, selected: String(p.id) === state.plan }, [p.symbol, p.title].filter(Boolean).join(" — ").slice(0, 120))),
      );
    })
    .catch(() => {});
  async function load() {
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
    const outcome = await requests.run(async () => (await Promise.all([listSessions(query), plansLoaded]))[0]);
    if (!outcome) return;
    if (outcome.error) {
      showMessage(alert, outcome.error.message);
      return;
    }
    const page = outcome.data;
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
      el("p", { class: "summary", role: "status" }, t("sessions.total", { n: page.total })),
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

  await load();
  return requests.cancel;
}
