// A reflection (bài thu hoạch): the text with a live count of its letters, and a button that
// waits for the plan's minimum length.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { messageSlot, showMessage, nextId } from "../ui.js";

// Python counts code points after strip(); so do we, so the counter agrees with the server.
function charCount(text) {
  return Array.from(String(text || "").trim()).length;
}

// The reflection textarea with a live counter; the button waits for the minimum length.
export function reflectionForm({ plan, initial = "", label, submitLabel, required, onSubmit, big = false }) {
  const min = plan.reflection_required ? Math.max(plan.reflection_min_length, 1) : 1;
  const id = nextId("reflection");
  const area = el("textarea", { id, name: "reflection", class: "input reflection-input", rows: "7", maxlength: "20000", "aria-describedby": `${id}-count` });
  area.value = initial;
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
  area.addEventListener("input", update);
  update();
  const form = el(
    "form",
    { class: "reflection-form", novalidate: true },
    el("div", { class: "label-row" }, el("label", { for: id }, label), required ? el("span", { class: "req", "aria-hidden": "true" }, "*") : null),
    plan.reflection_required ? el("p", { class: "hint" }, t("teacher.reflectionRequired", { min })) : null,
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
    } catch (error) {
      showMessage(alert, error.message);
    } finally {
      update();
    }
  });
  return form;
}
