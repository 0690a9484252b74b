// Hồ sơ học tập: one person's record by school year, each plan a card (confirmation and its
// older versions, quiz, reflection and grade, attendance, tasks, outreach credited). The teacher
// opens hers by her link or signed in; staff who may read people open anyone's. Printable on A4.
import { downloadHistory, downloadMyData, linkHistory, myHistory, participantHistory } from "../api/history.js";
import { taskStatusBadge } from "../components/badges.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { attendanceLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { currentQuery, replaceQuery } from "../router.js";
import { field, loading, messageSlot, select, showMessage } from "../ui.js";

// The server could not make the PDF (no LibreOffice, or it failed): the same document as .docx.
const NO_PDF = ["pdf-unavailable", "pdf-failed"];

// Where the record comes from and where "back" goes, by the route's parameters.
function source({ token, id }) {
  if (token) return { load: () => linkHistory(token), back: [`#/l/${encodeURIComponent(token)}`, t("history.back")] };
  if (id) return { load: () => participantHistory(id), back: [`#/people/${id}`, t("history.backPerson")] };
  return { load: myHistory, back: ["#/me", t("history.back")] };
}

const planName = (plan) => [plan.symbol, plan.title].filter(Boolean).join(" · ");

function block(title, ...body) {
  return el("section", { class: "history-block" }, el("h4", {}, title), ...body);
}

function methodText(c) {
  return tOr(`history.method.${c.method}`, c.method);
}

function confirmationBlock(confirmations) {
  const current = confirmations.find((c) => c.state === "current");
  const older = confirmations.filter((c) => c !== current);
  return block(
    t("history.confirmation"),
    current
      ? el(
          "p",
          { class: "history-current" },
          el("span", { class: "badge badge-ok" }, `✓ ${t("history.confirmedOn", { date: formatDateTime(current.confirmed_at) })}`),
          " ",
          el("span", { class: "small muted" }, `${t("history.version", { n: current.material_major })} · ${methodText(current)}`),
        )
      : el("p", {}, el("span", { class: "badge badge-off" }, t("history.notConfirmed"))),
    current?.on_behalf_reason ? el("p", { class: "small muted" }, t("history.onBehalf", { reason: current.on_behalf_reason })) : null,
    older.length
      ? el(
          "ul",
          { class: "history-versions small muted" },
          older.map((c) => {
            const date = formatDate(c.confirmed_at);
            const n = c.material_major;
            if (c.state !== "withdrawn") return el("li", {}, t("history.superseded", { n, date }));
            return el(
              "li",
              { class: "history-withdrawn" },
              t("history.withdrawn", { n, date, when: formatDate(c.withdrawn_at) }),
              c.withdraw_reason ? el("span", { class: "history-reason" }, ` — ${t("history.withdrawReason", { reason: c.withdraw_reason })}`) : null,
            );
          }),
        )
      : null,
  );
}

// The reflection of the confirmation in force: handed in or not, graded or not.
function reflectionBlock(confirmations) {
  const current = confirmations.find((c) => c.state === "current");
  if (!current) return null;
  const sent = current.reflection
    ? t("history.reflectionSent", { date: formatDate(current.reflection_submitted_at || current.confirmed_at) })
    : t("history.reflectionNone");
  return block(
    t("history.reflection"),
    el(
      "p",
      {},
      sent,
      " ",
      current.grade
        ? el("span", {}, t("history.grade"), " ", el("span", { class: `badge grade grade-${current.grade}` }, tOr(`reflections.grade.${current.grade}`, current.grade_label)))
        : current.reflection
          ? el("span", { class: "muted" }, t("history.notGraded"))
          : null,
    ),
    current.grade_comment ? el("p", { class: "small" }, t("history.gradeComment", { text: current.grade_comment })) : null,
  );
}

// Her quiz of the plan's current material, for a plan that has one: passed or not (yet),
// her best score, the attempts she used.
function quizBlock(quiz) {
  if (!quiz) return null;
  const badge = quiz.passed
    ? el("span", { class: "badge badge-ok" }, `✓ ${t("history.quizPassed")}`)
    : el("span", { class: "badge badge-off" }, t(quiz.best_percent != null ? "history.quizNotPassed" : "history.quizNotTaken"));
  const details = [
    quiz.best_percent != null ? t("history.quizBest", { percent: quiz.best_percent }) : null,
    t("history.quizRule", { percent: quiz.pass_percent }),
    t("history.quizAttempts", { n: quiz.attempts, total: quiz.attempts_allowed }),
    quiz.required ? null : t("history.quizOptional"),
  ];
  return block(t("history.quiz"), el("p", {}, badge, " ", el("span", { class: "small muted" }, details.filter(Boolean).join(" · "))));
}

// A list of rows, or the words saying there are none.
function rows(items, empty, row) {
  return items.length ? el("ul", { class: "history-rows" }, items.map(row)) : el("p", { class: "muted small" }, empty);
}

function planCard(entry) {
  const { plan, confirmations, attendance, tasks, activities } = entry;
  const meta = [plan.symbol, plan.issuer, plan.issued_on ? t("history.issued", { date: formatDate(plan.issued_on) }) : null];
  return el(
    "article",
    { class: "card history-plan", "aria-labelledby": `history-plan-${plan.id}` },
    el("p", { class: "plan-meta" }, meta.filter(Boolean).join(" · ")),
    el("h3", { id: `history-plan-${plan.id}`, class: "plan-title" }, plan.title),
    entry.earlier_school ? el("p", { class: "history-school small muted" }, t("history.earlierSchool", { school: entry.school_name })) : null,
    confirmationBlock(confirmations),
    quizBlock(entry.quiz),
    reflectionBlock(confirmations),
    block(
      t("history.attendance"),
      rows(attendance, t("history.noAttendance"), (a) =>
        el(
          "li",
          {},
          el("span", { class: "history-what" }, a.title, el("span", { class: "small muted" }, ` · ${tOr(`sessions.kind.${a.kind}`, a.kind_label)}`)),
          el("span", { class: "history-when" }, formatDate(a.starts_at)),
          a.session_status === "cancelled"
            ? el("span", { class: "badge badge-off" }, t("sessions.status.cancelled"))
            : el("span", { class: `badge att att-${a.status || "none"}` }, attendanceLabel(a.status)),
        ),
      ),
    ),
    block(
      t("history.tasks"),
      rows(tasks, t("history.noTasks"), (task) =>
        el(
          "li",
          {},
          el(
            "span",
            { class: "history-what" },
            task.title,
            task.via_unit ? el("span", { class: "small muted" }, ` · ${task.via_unit}`) : null,
            task.evidence_accepted ? el("span", { class: "small muted" }, ` · ${t("history.evidence", { n: task.evidence_accepted })}`) : null,
          ),
          el("span", { class: "history-when" }, task.due_on ? formatDate(task.due_on) : ""),
          taskStatusBadge({ status: task.status }),
        ),
      ),
    ),
    block(
      t("history.activities"),
      rows(activities, t("history.noActivities"), (a) =>
        el(
          "li",
          {},
          el(
            "span",
            { class: "history-what" },
            a.title,
            el("span", { class: "small muted" }, ` · ${a.kind_label}${a.via_unit ? ` · ${a.via_unit}` : ""}`),
          ),
          el("span", { class: "history-when" }, formatDate(a.happened_on)),
          a.reach ? el("span", { class: "small" }, t("history.reach", { n: a.reach })) : el("span"),
        ),
      ),
    ),
  );
}

// The year and plan choices, from the record itself; kept in the address (?year=&plan=).
function filters(record, chosen, onChange) {
  const plans = record.years.flatMap((y) => y.plans.map((p) => p.plan)).filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
  const year = select({ name: "year" }, [["", t("history.allYears")], ...record.years.map((y) => [y.year, y.label])], chosen.year);
  const plan = select({ name: "plan" }, [["", t("history.allPlans")], ...plans.map((p) => [p.id, planName(p)])], chosen.plan);
  const changed = () => onChange({ year: year.value, plan: plan.value });
  year.addEventListener("change", changed);
  plan.addEventListener("change", changed);
  return el("div", { class: "history-filters no-print" }, field({ label: t("history.filterYear"), input: year }), field({ label: t("history.filterPlan"), input: plan }));
}

function timeline(record, chosen) {
  if (!record.years.length) return el("p", { class: "card muted history-empty" }, t("history.empty"));
  const years = record.years
    .filter((y) => !chosen.year || String(y.year) === chosen.year)
    .map((y) => ({ ...y, plans: y.plans.filter((p) => !chosen.plan || String(p.plan.id) === chosen.plan) }))
    .filter((y) => y.plans.length);
  if (!years.length) return el("p", { class: "card muted history-empty" }, t("history.emptyFiltered"));
  return years.map((y) =>
    el(
      "section",
      { class: "history-year", "aria-labelledby": `history-year-${y.year}` },
      el("h2", { id: `history-year-${y.year}` }, t("history.year", { label: y.label })),
      y.plans.map(planCard),
    ),
  );
}

// A button that downloads a file; a failure is said in `slot`. `fallback(error)` may add what
// to do instead (a .docx for a PDF the server cannot make).
function downloadButton(label, download, slot, { className = "button button-secondary", ariaLabel, fallback } = {}) {
  const node = el("button", { type: "button", class: className, "aria-label": ariaLabel }, label);
  node.addEventListener("click", () =>
    busy(node, async () => {
      showMessage(slot, "");
      try {
        await download();
      } catch (error) {
        showMessage(slot, error.message);
        const instead = fallback?.(error);
        if (instead) slot.append(instead);
      }
    }),
  );
  return node;
}

// Print, and the record as XLSX and PDF, of what the filters show.
function recordActions(params, chosen, slot) {
  const print = el("button", { type: "button", class: "button button-secondary" }, t("history.print"));
  print.addEventListener("click", () => window.print());
  const file = (format) => () => downloadHistory(params, format, chosen);
  const docx = () => el("p", { class: "actions" }, downloadButton(t("history.downloadDocx"), file("docx"), slot));
  return el(
    "div",
    { class: "actions history-actions no-print" },
    downloadButton(t("history.downloadXlsx"), file("xlsx"), slot),
    downloadButton(t("history.downloadPdf"), file("pdf"), slot, { fallback: (error) => (NO_PDF.includes(error.code) ? docx() : null) }),
    print,
  );
}

// Her own screen (by her link, or signed in): everything stored about her, as the privacy notice
// promises.
function myDataSection(params) {
  const slot = messageSlot("error");
  return el(
    "section",
    { class: "card history-data no-print", "aria-labelledby": "history-data" },
    el("h2", { id: "history-data" }, t("history.myData")),
    el("p", { class: "small" }, t("history.myDataText")),
    el(
      "div",
      { class: "actions" },
      downloadButton(t("history.myDataXlsx"), () => downloadMyData(params, "xlsx"), slot, { className: "button" }),
      downloadButton(t("history.myDataJson"), () => downloadMyData(params, "json"), slot, { ariaLabel: t("history.myDataJsonLabel") }),
    ),
    slot,
  );
}

export async function render(outlet, params) {
  const { load, back } = source(params);
  outlet.replaceChildren(loading());
  let record;
  try {
    record = await load();
  } catch (error) {
    outlet.replaceChildren(
      el("p", { class: "back no-print" }, el("a", { href: back[0] }, back[1])),
      el("section", { class: "card narrow" }, el("h1", {}, t("history.title")), el("p", { class: "notice notice-error", role: "alert" }, error.message)),
    );
    return;
  }
  const person = record.participant;
  document.title = `${t("history.title")} — ${person.full_name} — Lan Tỏa`;
  const query = currentQuery();
  const chosen = { year: query.get("year") || "", plan: query.get("plan") || "" };
  const body = el("div", { class: "history-body" }, timeline(record, chosen));
  const alert = messageSlot("error");
  outlet.replaceChildren(
    el(
      "div",
      { class: "history" },
      el("p", { class: "back no-print" }, el("a", { href: back[0] }, back[1])),
      el(
        "header",
        { class: "card history-head" },
        el("h1", {}, t("history.title")),
        el("p", { class: "history-person" }, el("strong", {}, person.full_name), " · ", t("history.staffCode", { code: person.staff_code })),
        record.schools?.length > 1
          ? el("p", { class: "history-schools small" }, t("history.schools", { list: record.schools.map((s) => s.organization_name).join(" ← ") }))
          : null,
        el("p", { class: "only-print small" }, t("history.printedOn", { date: formatDate(new Date()) })),
        record.years.length
          ? filters(record, chosen, (next) => {
              Object.assign(chosen, next);
              replaceQuery(chosen);
              body.replaceChildren(...[timeline(record, chosen)].flat());
            })
          : null,
        recordActions(params, chosen, alert),
        alert,
      ),
      body,
      params.id ? null : myDataSection(params),
    ),
  );
}
