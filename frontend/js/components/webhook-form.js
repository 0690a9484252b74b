// Registering a webhook: the receiver's address, the events it hears of (each with what it
// means), a note, and the progress thresholds typed as a list ("50; 80; 100").
import { createWebhook } from "../api/webhooks.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { parseNumber } from "../lib/numbers.js";
import { field, input, messageSlot, nextId, refuseLocally, reportError, showMessage, withReadback } from "../ui.js";

export const EVENTS = ["acknowledgement.created", "plan.progress", "report.issued", "plan.adopted"];

// "50; 80, 100%" → { value: [50, 80, 100] }; a piece that is not a whole number from 1 to 100
// → { error } in words naming it. Thresholds are whole, so a comma only separates.
export function readThresholds(text) {
  const pieces = String(text).split(/[;,\s]+/).filter(Boolean);
  const value = [];
  for (const piece of pieces) {
    const parsed = parseNumber(piece.replace(/%$/, ""), { min: 1, max: 100 });
    if (parsed.error) return { error: t("webhooks.thresholdsBad", { text: piece, reason: t(parsed.error, parsed.params) }) };
    value.push(parsed.value);
  }
  return { value: [...new Set(value)].sort((a, b) => a - b) };
}

// onCreated(endpoint with its secret), after the form is cleared.
export function webhookForm({ org, onCreated }) {
  const url = input({ name: "url", type: "url", maxlength: "2000", autocomplete: "off", placeholder: "https://", inputmode: "url" });
  const description = input({ name: "description", maxlength: "200", autocomplete: "off" });
  const thresholds = input({ name: "progress_thresholds", autocomplete: "off", inputmode: "decimal", placeholder: "50; 80; 100" });
  withReadback(thresholds, () => {
    if (!thresholds.value.trim()) return null;
    const read = readThresholds(thresholds.value);
    return read.error ? { text: read.error, warning: true } : { text: t("webhooks.thresholdsParsed", { list: read.value.map((n) => `${n}%`).join("; ") }) };
  });
  const boxes = EVENTS.map((event) => {
    const id = nextId("event");
    return el(
      "div",
      { class: "check check-explained" },
      el("input", { type: "checkbox", id, name: "events", value: event, checked: event === "plan.progress", "aria-describedby": `${id}-help` }),
      el(
        "div",
        {},
        el("label", { for: id }, t(`webhooks.event.${event}`), " ", el("span", { class: "small muted mono" }, event)),
        el("p", { class: "small muted", id: `${id}-help` }, t(`webhooks.event.${event}.help`)),
      ),
    );
  });
  const submit = el("button", { type: "submit", class: "button" }, t("webhooks.create"));
  const alert = messageSlot("error");
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    field({ label: t("webhooks.url"), input: url, required: true, hint: t("webhooks.urlHint") }),
    el(
      "fieldset",
      { class: "field" },
      el("legend", {}, t("webhooks.pickEvents")),
      el("div", { class: "check-list" }, boxes),
      el("p", { class: "field-error", "data-errors-for": "events", hidden: true }),
    ),
    field({ label: t("webhooks.thresholdsField"), input: thresholds, hint: t("webhooks.thresholdsHint") }),
    field({ label: t("webhooks.description"), input: description, hint: t("webhooks.descriptionHint") }),
    alert,
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    const events = [...form.querySelectorAll('input[name="events"]:checked')].map((box) => box.value);
    const read = readThresholds(thresholds.value);
    const refused = refuseLocally(form, alert, {
      url: url.value.trim() ? null : t("field.required"),
      events: events.length ? null : t("webhooks.pickOne"),
      progress_thresholds: read.error ?? null,
    });
    if (refused) return;
    await busy(submit, async () => {
      try {
        const created = await createWebhook({
          organization_id: org,
          url: url.value.trim(),
          events,
          description: description.value.trim(),
          progress_thresholds: read.value,
        });
        form.reset();
        thresholds.dispatchEvent(new Event("input")); // its read-back goes with the text
        await onCreated(created);
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return form;
}
