// The form of one question of the bank: its text, topic, kind, options (each with a box to
// mark it right: a radio for single choice, a checkbox for multiple) and explanation. The
// server's field errors land beside their field (options and right answers have their slots).
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { field, input, messageSlot, nextId, refuseLocally, reportError } from "../ui.js";

const MIN_OPTIONS = 2;
const MAX_OPTIONS = 8;

// question: the one edited, or null for a new one; topics: those of the bank (suggested);
// onSave(body) → the saved question; onCancel().
export function questionForm({ question, topics, onSave, onCancel }) {
  const id = nextId("question");
  const alert = messageSlot("error");
  const text = el("textarea", { class: "input", name: "text", rows: 3, maxlength: 2000 }, question?.text || "");
  const topicList = el("datalist", { id: `${id}-topics` }, topics.map((name) => el("option", { value: name })));
  const topic = input({ name: "topic", value: question?.topic || "", maxlength: 100, list: topicList.id, autocomplete: "off" });
  const explanation = el("textarea", { class: "input", name: "explanation", rows: 3, maxlength: 4000 }, question?.explanation || "");
  let kind = question?.kind || "single";

  const kinds = el(
    "fieldset",
    { class: "field" },
    el("legend", {}, t("quiz.q.kind")),
    el(
      "div",
      { class: "quiz-kind" },
      ["single", "multiple"].map((value) =>
        el(
          "label",
          { class: "check" },
          el("input", {
            type: "radio",
            name: "kind",
            value,
            checked: kind === value,
            onchange: () => {
              kind = value;
              drawOptions();
            },
          }),
          t(`quiz.kind.${value}`),
        ),
      ),
    ),
  );

  // The options as typed so far: [{ text, right }].
  let options = (question?.options || ["", "", ""]).map((value, i) => ({ text: value, right: (question?.correct || []).includes(i) }));
  const rows = el("div", { class: "quiz-option-rows" });
  const addOption = el("button", { type: "button", class: "button button-secondary" }, t("quiz.q.addOption"));
  addOption.addEventListener("click", () => {
    options.push({ text: "", right: false });
    drawOptions();
    rows.querySelector(".quiz-option-row:last-child input[type=text]")?.focus();
  });

  function drawOptions() {
    rows.replaceChildren(
      ...options.map((option, i) => {
        const n = i + 1;
        const mark = el("input", {
          type: kind === "single" ? "radio" : "checkbox",
          name: `${id}-right`,
          checked: option.right,
          "aria-label": t("quiz.q.isRightOf", { n }),
        });
        mark.addEventListener("change", () => {
          if (kind === "single") options.forEach((o) => (o.right = false));
          option.right = mark.checked;
        });
        const value = input({ name: `option-${i}`, value: option.text, maxlength: 500, "aria-label": t("quiz.q.option", { n }), placeholder: t("quiz.q.option", { n }) });
        value.addEventListener("input", () => (option.text = value.value));
        const remove = el("button", { type: "button", class: "button button-secondary", "aria-label": t("quiz.q.removeOption", { n }), disabled: options.length <= MIN_OPTIONS }, "✕");
        remove.addEventListener("click", () => {
          options.splice(i, 1);
          drawOptions();
          rows.querySelector("input[type=text]")?.focus();
        });
        return el("div", { class: "quiz-option-row" }, el("label", { class: "check" }, mark, t("quiz.q.isRight")), value, remove);
      }),
    );
    // Single choice keeps one right option at most.
    if (kind === "single" && options.filter((o) => o.right).length > 1) {
      options.forEach((o, i) => (o.right = i === options.findIndex((x) => x.right)));
      drawOptions();
    }
    addOption.hidden = options.length >= MAX_OPTIONS;
  }
  drawOptions();

  const save = el("button", { type: "submit", class: "button" }, t("quiz.q.save"));
  const cancel = el("button", { type: "button", class: "button button-secondary" }, t("quiz.q.cancel"));
  cancel.addEventListener("click", onCancel);
  const heading = el("h3", { id: `${id}-title`, tabindex: "-1" }, question ? t("quiz.q.editTitle") : t("quiz.q.newTitle"));
  const form = el(
    "form",
    { class: "quiz-editor", novalidate: true, "aria-labelledby": heading.id },
    heading,
    field({ label: t("quiz.q.text"), input: text, required: true }),
    field({ label: t("quiz.q.topic"), input: topic }),
    topicList,
    kinds,
    el(
      "fieldset",
      { class: "field" },
      el("legend", {}, t("quiz.q.options")),
      rows,
      addOption,
      el("p", { class: "field-error", "data-errors-for": "options", hidden: true }),
      el("p", { class: "field-error", "data-errors-for": "correct", hidden: true }),
    ),
    field({ label: t("quiz.q.explanation"), input: explanation }),
    alert,
    el("div", { class: "actions" }, save, cancel),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      topic: topic.value.trim() || null,
      text: text.value.trim(),
      kind,
      options: options.map((o) => o.text.trim()),
      correct: options.map((o, i) => (o.right ? i : -1)).filter((i) => i >= 0),
      explanation: explanation.value.trim(),
    };
    if (refuseLocally(form, alert, { text: body.text ? null : t("field.required"), correct: body.correct.length ? null : t("quiz.q.needRight") })) return;
    try {
      await busy(save, () => onSave(body));
    } catch (error) {
      reportError(form, alert, error);
    }
  });
  return { form, heading };
}
