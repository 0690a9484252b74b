// The official report (Báo cáo …/BC-…): the clerk writes the assessment and proposals, checks
// the signer and recipients, issues it (taking the next number) and downloads the .docx or PDF.
import { getPlan } from "../api/plans.js";
import { getProgress, listReports, issueReport, downloadReport, downloadDraftReport } from "../api/reports.js";
import { dateInput, readDate } from "../components/date-field.js";
import { planLine, reportCrumbs } from "../components/report-head.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, number, percent } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { field, input, messageSlot, showMessage, loading, reportError, refuseLocally, clearFieldErrors, confirmAction } from "../ui.js";

const DRAFT_KEY = "lantoa.reportDraft.";
// The assessment is one text in the report; the clerk writes it in three parts, numbered.
const PARTS = ["strengths", "limits", "causes"];
// The headings go into the official (Vietnamese) document whatever the screen language.
const PART_HEADINGS = { strengths: "Ưu điểm", limits: "Hạn chế", causes: "Nguyên nhân" };
// The days of the form (date fields, their values ISO days).
const DAYS = ["as_of", "issued_on"];
// The server names the three parts' one text "assessment": its errors land on the first part.
const SERVER_FIELDS = { assessment: "strengths" };

function lowerFirst(text) {
  return text ? text.charAt(0).toLocaleLowerCase("vi") + text.slice(1) : "";
}

function textarea(attrs) {
  return el("textarea", { class: "input", rows: 4, ...attrs });
}

// "…/BC-THNBK": the issuer's abbreviation, as in the plan's own number.
function nextSymbol(plan, reports) {
  const from = (symbol) => /-([^/\s]+)$/.exec(symbol || "")?.[1];
  const abbreviation = from(reports[0]?.symbol) || from(plan.symbol);
  return abbreviation ? `…/BC-${abbreviation}` : "…/BC";
}

// "1. Ưu điểm: …" as the part's first paragraph, its other lines after it.
function composeAssessment(values) {
  const parts = PARTS.map((key) => [key, values[key].trim()]).filter(([, text]) => text);
  return parts.map(([key, text], i) => `${i + 1}. ${PART_HEADINGS[key]}: ${text}`).join("\n");
}

// format: "docx" or "pdf". Named: the button says which report (in the list of issued ones).
function downloadButton(report, format, label, slot, className = "button", named = false) {
  const attrs = { type: "button", class: className };
  if (named) {
    const key = format === "pdf" ? "reports.report.downloadPdfOne" : "reports.report.downloadOne";
    attrs["aria-label"] = t(key, { symbol: report.symbol });
  }
  const node = el("button", attrs, label);
  node.addEventListener("click", () =>
    busy(node, async () => {
      showMessage(slot, "");
      try {
        await downloadReport(report.id, format);
      } catch (error) {
        showMessage(slot, error.message);
      }
    }),
  );
  return node;
}

export async function render(outlet, { id }) {
  const planId = Number(id);
  outlet.replaceChildren(loading());
  const alert = messageSlot("error");
  let plan;
  let reports;
  try {
    [plan, reports] = await Promise.all([getPlan(planId), listReports(planId)]);
  } catch (error) {
    outlet.replaceChildren(alert);
    showMessage(alert, error.status === 404 ? t("reports.notFound") : error.message);
    return;
  }
  document.title = `${t("reports.report.title")} — Lan Tỏa`;
  const today = todayIso();
  const draftKey = `${DRAFT_KEY}${planId}`;
  let draft = {};
  try {
    draft = JSON.parse(localStorage.getItem(draftKey) || "{}") || {};
  } catch {
    draft = {};
  }
  const defaults = {
    title: `Kết quả ${lowerFirst(plan.title)}`,
    as_of: "",
    issued_on: today,
    strengths: "",
    limits: "",
    causes: "",
    proposals: "",
    signer_title: plan.signer_title || "",
    signer_name: plan.signer_name || "",
    recipients: [plan.issuer_parent_name, "Lưu: VT"].filter(Boolean).join("\n"),
  };
  const initial = { ...defaults, ...draft };

  const controls = {
    title: textarea({ name: "title", rows: 3, maxlength: 500 }),
    as_of: dateInput({ name: "as_of", value: initial.as_of, max: initial.issued_on || today }),
    // Not after today, not before the plan's own date: the server refuses both.
    issued_on: dateInput({ name: "issued_on", value: initial.issued_on, max: today, min: plan.issued_on || "" }),
    strengths: textarea({ name: "strengths", rows: 5 }),
    limits: textarea({ name: "limits", rows: 4 }),
    causes: textarea({ name: "causes", rows: 4 }),
    proposals: textarea({ name: "proposals", rows: 4 }),
    signer_title: textarea({ name: "signer_title", rows: 2, maxlength: 200 }),
    signer_name: input({ name: "signer_name", maxlength: 200, autocomplete: "off" }),
    recipients: textarea({ name: "recipients", rows: 4 }),
  };
  for (const [key, node] of Object.entries(controls)) if (!DAYS.includes(key)) node.value = initial[key] ?? "";

  const figures = el("div", { class: "report-figures", "aria-live": "polite" });
  async function showFigures() {
    figures.replaceChildren(el("p", { class: "muted" }, t("app.loading")));
    try {
      const p = await getProgress(planId, controls.as_of.dataset.value || controls.issued_on.dataset.value || "");
      figures.replaceChildren(
        el("h3", {}, t("reports.report.figuresTitle", { date: formatDate(p.as_of) || formatDate(today) })),
        el(
          "ul",
          { class: "plain-list" },
          el("li", {}, t("reports.report.figConfirmed", { n: number(p.confirmed), total: number(p.audience), rate: percent(p.confirmed_rate) })),
          p.quiz ? el("li", {}, t("reports.report.figPassed", { n: number(p.quiz.passed), total: number(p.audience), rate: percent(p.quiz.passed_rate) })) : null,
          el("li", {}, t("reports.report.figReflections", { n: number(p.reflections.submitted), graded: number(p.reflections.graded) })),
          el("li", {}, t("reports.report.figSessions", { n: number(p.attendance.sessions_held) })),
          el("li", {}, t("reports.report.figOutreach", { n: number(p.outreach.total), reach: number(p.outreach.reach) })),
        ),
        el("p", { class: "small" }, el("a", { href: `#/plans/${planId}/progress` }, t("reports.report.figuresLink"))),
      );
    } catch {
      // A day the server refuses (after today, say) has no figures: say nothing.
      figures.replaceChildren();
    }
  }

  // A day as the ISO day understood (the draft keeps that, not what was typed).
  const currentValues = () => Object.fromEntries(Object.entries(controls).map(([k, node]) => [k, node.dataset.value ?? node.value]));
  const saveDraft = () => {
    const values = currentValues();
    const changed = Object.keys(values).some((k) => values[k] !== defaults[k]);
    if (changed) localStorage.setItem(draftKey, JSON.stringify(values));
    else localStorage.removeItem(draftKey);
  };

  const number_ = nextSymbol(plan, reports);
  const formAlert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, t("reports.report.issue"));
  const previewButton = el("button", { type: "button", class: "button button-secondary" }, t("reports.report.preview"));
  const resetButton = el("button", { type: "button", class: "button button-secondary" }, t("reports.report.reset"));
  const result = el("div", { class: "issue-result", tabindex: "-1" });
  const listSlot = el("div");
  const listAlert = messageSlot("error");

  const form = el(
    "form",
    { class: "report-form", novalidate: true },
    el(
      "fieldset",
      { class: "form-block" },
      el("legend", {}, t("reports.report.general")),
      field({ label: t("reports.report.titleLabel"), input: controls.title, hint: t("reports.report.titleHint") }),
      el(
        "div",
        { class: "form-grid" },
        field({ label: t("reports.report.issuedOn"), input: controls.issued_on, required: true, hint: t("reports.report.issuedOnHint") }),
        field({ label: t("reports.report.asOf"), input: controls.as_of, hint: t("reports.report.asOfHint") }),
      ),
      figures,
    ),
    el(
      "fieldset",
      { class: "form-block" },
      el("legend", {}, t("reports.report.assessment")),
      el("p", { class: "hint" }, t("reports.report.assessmentHint")),
      ...PARTS.map((key) => field({ label: t(`reports.report.${key}`), input: controls[key], hint: t(`reports.report.${key}Hint`) })),
    ),
    el(
      "fieldset",
      { class: "form-block" },
      el("legend", {}, t("reports.report.proposals")),
      field({ label: t("reports.report.proposalsLabel"), input: controls.proposals, hint: t("reports.report.proposalsHint") }),
    ),
    el(
      "fieldset",
      { class: "form-block" },
      el("legend", {}, t("reports.report.signature")),
      el(
        "div",
        { class: "form-grid" },
        field({ label: t("reports.report.signerTitle"), input: controls.signer_title, hint: t("reports.report.signerTitleHint") }),
        field({ label: t("reports.report.signerName"), input: controls.signer_name }),
      ),
      field({ label: t("reports.report.recipients"), input: controls.recipients, hint: t("reports.report.recipientsHint") }),
    ),
    el("p", { class: "warning number-note" }, t("reports.report.numberNote", { symbol: number_ })),
    formAlert,
    el("div", { class: "actions" }, submit, previewButton, resetButton),
  );

  const formSection = el("section", { class: "card" }, el("h2", {}, t("reports.report.newTitle")), form);

  function drawList() {
    if (!reports.length) {
      listSlot.replaceChildren(el("p", { class: "empty" }, t("reports.report.noneIssued")));
      return;
    }
    listSlot.replaceChildren(
      el(
        "ul",
        { class: "item-list issued-list" },
        reports.map((r) =>
          el(
            "li",
            { class: "list-item" },
            el(
              "div",
              {},
              el("div", { class: "list-title" }, t("reports.report.numbered", { symbol: r.symbol })),
              el("div", { class: "small" }, r.title),
              el(
                "div",
                { class: "small muted" },
                t("reports.report.issuedMeta", { date: formatDate(r.issued_on) }),
                r.as_of ? ` · ${t("reports.asOf.at", { date: formatDate(r.as_of) })}` : "",
              ),
            ),
            el(
              "div",
              { class: "list-actions" },
              downloadButton(r, "docx", t("reports.report.downloadShort"), listAlert, "button button-secondary", true),
              downloadButton(r, "pdf", t("reports.report.downloadPdfShort"), listAlert, "button button-secondary", true),
            ),
          ),
        ),
      ),
    );
  }

  form.addEventListener("input", saveDraft);
  controls.as_of.addEventListener("change", showFigures);
  controls.issued_on.addEventListener("change", () => {
    controls.as_of.dataset.max = controls.issued_on.dataset.value || today; // figures cannot run past the issue
    if (!controls.as_of.dataset.value) showFigures();
  });
  resetButton.addEventListener("click", () => {
    if (!confirmAction(t("reports.report.resetConfirm"))) return;
    for (const [key, node] of Object.entries(controls)) {
      node.value = DAYS.includes(key) ? formatDate(defaults[key]) : defaults[key] ?? "";
      node.dispatchEvent(new Event("input")); // what listens to the field sees the reset
    }
    localStorage.removeItem(draftKey);
    clearFieldErrors(form);
    showMessage(formAlert, "");
    showFigures();
  });

  const requestBody = (values) => ({
    title: values.title.replace(/\s*\n\s*/g, " ").trim() || null,
    assessment: composeAssessment(values),
    proposals: values.proposals.trim(),
    as_of: values.as_of || null,
    issued_on: values.issued_on || null,
    signer_title: values.signer_title.trim(),
    signer_name: values.signer_name.trim(),
    recipients: values.recipients.split("\n").map((line) => line.trim()).filter(Boolean),
  });

  previewButton.addEventListener("click", () =>
    busy(previewButton, async () => {
      clearFieldErrors(form);
      showMessage(formAlert, "");
      try {
        await downloadDraftReport(planId, requestBody(currentValues()));
      } catch (error) {
        reportError(form, formAlert, error, { fields: SERVER_FIELDS });
      }
    }),
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    showMessage(formAlert, "");
    const values = currentValues();
    if (refuseLocally(form, formAlert, { issued_on: readDate(controls.issued_on).error, as_of: readDate(controls.as_of).error })) return;
    if (!values.issued_on) {
      reportError(form, formAlert, { fieldErrors: [{ field: "issued_on", type: "missing", message: "" }] });
      return;
    }
    if (values.as_of && values.as_of > today) {
      showMessage(formAlert, t("reports.asOf.future"));
      controls.as_of.focus();
      return;
    }
    if (values.as_of && values.as_of > values.issued_on) {
      showMessage(formAlert, t("reports.report.asOfAfterIssue"));
      controls.as_of.focus();
      return;
    }
    if (!composeAssessment(values)) {
      reportError(form, formAlert, { fieldErrors: [{ field: "strengths", type: "missing", message: "" }] });
      showMessage(formAlert, t("reports.report.assessmentRequired"));
      return;
    }
    if (!confirmAction(t("reports.report.confirm", { symbol: number_, date: formatDate(values.issued_on) }))) return;
    const body = requestBody(values);
    await busy(submit, async () => {
      let issued;
      try {
        issued = await issueReport(planId, body);
      } catch (error) {
        reportError(form, formAlert, error, { fields: SERVER_FIELDS });
        return;
      }
      localStorage.removeItem(draftKey);
      reports = [issued, ...reports.filter((r) => r.id !== issued.id)];
      drawList();
      const resultAlert = messageSlot("error");
      // The form goes away so that a second tap does not take a second number by mistake.
      const another = el("button", { type: "button", class: "button button-secondary" }, t("reports.report.another"));
      another.addEventListener("click", () => {
        formSection.hidden = false;
        another.remove();
        controls.title.focus();
      });
      formSection.hidden = true;
      result.replaceChildren(
        el(
          "div",
          { class: "notice notice-success", role: "status" },
          el("p", { class: "issued-number" }, t("reports.report.issued", { symbol: issued.symbol, date: formatDate(issued.issued_on) })),
          el(
            "div",
            { class: "actions" },
            downloadButton(issued, "docx", t("reports.report.download"), resultAlert),
            downloadButton(issued, "pdf", t("reports.report.downloadPdf"), resultAlert, "button button-secondary"),
            another,
          ),
        ),
        resultAlert,
      );
      result.focus();
    });
  });

  outlet.replaceChildren(
    reportCrumbs(`#/plans/${planId}/progress`, t("reports.progress.title")),
    el(
      "section",
      { class: "card" },
      el("div", { class: "page-header" }, el("h1", {}, t("reports.report.title"))),
      planLine({ ...plan, organization_name: plan.issuer_name || plan.organization_name }),
      el("p", { class: "lead" }, t("reports.report.lead")),
    ),
    result,
    el("section", { class: "card" }, el("h2", {}, t("reports.report.issuedTitle")), listAlert, listSlot),
    formSection,
  );
  drawList();
  showFigures();
}
