// Import the staff list from the school's own spreadsheet: check first (dry run), then import.
import { localDetail } from "../api/client.js";
import { downloadTemplate, importStaff } from "../api/participants.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { orgId } from "../session.js";
import { field, messageSlot, showMessage, pageHeader } from "../ui.js";

const COLUMNS = ["full_name", "staff_code", "position", "units", "email", "phone"];

function changeLabel(name) {
  return tOr(`import.field.${name}`, name);
}

// A file-level rejection (415, 413, 422 import-file-rejected) carries its own clear message.
function fileProblem(error) {
  if ([413, 415].includes(error.status) || error.code === "import-file-rejected") {
    return localDetail(error.problem?.detail) || error.message;
  }
  return error.message;
}

function rowsList(title, rows, withChanges) {
  if (!rows.length) return "";
  return el(
    "details",
    { class: "rows-details" },
    el("summary", {}, `${title} (${rows.length})`),
    el(
      "ul",
      { class: "plain-list" },
      rows.map((r) =>
        el(
          "li",
          {},
          `${t("import.row")} ${r.row}: `,
          el("strong", {}, r.full_name),
          ` (${r.staff_code})`,
          withChanges && r.changes.length ? ` — ${t("import.changed")}: ${r.changes.map(changeLabel).join(", ")}` : "",
        ),
      ),
    ),
  );
}

function summary(report) {
  const figure = (label, value, cls = "") =>
    el("div", { class: `figure ${cls}`.trim() }, el("dt", {}, label), el("dd", {}, String(value)));
  return el(
    "div",
    { class: "stack" },
    el(
      "dl",
      { class: "figures" },
      figure(report.dry_run ? t("import.toCreate") : t("import.createdN"), report.created.length),
      figure(report.dry_run ? t("import.toUpdate") : t("import.updatedN"), report.updated.length),
      figure(t("import.unchanged"), report.unchanged),
      figure(t("import.errors"), report.errors.length, report.errors.length ? "figure-bad" : "figure-ok"),
    ),
    report.units_created.length
      ? el("p", {}, `${report.dry_run ? t("import.newUnits") : t("import.unitsCreated")}: `, el("strong", {}, report.units_created.join(", ")))
      : "",
    rowsList(report.dry_run ? t("import.toCreate") : t("import.createdN"), report.created, false),
    rowsList(report.dry_run ? t("import.toUpdate") : t("import.updatedN"), report.updated, true),
  );
}

function errorTable(errors) {
  return el(
    "div",
    { class: "table-scroll" },
    el(
      "table",
      { class: "data-table errors-table" },
      el("caption", {}, t("import.errorsCaption", { n: errors.length })),
      el(
        "thead",
        {},
        el("tr", {}, el("th", { scope: "col" }, t("import.row")), el("th", { scope: "col" }, t("import.column")), el("th", { scope: "col" }, t("import.message"))),
      ),
      el(
        "tbody",
        {},
        errors.map((e) =>
          el(
            "tr",
            {},
            el("td", { class: "num" }, e.row ?? "—"),
            el("td", {}, e.column || (e.field ? changeLabel(e.field) : "—")),
            el("td", {}, e.message),
          ),
        ),
      ),
    ),
  );
}

export function render(outlet) {
  const org = orgId();
  const templateButton = el("button", { type: "button", class: "button button-secondary" }, t("import.template"));
  const templateAlert = messageSlot("error");
  const fileInput = el("input", {
    type: "file",
    name: "file",
    id: "import-file",
    class: "file-input",
    accept: ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
  });
  const fileName = el("span", { class: "file-name", "aria-hidden": "true" }, t("import.noFileChosen"));
  const check = el("button", { type: "submit", class: "button" }, t("import.check"));
  const run = el("button", { type: "button", class: "button", disabled: true }, t("import.run"));
  const runHint = el("p", { class: "hint", id: "import-run-hint" }, t("import.runHint"));
  run.setAttribute("aria-describedby", runHint.id);
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const report = el("div", { class: "report" });
  let checkedFile = null;

  templateButton.addEventListener("click", async () => {
    showMessage(templateAlert, "");
    await busy(templateButton, async () => {
      try {
        await downloadTemplate();
      } catch (error) {
        showMessage(templateAlert, error.message);
      }
    });
  });

  function reset() {
    checkedFile = null;
    run.disabled = true;
    runHint.textContent = t("import.runHint");
    report.replaceChildren();
    showMessage(alert, "");
    showMessage(status, "");
  }
  fileInput.addEventListener("change", () => {
    fileName.textContent = fileInput.files[0]?.name || t("import.noFileChosen");
    reset();
  });

  const fileField = field({ label: t("import.file"), input: fileInput, hint: t("import.fileHint") });
  fileInput.after(
    el(
      "div",
      { class: "file-picker" },
      el("label", { for: "import-file", class: "button button-secondary file-button", "aria-hidden": "true" }, t("import.choose")),
      fileName,
    ),
  );
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    fileField,
    el("div", { class: "actions" }, check),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = fileInput.files[0];
    reset();
    if (!file) {
      showMessage(alert, t("import.noFile"));
      fileInput.focus();
      return;
    }
    // While the file is checked it stays the one chosen: a result never describes another file.
    fileInput.disabled = true;
    await busy(check, async () => {
      try {
        const result = await importStaff(org, file, true);
        report.replaceChildren(el("h2", {}, t("import.checkTitle")), summary(result));
        if (result.errors.length) {
          report.append(errorTable(result.errors));
          showMessage(alert, t("import.hasErrors", { n: result.errors.length }));
          runHint.textContent = t("import.fixFirst");
        } else if (!result.created.length && !result.updated.length) {
          showMessage(status, t("import.nothing"));
          runHint.textContent = t("import.nothing");
        } else {
          checkedFile = file;
          run.disabled = false;
          runHint.textContent = t("import.ready");
          showMessage(status, t("import.ready"));
        }
      } catch (error) {
        showMessage(alert, fileProblem(error));
      }
    });
    fileInput.disabled = false;
  });

  run.addEventListener("click", async () => {
    if (!checkedFile) return;
    const file = checkedFile;
    await busy(run, async () => {
      try {
        const result = await importStaff(org, file, false);
        checkedFile = null;
        report.replaceChildren(
          el("h2", {}, t("import.doneTitle")),
          summary(result),
          el("a", { class: "button", href: "#/people" }, t("import.toList")),
        );
        showMessage(status, t("import.done", { created: result.created.length, updated: result.updated.length }));
      } catch (error) {
        if (error.fieldErrors?.length && error.code === "invalid-input") {
          const rows = error.fieldErrors.map((e) => {
            const m = /^row (\d+)(?:\.(\w+))?/.exec(e.field) || [];
            return { row: m[1] ? Number(m[1]) : null, field: m[2] || null, column: null, message: e.message };
          });
          report.replaceChildren(errorTable(rows));
          showMessage(alert, t("import.failedNothingSaved"));
        } else {
          showMessage(alert, fileProblem(error));
        }
      }
      run.disabled = !checkedFile;
    });
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
      el("div", { class: "actions" }, templateButton),
      templateAlert,
    ),
    el(
      "section",
      { class: "card" },
      el("h2", {}, t("import.step2")),
      form,
      alert,
      status,
      report,
      el("div", { class: "run-box" }, el("h2", {}, t("import.step3")), runHint, run),
    ),
  );
}
