// The roll-up by level: the organisations directly below one (the plan's issuer first), each
// over its whole subtree, with the level's totals; the server sorts, filters and pages them.
// A row with organisations below it drills down (the address carries org_id, so reloading and
// Back work), breadcrumbs lead back up; a school's row opens its own plan's dashboard; an
// organisation's own staff has a row of its own. Cards on a phone.
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

const PAGE = 50;
const RATES = ["", "0.5", "0.8", "1"];

// [key, label key, the server's sort (null: not sortable)]; "not_adopted" puts first the
// rows with the most organisations that have not adopted the plan.
const COLUMNS = [
  ["name", "reports.rollup.col.org", "name"],
  ["adopted", "reports.rollup.col.adopted", "not_adopted"],
  ["confirmed", "reports.rollup.col.confirmed", null],
  ["confirmed_rate", "reports.rollup.col.rate", "confirmed_rate"],
  ["reflections", "reports.rollup.col.reflections", null],
  ["sessions_held", "reports.rollup.col.sessions", null],
  ["attended_rate", "reports.rollup.col.attended", "attended_rate"],
  ["tasks", "reports.rollup.col.tasks", null],
  ["tasks_overdue", "reports.rollup.col.overdue", "tasks_overdue"],
  ["outreach", "reports.rollup.col.outreach", null],
];
// The quiz's column, after the confirmation rate, when a plan of the level has a quiz.
const PASSED_COLUMN = ["passed", "reports.rollup.col.passed", null];
const columnsOf = (data) => (data.totals.quizzes ? [...COLUMNS.slice(0, 4), PASSED_COLUMN, ...COLUMNS.slice(4)] : COLUMNS);
const SORTS = COLUMNS.filter(([, , sort]) => sort).map(([, , sort]) => sort);
// The server's own order for each: rates lowest first, names A to Z, the most first for counts.
const NATURAL = { name: "asc", confirmed_rate: "asc", attended_rate: "asc", not_adopted: "desc", tasks_overdue: "desc" };

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

// Who passed the quiz, over the audience; "—" where no plan of the row has a quiz.
function passedCell(label, figures) {
  if (!figures.quizzes) return cell(label, el("span", { class: "muted" }, "—"));
  return cell(
    label,
    el("span", { class: "rp-nowrap" }, t("reports.rollup.attendedValue", { n: number(figures.passed), total: number(figures.audience) })),
    rateCell(figures.passed_rate),
  );
}

// The columns after "adopted", the same for a school's row and for the totals; the quiz's
// only when a plan of the level has a quiz (`quiz`).
function figureCells(figures, quiz) {
  return [
    cell(label("confirmed"), el("span", { class: "rp-nowrap" }, `${number(figures.confirmed)}/${number(figures.audience)}`)),
    cell(label("rate"), rateCell(figures.confirmed_rate)),
    quiz ? passedCell(label("passed"), figures) : null,
    reflectionsCell(label("reflections"), figures),
    cell(label("sessions"), number(figures.sessions_held)),
    attendedCell(label("attended"), figures),
    tasksCell(label("tasks"), figures),
    overdueCell(label("overdue"), figures.tasks_overdue),
    outreachCell(label("outreach"), figures),
  ];
}

// The address of a level: the organisation's, the day kept.
function levelHref(planId, orgId, asOf) {
  const search = new URLSearchParams();
  if (orgId) search.set("org_id", orgId);
  if (asOf) search.set("as_of", asOf);
  const text = search.toString();
  return `#/plans/${planId}/rollup${text ? `?${text}` : ""}`;
}

function nameCell(r, planId, asOf) {
  const title = r.organization_code;
  let name;
  if (r.subtree && r.children) {
    name = el("a", { href: levelHref(planId, r.organization_id, asOf), title, class: "drill" }, r.organization_name, el("span", { "aria-hidden": "true" }, " ›"));
  } else if (r.adopted && r.plan_id) {
    name = el("a", { href: `#/plans/${r.plan_id}/progress`, title }, r.organization_name);
  } else {
    name = el("span", { class: "org-name-plain", title }, r.organization_name);
  }
  const under = r.subtree
    ? r.children
      ? el("div", { class: "small muted" }, t("reports.rollup.units", { n: number(r.organizations - 1) }))
      : null
    : el("div", { class: "small muted" }, t("reports.rollup.ownStaff"));
  return el("th", { scope: "row", class: "cell-name" }, name, under);
}

function adoptedCell(r) {
  const own = r.adopted
    ? el("span", {}, el("span", { class: "badge badge-ok" }, t("reports.rollup.yes")), " ", el("span", { class: "small mono" }, r.plan_symbol || ""))
    : el("span", { class: "badge rp-warn" }, t("reports.rollup.notAdopted"));
  const below =
    r.organizations > 1
      ? el("div", { class: "small muted rp-nowrap" }, t("reports.rollup.adoptedOf", { n: number(r.organizations_adopted), total: number(r.organizations) }))
      : null;
  return cell(label("adopted"), own, below);
}

function row(r, planId, asOf, quiz) {
  const lagging = !r.adopted || r.organizations_adopted < r.organizations;
  return el("tr", { class: lagging ? "row-not-adopted" : "" }, nameCell(r, planId, asOf), adoptedCell(r), figureCells(r, quiz));
}

function totalsRow(tot, quiz) {
  return el(
    "tr",
    { class: "row-total" },
    el("th", { scope: "row", class: "cell-name" }, t("reports.total")),
    cell(label("adopted"), t("reports.rollup.adoptedOf", { n: number(tot.adopted), total: number(tot.organizations) })),
    figureCells(tot, quiz),
  );
}

function summary(data, showNotAdopted) {
  const tot = data.totals;
  const missing = tot.organizations - tot.adopted;
  const figure = (label, value, extra, detail) =>
    el("div", { class: "kpi" }, el("dt", {}, label), el("dd", {}, el("span", { class: "kpi-value" }, value), extra), detail ? el("dd", { class: "kpi-detail" }, detail) : null);
  const show = el("button", { type: "button", class: "button button-secondary button-small" }, t("reports.rollup.showMissing"));
  show.addEventListener("click", showNotAdopted);
  return el(
    "div",
    {},
    el(
      "dl",
      { class: `kpis ${tot.quizzes ? "kpis-5" : "kpis-4"}` },
      figure(t("reports.rollup.kpiAdopted"), `${number(tot.adopted)}/${number(tot.organizations)}`),
      figure(
        t("reports.kpi.confirmed"),
        `${number(tot.confirmed)}/${number(tot.audience)}`,
        el("span", { class: `kpi-rate tone-${tone(tot.confirmed_rate)}` }, percent(tot.confirmed_rate)),
      ),
      tot.quizzes
        ? figure(
            t("reports.kpi.passed"),
            `${number(tot.passed)}/${number(tot.audience)}`,
            el("span", { class: `kpi-rate tone-${tone(tot.passed_rate)}` }, percent(tot.passed_rate)),
            t("reports.rollup.quizzes", { n: number(tot.quizzes), total: number(tot.adopted) }),
          )
        : null,
      figure(
        t("reports.rollup.col.attended"),
        `${number(tot.attended)}/${number(tot.audience)}`,
        el("span", { class: `kpi-rate tone-${tone(tot.attended_rate)}` }, percent(tot.attended_rate)),
        t("reports.rollup.kpiSessions", { n: number(tot.sessions_held) }),
      ),
      figure(t("reports.kpi.outreach"), number(tot.outreach)),
    ),
    missing ? el("p", { class: "warning" }, t("reports.rollup.missing", { n: number(missing) }), " ", show) : null,
  );
}

// "Sở GDĐT › Phòng GDĐT huyện An › …": the levels from the issuer down, each a link but the last.
function levelCrumbs(data, planId, asOf) {
  const items = [];
  data.breadcrumbs.forEach((org, index) => {
    if (index) items.push(el("span", { "aria-hidden": "true" }, " › "));
    const last = index === data.breadcrumbs.length - 1;
    items.push(last ? el("span", { "aria-current": "page", class: "level-current" }, org.name) : el("a", { href: levelHref(planId, index ? org.id : "", asOf) }, org.name));
  });
  return el("nav", { class: "crumbs level-crumbs", "aria-label": t("reports.rollup.levels") }, ...items);
}

export async function render(outlet, { id }) {
  const planId = Number(id);
  const params = currentQuery();
  let asOf = validDay(params.get("as_of"));
  const orgId = /^\d+$/.test(params.get("org_id") || "") ? params.get("org_id") : "";
  const given = (params.get("sort") || "").replace(/^-/, "");
  const state = {
    key: SORTS.includes(given) ? given : "confirmed_rate",
    dir: "asc",
    notAdopted: params.get("not_adopted") === "1",
    below: RATES.includes(params.get("below") || "") ? params.get("below") || "" : "",
    offset: Math.max(0, Number.parseInt(params.get("offset") || "0", 10) || 0),
  };
  state.dir = params.get("sort")?.startsWith("-") ? flip(NATURAL[state.key]) : NATURAL[state.key];
  let data = null;

  function flip(dir) {
    return dir === "asc" ? "desc" : "asc";
  }
  // The server's sort: its natural order, or reversed with a leading "-".
  function serverSort() {
    return state.dir === NATURAL[state.key] ? state.key : `-${state.key}`;
  }
  function ask() {
    return { asOf, orgId, sort: serverSort(), notAdopted: state.notAdopted, belowRate: state.below, limit: PAGE, offset: state.offset };
  }

  const alert = messageSlot("error");
  const reportTop = reportHead({
    title: t("reports.rollup.title"),
    asOf,
    onAsOf(value) {
      asOf = value;
      load();
    },
    download: (format) => downloadRollup(planId, format, ask()),
  });
  const head = el("div");
  const crumbs = el("div");
  const results = el("div", { class: "rollup-results" }, loading());
  const pager = el("nav", { class: "pager", "aria-label": t("pager.label"), hidden: true });
  const sortStatus = el("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });

  const sortSelect = select(
    { name: "sort" },
    COLUMNS.filter(([, , sort]) => sort).flatMap(([, labelKey, sort]) => [
      [`${sort}:${NATURAL[sort]}`, `${t(labelKey)} — ${t(sortWords(sort, NATURAL[sort]))}`],
      [`${sort}:${flip(NATURAL[sort])}`, `${t(labelKey)} — ${t(sortWords(sort, flip(NATURAL[sort])))}`],
    ]),
    `${state.key}:${state.dir}`,
  );
  sortSelect.addEventListener("change", () => {
    const [key, dir] = sortSelect.value.split(":");
    setSort(key, dir);
  });

  const notAdoptedBox = el("input", { type: "checkbox", name: "not_adopted", checked: state.notAdopted });
  notAdoptedBox.addEventListener("change", () => {
    state.notAdopted = notAdoptedBox.checked;
    state.offset = 0;
    load();
  });
  const belowSelect = select(
    { name: "below_rate" },
    RATES.map((value) => [value, value ? t("reports.rollup.below", { rate: percent(Number(value)) }) : t("reports.rollup.anyRate")]),
    state.below,
  );
  belowSelect.addEventListener("change", () => {
    state.below = belowSelect.value;
    state.offset = 0;
    load();
  });
  const filters = el(
    "div",
    { class: "rollup-filters" },
    el("label", { class: "check" }, notAdoptedBox, " ", t("reports.rollup.onlyNotAdopted")),
    field({ label: t("reports.rollup.rateFilter"), input: belowSelect }),
    el("div", { class: "only-phone" }, field({ label: t("reports.rollup.sortBy"), input: sortSelect })),
  );

  function sortWords(key, dir) {
    if (key === "name") return dir === "asc" ? "reports.rollup.az" : "reports.rollup.za";
    if (key === "not_adopted") return dir === "desc" ? "reports.rollup.missingFirst" : "reports.rollup.missingLast";
    return dir === "asc" ? "reports.rollup.lowFirst" : "reports.rollup.highFirst";
  }

  function remember() {
    replaceQuery({
      org_id: orgId,
      as_of: asOf,
      sort: state.key === "confirmed_rate" && state.dir === "asc" ? "" : serverSort(),
      not_adopted: state.notAdopted ? "1" : "",
      below: state.below,
      offset: state.offset || "",
    });
  }

  function setSort(key, dir) {
    state.key = key;
    state.dir = dir;
    state.offset = 0;
    sortSelect.value = `${key}:${dir}`;
    const column = t(COLUMNS.find(([, , sort]) => sort === key)[1]);
    sortStatus.textContent = t(dir === "asc" ? "reports.rollup.sortedAsc" : "reports.rollup.sortedDesc", { column });
    load().then(() => results.querySelector(`th[data-key="${key}"] button`)?.focus());
  }

  function header([key, labelKey, sort]) {
    if (!sort) return el("th", { scope: "col", "data-key": key }, t(labelKey));
    const active = state.key === sort;
    const button = el(
      "button",
      { type: "button", class: "sort-button" },
      t(labelKey),
      el("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (state.dir === "asc" ? " ▲" : " ▼") : " ↕"),
    );
    button.addEventListener("click", () => setSort(sort, active ? flip(state.dir) : NATURAL[sort]));
    return el(
      "th",
      { scope: "col", "data-key": sort, "aria-sort": active ? (state.dir === "asc" ? "ascending" : "descending") : false },
      button,
    );
  }

  function drawPager() {
    const pages = Math.max(1, Math.ceil(data.total / PAGE));
    const page = Math.floor(state.offset / PAGE) + 1;
    const go = (offset) => {
      state.offset = offset;
      load().then(() => results.querySelector("tbody a, tbody th")?.scrollIntoView({ block: "nearest" }));
    };
    const prev = el("button", { type: "button", class: "button button-secondary", disabled: page <= 1 }, t("pager.prev"));
    const next = el("button", { type: "button", class: "button button-secondary", disabled: page >= pages }, t("pager.next"));
    prev.addEventListener("click", () => go(Math.max(0, state.offset - PAGE)));
    next.addEventListener("click", () => go(state.offset + PAGE));
    pager.replaceChildren(prev, el("span", { class: "pager-info" }, t("pager.page", { page, pages })), next);
    pager.hidden = pages <= 1;
  }

  function draw() {
    if (!data) return;
    crumbs.replaceChildren(levelCrumbs(data, planId, asOf));
    drawPager();
    if (!data.rows.length) {
      const filtered = state.notAdopted || state.below;
      results.replaceChildren(el("p", { class: "empty" }, t(filtered ? "reports.rollup.noneMatch" : "reports.rollup.empty")));
      return;
    }
    const quiz = data.totals.quizzes > 0;
    const table = tableRoles(
      el(
        "table",
        { class: "data-table responsive rollup-table" },
        el("caption", { class: "visually-hidden" }, t("reports.rollup.caption", { name: data.organization.name })),
        el("thead", {}, el("tr", {}, columnsOf(data).map(header))),
        el("tbody", {}, data.rows.map((r) => row(r, planId, asOf, quiz))),
        el("tfoot", {}, totalsRow(data.totals, quiz)),
      ),
    );
    table.querySelector("tfoot")?.setAttribute("role", "rowgroup");
    results.replaceChildren(
      el("p", { class: "small muted" }, t("reports.rollup.count", { n: number(data.total) })),
      el("div", { class: "rollup-scroll" }, table),
      ...["attendedNote", "marksNote", "totalsNote"].map((key) => el("p", { class: "hint" }, t(`reports.rollup.${key}`))),
    );
  }

  const requests = latestRequests(results);
  async function load() {
    remember();
    const outcome = await requests.run(() => getRollup(planId, ask()));
    if (!outcome) return;
    if (outcome.error) {
      results.replaceChildren();
      showMessage(alert, outcome.error.status === 404 ? t("reports.notFound") : outcome.error.message);
      return;
    }
    data = outcome.data;
    showMessage(alert, "");
    reportTop.show(data);
    document.title = `${t("reports.rollup.title")} — ${data.organization.name} — Lan Tỏa`;
    head.replaceChildren(
      summary(data, () => {
        notAdoptedBox.checked = true;
        notAdoptedBox.dispatchEvent(new Event("change"));
      }),
    );
    draw();
  }

  outlet.replaceChildren(
    reportCrumbs(`#/plans/${planId}/progress`, t("reports.progress.title")),
    reportTop.node,
    alert,
    el("section", { class: "card" }, crumbs, head, el("p", { class: "hint hide-phone-block" }, t("reports.rollup.hint")), filters, sortStatus, results, pager),
  );
  await load();
  return requests.cancel;
}
