// Import a plan's question bank from a spreadsheet: download the template, check the file
// (every bad row at once, with its row number), then import it, all or nothing.
import { getPlan } from "../api/plans.js";
import { downloadQuestionTemplate, importQuestions } from "../api/quiz-import.js";
import { importSteps, reportSummary, templateDownload } from "../components/import-steps.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { messageSlot, showMessage } from "../ui.js";

const COLUMNS = ["topic", "text", "kind", "options", "correct", "explanation"];

const fieldLabel = (name) => tOr(`quizImport.field.${name}`, name);

function question(r, withChanges) {
  return [
    el("strong", {}, r.text),
    withChanges && r.changes.length ? ` — ${t("import.changed")}: ${r.changes.map(fieldLabel).join(", ")}` : "",
  ];
}

export async function render(outlet, { id }) {
  const planLine = el("p", { class: "muted" });
  const alert = messageSlot("error");
  const toPlan = () => el("a", { href: `#/plans/${id}` }, `← ${t("pending.backToPlan")}`);
  const steps = importSteps({
    fileLabel: t("quizImport.file"),
    noFile: t("quizImport.noFile"),
    send: (file, dryRun) => importQuestions(id, file, dryRun),
    summary: (report) => reportSummary(report, question),
    writes: (report) => report.created.length + report.updated.length,
    nothing: t("quizImport.nothing"),
    fieldLabel,
    done: (report) => ({
      message: t("quizImport.done", { created: report.created.length, updated: report.updated.length }),
      after: [el("p", {}, toPlan())],
    }),
  });
  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("p", { class: "back" }, toPlan()),
      el("h1", {}, t("quizImport.title")),
      planLine,
      alert,
      el("p", { class: "lead" }, t("quizImport.lead")),
      el("h2", {}, t("import.step1")),
      el("p", {}, t("import.columns")),
      el("ul", { class: "plain-list columns-list" }, COLUMNS.map((c) => el("li", {}, t(`quizImport.col.${c}`)))),
      ...templateDownload(t("import.template"), () => downloadQuestionTemplate(id)),
    ),
    el("section", { class: "card" }, ...steps),
  );
  try {
    const plan = await getPlan(id);
    planLine.textContent = [plan.symbol, plan.title].filter(Boolean).join(" — ");
  } catch (error) {
    showMessage(alert, error.message);
  }
}
