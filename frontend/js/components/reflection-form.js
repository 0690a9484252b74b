// A reflection (bài thu hoạch): the text with a live count of its letters, and a button that
// waits for the plan's minimum length. What she types is kept on the device as a draft (given
// `draftKey`) until it is sent.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { dropDraft, keepDraft, readDraft } from "../lib/drafts.js";
import { formatDate } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { messageSlot, showMessage, nextId } from "../ui.js";

// Her reflection waits for the confirmation, or follows it by the plan's own deadline.
export function dueLater(plan) {
  return plan.reflection_timing === "later";
}

export function needsReflectionToConfirm(plan) {
  return plan.reflection_required && !dueLater(plan);
}

// A confirmed plan whose required reflection, due later, is still to be written.
export function reflectionDue(plan) {
  const ack = plan.acknowledgement;
  return Boolean(ack) && !plan.closed && plan.reflection_required && dueLater(plan) && !ack.reflection && !ack.grade;
}

function pastDeadline(plan) {
  return Boolean(plan.reflection_due_on) && plan.reflection_due_on < todayIso();
}

// "Hạn nộp thu hoạch: 19/12/2026", or that it is past, or that there is none.
export function deadlineText(plan) {
  if (!plan.reflection_due_on) return t("teacher.reflectionNoDeadline");
  const date = formatDate(plan.reflection_due_on);
  return pastDeadline(plan) ? t("teacher.reflectionOverdue", { date }) : t("teacher.reflectionDueOn", { date });
}

export function deadlineLine(plan) {
  const late = pastDeadline(plan);
  return el("p", { class: late ? "reflection-deadline due-overdue" : "reflection-deadline" }, deadlineText(plan));
}

export function minHint(plan) {
  return plan.reflection_required ? t("teacher.reflectionMin", { min: Math.max(plan.reflection_min_length, 1) }) : null;
}

// Python counts code points after strip(); so do we, so the counter agrees with the server.
function charCount(text) {
  return Array.from(String(text || "").trim()).length;
}

// The reflection textarea with a live counter; the button waits for the minimum length.
export function reflectionForm({ plan, initial = "", label, submitLabel, required, onSubmit, big = false, hint = null, draftKey = null, id: formId = null }) {
  const min = plan.reflection_required ? Math.max(plan.reflection_min_length, 1) : 1;
  const id = nextId("reflection");
  const area = el("textarea", { id, name: "reflection", class: "input reflection-input", rows: "7", maxlength: "20000", "aria-describedby": `${id}-count` });
  const draft = draftKey ? readDraft(draftKey) : "";
  const restored = Boolean(draft.trim()) && draft.trim() !== initial.trim();
  area.value = restored ? draft : initial;
  const counter = el("p", { class: "counter", id: `${id}-count`, "aria-live": "polite" });
  const submit = el("button", { type: "submit", class: big ? "button button-big button-wide" : "button" }, submitLabel);
  const alert = messageSlot("error");
  function update() {
    const n = charCount(area.value);
    const short = Math.max(0, min - n);
    if (plan.reflection_required) {
      counter.textContent = short
        ? t("teacher.counterShort", { n, min, left: short })
        : t("teacher.counterOk", { n, min });
    } else {
      counter.textContent = t("teacher.counter", { n });
    }
    counter.classList.toggle("counter-ok", short === 0);
    submit.disabled = short > 0;
  }
  area.addEventListener("input", () => {
    update();
    if (draftKey) keepDraft(draftKey, area.value);
  });
  update();
  const form = el(
    "form",
    { class: "reflection-form", novalidate: true, id: formId },
    el("div", { class: "label-row" }, el("label", { for: id }, label), required ? el("span", { class: "req", "aria-hidden": "true" }, "*") : null),
    hint ? el("p", { class: "hint" }, hint) : null,
    restored ? el("p", { class: "notice draft-restored", role: "status" }, t("teacher.draftRestored")) : null,
    area,
    counter,
    alert,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (charCount(area.value) < min) return;
    showMessage(alert, "");
    try {
      await busy(submit, () => onSubmit(area.value.trim()));
      if (draftKey) dropDraft(draftKey);
    } catch (error) {
      showMessage(alert, error.message);
    } finally {
      update();
    }
  });
  return form;
}
