// The plan dashboard: who has confirmed (and passed the quiz, if it has one), by unit and over time, sessions, tasks, outreach,
// who is still pending; as of a chosen day; CSV / Excel export and the official report.
import { getProgress, getRollup, downloadProgress } from "../api/reports.js";
import { rateBar, stackedBar, timeline, tone } from "../components/charts.js";
import { tableRoles } from "../components/data-table.js";
import { reportCrumbs, reportHead, validDay } from "../components/report-head.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { latestRequests } from "../lib/busy.js";
import { formatDate, formatDateTime, number, percent } from "../lib/format.js";
import { currentQuery, replaceQuery } from "../router.js";
import { can } from "../session.js";
import { messageSlot, showMessage, loading } from "../ui.js";

const PENDING_SHOWN = 10;

function kpi(label, value, detail, { rate = null, bad = false } = {}) {
  return el(
    "div",
    { class: `kpi${bad ? " kpi-bad" : ""}` },
    el("dt", {}, label),
    el("dd", {}, el("span", { class: "kpi-value" }, value), rate != null ? el("span", { class: `kpi-rate tone-${tone(rate)}` }, percent(rate)) : null),
    rate != null ? el("dd", { class: "kpi-bar" }, rateBar(rate)) : null,
    detail ? el("dd", { class: "kpi-detail" }, detail) : null,
  );
}

// Shown only for a plan that has a quiz (null otherwise, and in reports issued before quizzes).
function passedKpi(p) {
  const q = p.quiz;
  const rule = t("reports.kpi.passedRule", { percent: q.pass_percent });
  return kpi(t("reports.kpi.passed"), `${number(q.passed)}/${number(p.audience)}`, q.required ? rule : `${rule} · ${t("reports.kpi.notRequired")}`, {
    rate: q.passed_rate,
  });
}

function headline(p) {
  const r = p.reflections;
  const a = p.attendance;
  return el(
    "dl",
    { class: p.quiz ? "kpis kpis-7" : "kpis" },
    kpi(t("reports.kpi.confirmed"), `${number(p.confirmed)}/${number(p.audience)}`, t("reports.kpi.confirmedDetail", { n: number(p.audience - p.confirmed) }), {
      rate: p.confirmed_rate,
    }),
    p.quiz ? passedKpi(p) : null,
    kpi(
      t("reports.kpi.reflections"),
      r.required ? `${number(r.submitted)}/${number(p.audience)}` : number(r.submitted),
      `${t("reports.kpi.graded", { n: number(r.graded) })}${r.required ? "" : ` · ${t("reports.kpi.notRequired")}`}`,
    ),
    kpi(
      t("reports.kpi.sessions"),
      number(a.sessions_held),
      t("reports.kpi.sessionsDetail", { upcoming: number(a.sessions_upcoming), cancelled: number(a.sessions_cancelled) }),
    ),
    kpi(t("reports.kpi.attended"), `${number(a.attended)}/${number(p.audience)}`, t("reports.kpi.attendedDetail"), { rate: a.attended_rate }),
    kpi(
      t("reports.kpi.tasks"),
      `${number(p.tasks.done)}/${number(p.tasks.total)}`,
      p.tasks.overdue ? t("reports.kpi.overdue", { n: number(p.tasks.overdue) }) : t("reports.kpi.noOverdue"),
      { bad: p.tasks.overdue > 0 },
    ),
    kpi(t("reports.kpi.outreach"), number(p.outreach.total), t("reports.kpi.reach", { n: number(p.outreach.reach) })),
  );
}

function section(title, ...children) {
  return el("section", { class: "card report-section" }, el("h2", {}, title), ...children);
}

function byUnit(p) {
  if (!p.by_unit.length) return section(t("reports.units.title"), el("p", { class: "empty" }, t("reports.units.empty")));
  const rows = [...p.by_unit].sort((a, b) => a.confirmed_rate - b.confirmed_rate || a.unit_name.localeCompare(b.unit_name, "vi"));
  return section(
    t("reports.units.title"),
    el("p", { class: "hint" }, t("reports.units.hint")),
    el(
      "ul",
      { class: "bar-list" },
      rows.map((u) =>
        el(
          "li",
          { class: "bar-row" },
          el(
            "div",
            { class: "bar-name" },
            el("span", { class: "bar-title" }, u.unit_name),
            el(
              "span",
              { class: "small muted" },
              t("reports.units.detail", { reflections: number(u.reflections), graded: number(u.graded) }),
              u.passed != null ? ` · ${t("reports.units.passed", { n: number(u.passed) })}` : null,
            ),
          ),
          el("span", { class: "bar-count" }, `${number(u.confirmed)}/${number(u.audience)}`),
          rateBar(u.confirmed_rate),
          el("span", { class: `bar-rate tone-${tone(u.confirmed_rate)}` }, percent(u.confirmed_rate)),
        ),
      ),
    ),
  );
}

function timelineSection(p, observers) {
  const points = p.confirmations_per_day;
  if (!points.length) return section(t("reports.timeline.title"), el("p", { class: "empty" }, t("reports.timeline.empty")));
  const first = points[0];
  const last = points[points.length - 1];
  const label = t("reports.timeline.aria", {
    from: formatDate(first.day),
    to: formatDate(last.day),
    n: number(last.cumulative),
    total: number(p.audience),
    rate: percent(p.confirmed_rate),
    days: number(points.length),
  });
  const box = el("div", { class: "chart-box" });
  const draw = () => {
    const width = box.clientWidth || 600;
    box.replaceChildren(timeline(points, { width, total: p.audience, label, totalLabel: t("reports.timeline.audience", { n: number(p.audience) }) }));
  };
  let lastWidth = 0;
  const observer = new ResizeObserver(() => {
    if (Math.abs(box.clientWidth - lastWidth) < 8) return;
    lastWidth = box.clientWidth;
    draw();
  });
  observer.observe(box);
  observers.push(observer);
  const table = el(
    "table",
    { class: "data-table compact" },
    el("caption", { class: "visually-hidden" }, t("reports.timeline.title")),
    el(
      "thead",
      {},
      el("tr", {}, el("th", { scope: "col" }, t("reports.timeline.day")), el("th", { scope: "col", class: "num" }, t("reports.timeline.count")), el("th", { scope: "col", class: "num" }, t("reports.timeline.cumulative"))),
    ),
    el("tbody", {}, points.map((d) => el("tr", {}, el("td", {}, formatDate(d.day)), el("td", { class: "num" }, number(d.count)), el("td", { class: "num" }, number(d.cumulative))))),
  );
  return section(
    t("reports.timeline.title"),
    el("p", { class: "hint" }, t("reports.timeline.hint")),
    box,
    el(
      "ul",
      { class: "legend", "aria-hidden": "true" },
      el("li", {}, el("span", { class: "swatch swatch-line" }), t("reports.timeline.cumulative")),
      el("li", {}, el("span", { class: "swatch swatch-bar" }), t("reports.timeline.count")),
    ),
    el("details", { class: "data-details" }, el("summary", {}, t("reports.timeline.table")), el("div", { class: "table-scroll" }, table)),
  );
}

function sessionStatus(s) {
  const cls = s.status === "held" ? "badge badge-ok" : s.status === "cancelled" ? "badge rp-bad" : "badge badge-off";
  return el("span", { class: cls }, tOr(`reports.session.status.${s.status}`, s.status));
}

function sessionsSection(p) {
  if (!p.sessions.length) return section(t("reports.sessions.title"), el("p", { class: "empty" }, t("reports.sessions.empty")));
  const cell = (label, ...content) => el("td", { "data-label": label }, el("div", {}, ...content));
  const rows = p.sessions.map((s) => {
    const held = s.status === "held";
    // A make-up session is for those who missed the main one: a rate over everyone misleads.
    const makeup = s.kind === "makeup";
    return el(
      "tr",
      {},
      el(
        "th",
        { scope: "row", class: "cell-name" },
        el("a", { href: `#/sessions/${s.id}` }, s.title),
        el("div", { class: "small muted" }, tOr(`reports.session.kind.${s.kind}`, s.kind)),
      ),
      cell(t("reports.sessions.when"), formatDateTime(s.starts_at)),
      cell(t("reports.sessions.status"), sessionStatus(s)),
      cell(
        t("reports.sessions.present"),
        el("div", {}, held ? (makeup ? t("reports.sessions.makeupCount", { n: number(s.present + s.late) }) : `${number(s.present + s.late)}/${number(s.audience)}`) : "—",
        held && s.late ? el("div", { class: "small muted" }, t("reports.sessions.late", { n: number(s.late) })) : null),
      ),
      cell(t("reports.sessions.absent"), held ? t("reports.sessions.absentDetail", { excused: number(s.excused), absent: number(s.absent) }) : "—"),
      cell(
        t("reports.sessions.rate"),
        held && !makeup ? el("div", { class: "cell-bar" }, rateBar(s.attendance_rate), el("span", { class: `bar-rate tone-${tone(s.attendance_rate)}` }, percent(s.attendance_rate))) : "—",
      ),
    );
  });
  const table = tableRoles(
    el(
      "table",
      { class: "data-table responsive sessions-table" },
      el("caption", { class: "visually-hidden" }, t("reports.sessions.title")),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ["name", "when", "status", "present", "absent", "rate"].map((k) => el("th", { scope: "col" }, t(`reports.sessions.${k}`))),
        ),
      ),
      el("tbody", {}, rows),
    ),
  );
  return section(t("reports.sessions.title"), table);
}

const TASK_PARTS = [
  ["done", "part-done"],
  ["in_progress", "part-progress"],
  ["todo", "part-todo"],
  ["cancelled", "part-cancelled"],
];

function legend(parts) {
  return el(
    "ul",
    { class: "legend" },
    parts.map(([label, value, cls]) => el("li", {}, el("span", { class: `swatch ${cls}`, "aria-hidden": "true" }), `${label}: `, el("strong", {}, number(value)))),
  );
}

function tasksSection(p) {
  const tk = p.tasks;
  if (!tk.total) return section(t("reports.tasks.title"), el("p", { class: "empty" }, t("reports.tasks.empty")));
  const parts = TASK_PARTS.map(([key, cls]) => [t(`reports.task.status.${key}`), tk[key], cls]);
  return section(
    t("reports.tasks.title"),
    el("p", {}, t("reports.tasks.summary", { done: number(tk.done), total: number(tk.total) })),
    stackedBar(parts.map(([, value, className]) => ({ value, className }))),
    legend(parts),
    tk.overdue
      ? el(
          "div",
          { class: "overdue" },
          el("h3", {}, t("reports.tasks.overdue", { n: number(tk.overdue) })),
          el(
            "ul",
            { class: "item-list" },
            tk.overdue_list.map((task) =>
              el(
                "li",
                { class: "overdue-item" },
                el("a", { href: `#/tasks/${task.id}`, class: "list-title" }, task.title),
                el(
                  "div",
                  { class: "small" },
                  el("span", { class: "error" }, t("reports.tasks.due", { date: formatDate(task.due_on) })),
                  ` · ${task.assignee || t("reports.tasks.noAssignee")} · ${tOr(`reports.task.status.${task.status}`, task.status)}`,
                ),
              ),
            ),
          ),
        )
      : el("p", { class: "notice notice-success" }, t("reports.tasks.noOverdue")),
  );
}

function outreachSection(p) {
  const o = p.outreach;
  if (!o.total) {
    return section(t("reports.outreach.title"), el("p", { class: "empty" }, t("reports.outreach.empty")));
  }
  const rows = [...o.by_kind].sort((a, b) => b.count - a.count || b.reach - a.reach);
  return section(
    t("reports.outreach.title"),
    el(
      "div",
      { class: "table-scroll" },
      el(
      "table",
      { class: "data-table compact" },
      el("caption", { class: "visually-hidden" }, t("reports.outreach.title")),
      el(
        "thead",
        {},
        el("tr", {}, el("th", { scope: "col" }, t("reports.outreach.kind")), el("th", { scope: "col", class: "num" }, t("reports.outreach.count")), el("th", { scope: "col", class: "num" }, t("reports.outreach.reach"))),
      ),
      el(
        "tbody",
        {},
        rows.map((k) => el("tr", {}, el("td", {}, tOr(`reports.outreach.kind.${k.kind}`, k.label)), el("td", { class: "num" }, number(k.count)), el("td", { class: "num" }, number(k.reach)))),
      ),
      el(
        "tfoot",
        {},
        el("tr", {}, el("th", { scope: "row" }, t("reports.total")), el("td", { class: "num" }, number(o.total)), el("td", { class: "num" }, number(o.reach))),
      ),
      ),
    ),
    can("activities:read") ? el("p", {}, el("a", { href: "#/outreach" }, t("reports.outreach.log"))) : null,
  );
}

const GRADES = [
  ["tot", "part-done"],
  ["kha", "part-progress"],
  ["dat", "part-todo"],
  ["chua_dat", "part-bad"],
];

function reflectionsSection(p) {
  const r = p.reflections;
  const parts = GRADES.map(([key, cls]) => [t(`reports.grade.${key}`), r.by_grade[key], cls]);
  return section(
    t("reports.reflections.title"),
    el(
      "p",
      {},
      r.required
        ? t("reports.reflections.summaryRequired", { submitted: number(r.submitted), audience: number(p.audience), graded: number(r.graded) })
        : t("reports.reflections.summary", { submitted: number(r.submitted), graded: number(r.graded) }),
    ),
    r.graded ? stackedBar(parts.map(([, value, className]) => ({ value, className }))) : null,
    r.graded ? legend(parts) : el("p", { class: "muted" }, t("reports.reflections.noneGraded")),
  );
}

function pendingSection(p, planId) {
  const people = p.pending;
  const link = el("a", { class: "button button-secondary", href: `#/plans/${planId}/pending` }, t("reports.pending.open"));
  if (!people.length) {
    return section(t("reports.pending.titleNone"), el("p", { class: "notice notice-success" }, t("reports.pending.none")));
  }
  const shown = people.slice(0, PENDING_SHOWN);
  return section(
    t("reports.pending.title", { n: number(people.length) }),
    el(
      "ul",
      { class: "pending-list" },
      shown.map((person) =>
        el(
          "li",
          {},
          el("strong", {}, person.full_name),
          el("span", { class: "small muted" }, ` · ${[person.staff_code, person.units.join(", ")].filter(Boolean).join(" · ")}`),
        ),
      ),
    ),
    people.length > shown.length ? el("p", { class: "muted" }, t("reports.pending.more", { n: number(people.length - shown.length) })) : null,
    el("div", { class: "actions" }, link),
  );
}

export async function render(outlet, { id }) {
  const planId = Number(id);
  let asOf = validDay(currentQuery().get("as_of"));
  const observers = [];
  const stopCharts = () => observers.splice(0).forEach((o) => o.disconnect());

  const alert = messageSlot("error");
  const body = el("div", { class: "report-body" }, loading());
  const head = reportHead({
    title: t("reports.progress.title"),
    asOf,
    onAsOf(value) {
      asOf = value;
      load();
    },
    download: (format) => downloadProgress(planId, format, asOf),
    actions: [can("plans:write") ? el("a", { class: "button", href: `#/plans/${planId}/report` }, t("reports.official")) : null],
  });

  const requests = latestRequests(body);
  async function load() {
    replaceQuery({ as_of: asOf });
    const outcome = await requests.run(() => getProgress(planId, asOf));
    if (!outcome) return;
    if (outcome.error) {
      body.replaceChildren();
      showMessage(alert, outcome.error.status === 404 ? t("reports.notFound") : outcome.error.message);
      return;
    }
    const data = outcome.data;
    showMessage(alert, "");
    stopCharts();
    head.show(data);
    document.title = `${t("reports.progress.title")} ${data.plan.symbol || ""} — Lan Tỏa`;
    body.replaceChildren(
      el("section", { class: "card" }, el("h2", { class: "visually-hidden" }, t("reports.kpi.title")), headline(data)),
      el(
        "div",
        { class: "report-grid" },
        byUnit(data),
        timelineSection(data, observers),
        sessionsSection(data),
        tasksSection(data),
        reflectionsSection(data),
        outreachSection(data),
        pendingSection(data, planId),
      ),
    );
  }

  outlet.replaceChildren(reportCrumbs(`#/plans/${planId}`, t("reports.toPlan")), head.node, alert, body);

  // The district view is worth a link only when there are organisations below this plan's
  // issuer: its rows over a subtree (the issuer's own staff has a row of its own).
  getRollup(planId, { limit: 500 })
    .then((rollup) => {
      const below = rollup.rows.filter((r) => r.subtree).length;
      if (!below) return;
      head.buttons.append(el("a", { class: "button button-secondary", href: `#/plans/${planId}/rollup` }, t("reports.toRollup", { n: number(below) })));
    })
    .catch(() => {});

  await load();
  return () => {
    requests.cancel();
    stopCharts();
  };
}
