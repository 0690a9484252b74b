// Steps 2 and 3 of an import from a spreadsheet, as the staff list and the question bank share
// them: choose a file, check it (a dry run that lists every bad row at once), then import it,
// all or nothing. What is imported, and how its result reads, is the view's.
import { localDetail } from "../api/client.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { field, messageSlot, showMessage } from "../ui.js";

const ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv";

// A file-level rejection (415, 413, 422 import-file-rejected) carries its own clear message.
function fileProblem(error) {
  if ([413, 415].includes(error.status) || error.code === "import-file-rejected") {
    return localDetail(error.problem?.detail) || error.message;
  }
  return error.message;
}

// The rows that would be (or were) written, folded: "Row 4: " and what describe(row) gives.
function rowsList(title, rows, describe) {
  if (!rows.length) return "";
  return el(
    "details",
    { class: "rows-details" },
    el("summary", {}, `${title} (${rows.length})`),
    el(
      "ul",
      { class: "plain-list" },
      rows.map((r) => el("li", {}, `${t("import.row")} ${r.row}: `, ...describe(r))),
    ),
  );
}

// What a check or an import says: its figures, `extra` (the view's own), then the rows it
// creates and updates, each told by describe(row, withChanges) → nodes.
export function reportSummary(report, describe, extra = []) {
  const figure = (label, value, cls = "") => el("div", { class: `figure ${cls}`.trim() }, el("dt", {}, label), el("dd", {}, String(value)));
  const created = report.dry_run ? t("import.toCreate") : t("import.createdN");
  const updated = report.dry_run ? t("import.toUpdate") : t("import.updatedN");
  return el(
    "div",
    { class: "stack" },
    el(
      "dl",
      { class: "figures" },
      figure(created, report.created.length),
      figure(updated, report.updated.length),
      figure(t("import.unchanged"), report.unchanged),
      figure(t("import.errors"), report.errors.length, report.errors.length ? "figure-bad" : "figure-ok"),
    ),
    ...extra,
    rowsList(created, report.created, (r) => describe(r, false)),
    rowsList(updated, report.updated, (r) => describe(r, true)),
  );
}

// Step 1's button: the template to fill in, and where a failed download says so.
export function templateDownload(label, download) {
  const button = el("button", { type: "button", class: "button button-secondary" }, label);
  const alert = messageSlot("error");
  button.addEventListener("click", async () => {
    showMessage(alert, "");
    await busy(button, async () => {
      try {
        await download();
      } catch (error) {
        showMessage(alert, error.message);
      }
    });
  });
  return [el("div", { class: "actions" }, button), alert];
}

// The bad rows: row number, the column as the file names it (else fieldLabel(field)), and the
// message in the language in use.
function errorTable(errors, fieldLabel) {
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
            el("td", {}, e.column || (e.field ? fieldLabel(e.field) : "—")),
            el("td", {}, localDetail(e.message)),
          ),
        ),
      ),
    ),
  );
}

// A real run refused for bad rows names them as field errors ("row 4.email"): rows again.
function refusedRows(error) {
  return error.fieldErrors.map((e) => {
    const m = /^row (\d+)(?:\.(\w+))?/.exec(e.field) || [];
    return { row: m[1] ? Number(m[1]) : null, field: m[2] || null, column: null, message: e.message };
  });
}

// The nodes of steps 2 and 3, for the view's card. `options`:
//   fileLabel, noFile: the file field's label and the prompt when none is chosen;
//   send(file, dryRun) → the report; summary(report) → what it says, above the bad rows;
//   writes(report) → how many rows the real run would write; nothing: the text when none;
//   fieldLabel(field) → a column's name when the file's own header is unknown;
//   done(report) → { message, after: nodes under the summary (links onward) }.
export function importSteps(options) {
  const fileInput = el("input", { type: "file", name: "file", id: "import-file", class: "file-input", accept: ACCEPT });
  const fileName = el("span", { class: "file-name", "aria-hidden": "true" }, t("import.noFileChosen"));
  const check = el("button", { type: "submit", class: "button" }, t("import.check"));
  const run = el("button", { type: "button", class: "button", disabled: true }, t("import.run"));
  const runHint = el("p", { class: "hint", id: "import-run-hint" }, t("import.runHint"));
  run.setAttribute("aria-describedby", runHint.id);
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const report = el("div", { class: "report" });
  let checkedFile = null;

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

  const fileField = field({ label: options.fileLabel, input: fileInput, hint: t("import.fileHint") });
  fileInput.after(
    el(
      "div",
      { class: "file-picker" },
      el("label", { for: "import-file", class: "button button-secondary file-button", "aria-hidden": "true" }, t("import.choose")),
      fileName,
    ),
  );
  const form = el("form", { class: "stack", novalidate: true }, fileField, el("div", { class: "actions" }, check));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = fileInput.files[0];
    reset();
    if (!file) {
      showMessage(alert, options.noFile);
      fileInput.focus();
      return;
    }
    // While the file is checked it stays the one chosen: a result never describes another file.
    fileInput.disabled = true;
    await busy(check, async () => {
      try {
        const result = await options.send(file, true);
        report.replaceChildren(el("h2", {}, t("import.checkTitle")), options.summary(result));
        if (result.errors.length) {
          report.append(errorTable(result.errors, options.fieldLabel));
          showMessage(alert, t("import.hasErrors", { n: result.errors.length }));
          runHint.textContent = t("import.fixFirst");
        } else if (!options.writes(result)) {
          showMessage(status, options.nothing);
          runHint.textContent = options.nothing;
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
        const result = await options.send(file, false);
        checkedFile = null;
        const done = options.done(result);
        report.replaceChildren(el("h2", {}, t("import.doneTitle")), options.summary(result), ...done.after);
        showMessage(status, done.message);
      } catch (error) {
        if (error.fieldErrors?.length && error.code === "invalid-input") {
          report.replaceChildren(errorTable(refusedRows(error), options.fieldLabel));
          showMessage(alert, t("import.failedNothingSaved"));
        } else {
          showMessage(alert, fileProblem(error));
        }
      }
      run.disabled = !checkedFile;
    });
  });

  return [
    el("h2", {}, t("import.step2")),
    form,
    alert,
    status,
    report,
    el("div", { class: "run-box" }, el("h2", {}, t("import.step3")), runHint, run),
  ];
}
