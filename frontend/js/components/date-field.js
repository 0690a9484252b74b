// The one input for a calendar day: typed and shown day first (dd/mm/yyyy) in both languages,
// the day understood written out beneath it ("Thứ Năm, 10/12/2026"), sent to the API as ISO.
// A calendar button opens the browser's own picker for those who prefer to point.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { parseDay } from "../lib/days.js";
import { formatDate, formatDay } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { confirmAction, input, withReadback } from "../ui.js";

// { value } (an ISO day, null when empty) or { error } in words, for the control dateInput made.
export function readDate(control) {
  const parsed = parseDay(control.value, { min: control.dataset.min || null, max: control.dataset.max || null });
  if (!parsed.error) return { value: parsed.value, error: null };
  const params = Object.fromEntries(Object.entries(parsed.params || {}).map(([k, v]) => [k, formatDate(v)]));
  return { value: null, error: t(parsed.error, params) };
}

// A day gone by is most often a day and month typed the other way round: true when `day` (ISO)
// is today or later, or the clerk says yes to `question` (an i18n key given the day).
export function confirmPastDay(day, question) {
  return !day || day >= todayIso() || confirmAction(t(question, { day: formatDay(day) }));
}

// value, min, max: ISO days. warnPast: say beneath it when the day has gone by.
// The control's data-value holds the ISO day understood ("" while none): what a list filter
// or a draft keeps.
export function dateInput({ name, value = "", min = "", max = "", warnPast = false, ...attrs }) {
  const control = input({
    name,
    inputmode: "numeric",
    autocomplete: "off",
    placeholder: "dd/mm/yyyy",
    pattern: "\\d{1,2}[\\/.\\- ]\\d{1,2}[\\/.\\- ]\\d{4}|\\d{8}",
    maxlength: "10",
    value: formatDate(value),
    "data-min": min || undefined,
    "data-max": max || undefined,
    "data-value": value || "",
    ...attrs,
  });
  const picker = el("input", { type: "date", class: "date-picker-native", tabindex: "-1", "aria-hidden": "true" });
  const open = el("button", { type: "button", class: "button button-secondary date-picker-button", title: t("day.pick"), "aria-label": t("day.pick") }, t("day.calendar"));
  open.addEventListener("click", () => {
    picker.value = readDate(control).value || "";
    picker.min = control.dataset.min || "";
    picker.max = control.dataset.max || "";
    try {
      picker.showPicker();
    } catch {
      control.focus(); // no picker in this browser: typing still works
    }
  });
  picker.addEventListener("change", () => {
    control.value = formatDate(picker.value);
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
  });
  control.addEventListener("input", () => {
    control.dataset.value = readDate(control).value || "";
  });
  // "1/2/2026" reads back as 01/02/2026 once the clerk moves on.
  control.addEventListener("change", () => {
    const { value: day } = readDate(control);
    control.dataset.value = day || "";
    if (day) control.value = formatDate(day);
  });
  withReadback(
    control,
    () => {
      const { value: day, error } = readDate(control);
      if (error) return control.value.trim() ? { text: error, warning: true } : null;
      if (!day) return null;
      const past = warnPast && day < todayIso();
      return { text: past ? `${formatDay(day)} — ${t("day.past")}` : formatDay(day), warning: past };
    },
    el("span", { class: "date-picker" }, open, picker),
  );
  return control;
}
