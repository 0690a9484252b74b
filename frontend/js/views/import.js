// Import the staff list from the school's own spreadsheet: check first (dry run), then import.
import { downloadTemplate, importStaff } from "../api/participants.js";
import { importSteps, reportSummary, templateDownload } from "../components/import-steps.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { orgId } from "../session.js";
import { pageHeader } from "../ui.js";

const COLUMNS = ["full_name", "staff_code", "position", "units", "email", "phone"];

function changeLabel(name) {
  return tOr(`import.field.${name}`, name);
}

function person(r, withChanges) {
  return [
    el("strong", {}, r.full_name),
    ` (${r.staff_code})`,
    withChanges && r.changes.length ? ` — ${t("import.changed")}: ${r.changes.map(changeLabel).join(", ")}` : "",
  ];
}

function summary(report) {
  const units = report.units_created.length
    ? [el("p", {}, `${report.dry_run ? t("import.newUnits") : t("import.unitsCreated")}: `, el("strong", {}, report.units_created.join(", ")))]
    : [];
  return reportSummary(report, person, units);
}

export function render(outlet) {
  const org = orgId();
  const steps = importSteps({
    fileLabel: t("import.file"),
    noFile: t("import.noFile"),
    send: (file, dryRun) => importStaff(org, file, dryRun),
    summary,
    writes: (report) => report.created.length + report.updated.length,
    nothing: t("import.nothing"),
    fieldLabel: changeLabel,
    done: (report) => ({
      message: t("import.done", { created: report.created.length, updated: report.updated.length }),
      after: [el("a", { class: "button", href: "#/people" }, t("import.toList"))],
    }),
  });

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("import.title")),
      el("p", { class: "lead" }, t("import.lead")),
      el("h2", {}, t("import.step1")),
      el("p", {}, t("import.columns")),
      el("ul", { class: "plain-list columns-list" }, COLUMNS.map((c) => el("li", {}, t(`import.col.${c}`)))),
      ...templateDownload(t("import.template"), downloadTemplate),
    ),
    el("section", { class: "card" }, ...steps),
  );
}
