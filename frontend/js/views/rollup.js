// The district view: every organisation below the plan's issuer, adopted or not, sortable,
// with totals; a school's row opens its own plan's dashboard. Cards on a phone.
import { getRollup, downloadRollup } from "../api/reports.js";
import { rateBar, tone } from "../components/charts.js";
import { tableRoles } from "../components/data-table.js";
import { reportCrumbs, reportHead, validDay } from "../components/report-head.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { latestRequests } from "../lib/busy.js";
import { number, percent } from "../lib/format.js";
import { currentQuery, replaceQuery } from "../router.js";
import { messageSlot, showMessage, loading, field, select } from "../ui.js";

// [key, label key, value for sorting]
const COLUMNS = [
  ["name", "reports.rollup.col.org", (r) => r.organization_name],
  ["adopted", "reports.rollup.col.adopted", (r) => (r.adopted ? 1 : 0)],
  ["confirmed", "reports.rollup.col.confirmed", (r) => r.confirmed],
  ["confirmed_rate", "reports.rollup.col.rate", (r) => r.confirmed_rate],
  ["reflections", "reports.rollup.col.reflections", (r) => r.reflections],
  ["sessions_held", "reports.rollup.col.sessions", (r) => r.sessions_held],
  ["attended_rate", "reports.rollup.col.attended", (r) => r.attended_rate],
  ["tasks", "reports.rollup.col.tasks", (r) => (r.tasks_total ? r.tasks_done / r.tasks_total : -1)],
  ["tasks_overdue", "reports.rollup.col.overdue", (r) => r.tasks_overdue],
  ["outreach", "reports.rollup.col.outreach", (r) => r.outreach],
];
const KEYS = COLUMNS.map(([key]) => key);

function sortRows(rows, { key, dir }) {
  const value = COLUMNS.find(([k]) => k === key)[2];
  const sign = dir === "desc" ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const diff = typeof va === "string" ? va.localeCompare(vb, "vi") : va - vb;
    return sign * diff || a.organization_name.localeCompare(b.organization_name, "vi");
  });
}

function rateCell(rate) {
  return el("div", { class: "cell-bar" }, rateBar(rate), el("span", { class: `bar-rate tone-${tone(rate)}` }, percent(rate)));
}

// One wrapper per cell, so a phone card keeps the label on the left of all of the content.
function cell(label, ...content) {
  return el("td", { "data-label": label }, el("div", {}, ...content));
}

// People who studied, as official reports count them, over the audience; the marks (which a
// make-up session for everybody drags down) beneath, small, so the two are not confused.
function attendedCell(label, figures) {
  const marks = figures.expected_attendances
    ? el(
        "div",
        { class: "small muted" },
        t("reports.rollup.marksValue", {
          n: number(figures.attendances),
          total: number(figures.expected_attendances),
          rate: percent(figures.attendance_rate),
        }),
      )
    : null;
  return cell(
    label,
    el("span", { class: "rp-nowrap" }, t("reports.rollup.attendedValue", { n: number(figures.attended), total: number(figures.audience) })),
    rateCell(figures.attended_rate),
    marks,
  );
}

function reflectionsCell(label, figures) {
  return cell(label, number(figures.reflections), el("div", { class: "small muted rp-nowrap" }, t("reports.rollup.gradedValue", { n: number(figures.graded) })));
}

function overdueCell(label, count) {
  return cell(label, count ? el("strong", { class: "error" }, number(count)) : number(0));
}

function tasksCell(label, figures) {
  return cell(label, figures.tasks_total ? `${number(figures.tasks_done)}/${number(figures.tasks_total)}` : el("span", { class: "muted" }, "—"));
}

function outreachCell(label, figures) {
  const reach = figures.outreach_reach ? el("div", { class: "small muted" }, t("reports.kpi.reach", { n: number(figures.outreach_reach) })) : null;
  return cell(label, number(figures.outreach), reach);
}

const label = (key) => t(`reports.rollup.col.${key}`);

// The columns after "adopted", the same for a school's row and for the totals.
function figureCells(figures) {
  return [
    cell(label("confirmed"), el("span", { class: "rp-nowrap" }, `${number(figures.confirmed)}/${number(figures.audience)}`)),
    cell(label("rate"), rateCell(figures.confirmed_rate)),
    reflectionsCell(label("reflections"), figures),
    cell(label("sessions"), number(figures.sessions_held)),
    attendedCell(label("attended"), figures),
    tasksCell(label("tasks"), figures),
    overdueCell(label("overdue"), figures.tasks_overdue),
    outreachCell(label("outreach"), figures),
  ];
}

function row(r) {
  return el(
    "tr",
    { class: r.adopted ? "" : "row-not-adopted" },
    el(
      "th",
      { scope: "row", class: "cell-name" },
      r.adopted && r.plan_id
        ? el("a", { href: `#/plans/${r.plan_id}/progress`, title: r.organization_code }, r.organization_name)
        : el("span", { class: "org-name-plain", title: r.organization_code }, r.organization_name),
    ),
    cell(
      label("adopted"),
      r.adopted
        ? el("span", {}, el("span", { class: "badge badge-ok" }, t("reports.rollup.yes")), " ", el("span", { class: "small mono" }, r.plan_symbol || ""))
        : el("span", { class: "badge rp-warn" }, t("reports.rollup.notAdopted")),
    ),
    figureCells(r),
  );
}

function totalsRow(tot) {
  return el(
    "tr",
    { class: "row-total" },
    el("th", { scope: "row", class: "cell-name" }, t("reports.total")),
    cell(label("adopted"), t("reports.rollup.adoptedOf", { n: number(tot.adopted), total: number(tot.organizations) })),
    figureCells(tot),
  );
}

function summary(data) {
  const tot = data.totals;
  const missing = data.rows.filter((r) => !r.adopted);
  const figure = (label, value, extra, detail) =>
    el("div", { class: "kpi" }, el("dt", {}, label), el("dd", {}, el("span", { class: "kpi-value" }, value), extra), detail ? el("dd", { class: "kpi-detail" }, detail) : null);
  return el(
    "div",
    {},
    el(
      "dl",
      { class: "kpis kpis-4" },
      figure(t("reports.rollup.kpiAdopted"), `${number(tot.adopted)}/${number(tot.organizations)}`),
      figure(
        t("reports.kpi.confirmed"),
        `${number(tot.confirmed)}/${number(tot.audience)}`,
        el("span", { class: `kpi-rate tone-${tone(tot.confirmed_rate)}` }, percent(tot.confirmed_rate)),
      ),
      figure(
        t("reports.rollup.col.attended"),
        `${number(tot.attended)}/${number(tot.audience)}`,
        el("span", { class: `kpi-rate tone-${tone(tot.attended_rate)}` }, percent(tot.attended_rate)),
        t("reports.rollup.kpiSessions", { n: number(tot.sessions_held) }),
      ),
      figure(t("reports.kpi.outreach"), number(tot.outreach)),
    ),
    missing.length
      ? el(
          "p",
          { class: "warning" },
          t("reports.rollup.missing", { n: number(missing.length) }),
          " ",
          missing.map((r) => r.organization_name).join(", "),
          ".",
        )
      : null,
  );
}

export async function render(outlet, { id }) {
  const planId = Number(id);
  const params = currentQuery();
  let asOf = validDay(params.get("as_of"));
  const state = {
    key: KEYS.includes(params.get("sort")) ? params.get("sort") : "confirmed_rate",
    dir: params.get("dir") === "desc" ? "desc" : "asc",
  };
  let data = null;

  const alert = messageSlot("error");
  const reportTop = reportHead({
    title: t("reports.rollup.title"),
    asOf,
    onAsOf(value) {
      asOf = value;
      load();
    },
    download: (format) => downloadRollup(planId, format, asOf),
  });
  const head = el("div");
  const results = el("div", { class: "rollup-results" }, loading());
  const sortStatus = el("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });

  const sortSelect = select(
    { name: "sort" },
    COLUMNS.flatMap(([key, labelKey]) => [
      [`${key}:asc`, `${t(labelKey)} — ${t(key === "name" ? "reports.rollup.az" : "reports.rollup.lowFirst")}`],
      [`${key}:desc`, `${t(labelKey)} — ${t(key === "name" ? "reports.rollup.za" : "reports.rollup.highFirst")}`],
    ]),
    `${state.key}:${state.dir}`,
  );
  sortSelect.addEventListener("change", () => {
    const [key, dir] = sortSelect.value.split(":");
    setSort(key, dir);
  });

  function remember() {
    replaceQuery({
      as_of: asOf,
      sort: state.key === "confirmed_rate" ? "" : state.key,
      dir: state.key === "confirmed_rate" && state.dir === "asc" ? "" : state.dir,
    });
  }

  function setSort(key, dir) {
    state.key = key;
    state.dir = dir;
    sortSelect.value = `${key}:${dir}`;
    remember();
    draw();
    const label = t(COLUMNS.find(([k]) => k === key)[1]);
    sortStatus.textContent = t(dir === "asc" ? "reports.rollup.sortedAsc" : "reports.rollup.sortedDesc", { column: label });
  }

  function header([key, labelKey]) {
    const active = state.key === key;
    const button = el(
      "button",
      { type: "button", class: "sort-button" },
      t(labelKey),
      el("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (state.dir === "asc" ? " ▲" : " ▼") : " ↕"),
    );
    button.addEventListener("click", () => {
      const dir = active ? (state.dir === "asc" ? "desc" : "asc") : key === "name" ? "asc" : "asc";
      setSort(key, dir);
      results.querySelector(`th[data-key="${key}"] button`)?.focus();
    });
    return el(
      "th",
      { scope: "col", "data-key": key, "aria-sort": active ? (state.dir === "asc" ? "ascending" : "descending") : false },
      button,
    );
  }

  function draw() {
    if (!data) return;
    if (!data.rows.length) {
      results.replaceChildren(el("p", { class: "empty" }, t("reports.rollup.empty")));
      return;
    }
    const table = tableRoles(
      el(
        "table",
        { class: "data-table responsive rollup-table" },
        el("caption", { class: "visually-hidden" }, t("reports.rollup.caption")),
        el("thead", {}, el("tr", {}, COLUMNS.map(header))),
        el("tbody", {}, sortRows(data.rows, state).map(row)),
        el("tfoot", {}, totalsRow(data.totals)),
      ),
    );
    table.querySelector("tfoot")?.setAttribute("role", "rowgroup");
    results.replaceChildren(
      el("div", { class: "rollup-scroll" }, table),
      ...["attendedNote", "marksNote", "totalsNote"].map((key) => el("p", { class: "hint" }, t(`reports.rollup.${key}`))),
    );
  }

  const requests = latestRequests(results);
  async function load() {
    remember();
    const outcome = await requests.run(() => getRollup(planId, asOf));
    if (!outcome) return;
    if (outcome.error) {
      results.replaceChildren();
      showMessage(alert, outcome.error.status === 404 ? t("reports.notFound") : outcome.error.message);
      return;
    }
    data = outcome.data;
    showMessage(alert, "");
    reportTop.show(data);
    document.title = `${t("reports.rollup.title")} ${data.plan.symbol || ""} — Lan Tỏa`;
    head.replaceChildren(data.rows.length ? summary(data) : "");
    draw();
  }

  outlet.replaceChildren(
    reportCrumbs(`#/plans/${planId}/progress`, t("reports.progress.title")),
    reportTop.node,
    alert,
    el(
      "section",
      { class: "card" },
      head,
      el("p", { class: "hint hide-phone-block" }, t("reports.rollup.hint")),
      el("div", { class: "only-phone" }, field({ label: t("reports.rollup.sortBy"), input: sortSelect })),
      sortStatus,
      results,
    ),
  );
  await load();
  return requests.cancel;
}
