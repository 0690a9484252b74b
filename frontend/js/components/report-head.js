// The head of a report screen (a plan's progress, the district roll-up, the official report):
// the way back, the plan's line, the "figures as of" day, and the Excel and CSV buttons.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { field, messageSlot, showMessage, pageHeader } from "../ui.js";
import { dateInput, readDate } from "./date-field.js";

// "Báo cáo › <the screen one level up>".
export function reportCrumbs(href, label) {
  return el(
    "nav",
    { class: "back crumbs", "aria-label": t("reports.crumbs") },
    el("a", { href: "#/reports" }, t("reports.entry.title")),
    el("span", { "aria-hidden": "true" }, " › "),
    el("a", { href }, label),
  );
}

// "05/KH-THNBK — Tổ chức học tập …" under a screen's title.
export function planLine(plan) {
  return el(
    "p",
    { class: "plan-ref" },
    el("strong", {}, plan.symbol || t("reports.noNumber")),
    " — ",
    el("span", { class: "plan-ref-title" }, plan.title),
    plan.organization_name ? el("span", { class: "plan-ref-org" }, plan.organization_name) : null,
  );
}

// A YYYY-MM-DD from the address, or "" when missing, malformed or in the future.
export function validDay(value) {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return "";
  return value > todayIso() ? "" : value;
}

// "Figures as of" day: empty means now; changes call onChange(YYYY-MM-DD or "").
function asOfPicker(value, onChange) {
  const today = todayIso();
  const day = dateInput({ name: "as_of", max: today, value: value || "" });
  const now = el("button", { type: "button", class: "button button-secondary", hidden: !value }, t("reports.asOf.now"));
  const error = messageSlot("error");
  let last = value || "";
  function apply() {
    const { value: next, error: wrong } = readDate(day);
    if (wrong) {
      showMessage(error, wrong);
      day.setAttribute("aria-invalid", "true");
      return;
    }
    showMessage(error, "");
    day.removeAttribute("aria-invalid");
    now.hidden = !next;
    if ((next || "") === last) return;
    last = next || "";
    onChange(last);
  }
  day.addEventListener("change", apply);
  now.addEventListener("click", () => {
    day.value = "";
    day.dispatchEvent(new Event("input"));
    apply();
    day.focus();
  });
  return el(
    "div",
    { class: "as-of" },
    el("div", { class: "inline-row" }, field({ label: t("reports.asOf.label"), input: day, hint: t("reports.asOf.hint") }), now),
    error,
  );
}

// Excel first, for people (the primary button); CSV after it, the data for software.
// fetcher(format) downloads the file, its errors go to `slot`.
function exportButtons(fetcher, slot) {
  const make = (format, label, attrs) => {
    const node = el("button", { type: "button", ...attrs }, label);
    node.addEventListener("click", () =>
      busy(node, async () => {
        showMessage(slot, "");
        try {
          await fetcher(format);
        } catch (error) {
          showMessage(slot, error.message);
        }
      }),
    );
    return node;
  };
  return [
    make("xlsx", t("reports.export.xlsx"), { class: "button" }),
    make("csv", t("reports.export.csv"), { class: "button button-secondary", title: t("reports.export.csvHint") }),
  ];
}

// The card at the top of a dashboard: its title, the plan, the "as of" picker beside the Excel
// and CSV buttons (and `actions`), and what the figures shown mean. show(figures) fills in
// the plan and the note once the figures have come.
export function reportHead({ title, asOf, onAsOf, download, actions = [] }) {
  const exportAlert = messageSlot("error");
  const plan = el("div", { class: "plan-title-slot" });
  const note = el("p", { class: "as-of-note", role: "status" });
  const buttons = el("div", { class: "page-actions report-actions" }, ...exportButtons(download, exportAlert), ...actions);
  return {
    node: el("section", { class: "card" }, pageHeader(title), plan, el("div", { class: "report-toolbar" }, asOfPicker(asOf, onAsOf), buttons), exportAlert, note),
    buttons,
    show(figures) {
      plan.replaceChildren(planLine(figures.plan));
      note.textContent = figures.as_of
        ? t("reports.asOf.at", { date: formatDate(figures.as_of) })
        : `${t("reports.asOf.current")} (${t("reports.asOf.generated", { time: formatDateTime(figures.generated_at) })})`;
    },
  };
}
