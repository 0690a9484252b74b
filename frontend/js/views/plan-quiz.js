// A plan's quiz, for those who write the plan: its settings, its question bank (add, edit,
// delete; or import from Excel on its own screen) and who took it (attempts, best score,
// passed), filtered to those who passed or not.
import { getPlan } from "../api/plans.js";
import { addQuestion, getQuizSettings, listQuestions, putQuizSettings, quizResults, removeQuestion, updateQuestion } from "../api/quiz.js";
import { dataTable, labelledCell } from "../components/data-table.js";
import { questionForm } from "../components/quiz-question-form.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { currentQuery, replaceQuery } from "../router.js";
import { can } from "../session.js";
import { confirmAction, field, input, loading, messageSlot, reportError, select, showMessage } from "../ui.js";

const DEFAULTS = { required: false, question_count: 10, topic: null, time_limit_minutes: 15, attempts_allowed: 2, pass_percent: 80 };

function numberInput(name, value, min, max) {
  return input({ type: "number", name, value: String(value), min, max, inputmode: "numeric" });
}

function settingsCard(planId, settings, topics, onSaved) {
  const alert = messageSlot("error");
  const done = messageSlot("status");
  const values = settings || DEFAULTS;
  const required = el("input", { type: "checkbox", name: "required", id: "quiz-required", checked: values.required });
  const topic = select({ name: "topic" }, [["", t("quiz.set.anyTopic")], ...topics.map((name) => [name, name])], values.topic || "");
  const controls = {
    question_count: numberInput("question_count", values.question_count, 1, 100),
    time_limit_minutes: numberInput("time_limit_minutes", values.time_limit_minutes, 1, 240),
    attempts_allowed: numberInput("attempts_allowed", values.attempts_allowed, 1, 20),
    pass_percent: numberInput("pass_percent", values.pass_percent, 0, 100),
  };
  const save = el("button", { type: "submit", class: "button" }, t("quiz.set.save"));
  let bankLine = null;
  if (settings) {
    const short = settings.bank_size < settings.question_count;
    bankLine = el("p", { class: short ? "warning" : "hint" }, short ? t("quiz.set.bankShort", { n: settings.bank_size }) : t("quiz.set.bank", { n: settings.bank_size }));
  }
  const form = el(
    "form",
    { class: "quiz-settings", novalidate: true },
    settings ? null : el("p", { class: "notice notice-info" }, t("quiz.noSettings")),
    el("div", { class: "check" }, required, el("label", { for: required.id }, t("quiz.set.required"))),
    el(
      "div",
      { class: "quiz-settings-grid" },
      field({ label: t("quiz.set.questionCount"), input: controls.question_count, hint: t("quiz.set.questionCountHint") }),
      field({ label: t("quiz.set.timeLimit"), input: controls.time_limit_minutes }),
      field({ label: t("quiz.set.attempts"), input: controls.attempts_allowed }),
      field({ label: t("quiz.set.passPercent"), input: controls.pass_percent }),
    ),
    field({ label: t("quiz.set.topic"), input: topic, hint: t("quiz.set.topicHint") }),
    bankLine,
    alert,
    done,
    el("div", { class: "actions" }, save),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(done, "");
    const body = { required: required.checked, topic: topic.value || null };
    for (const [name, control] of Object.entries(controls)) body[name] = control.value === "" ? null : Number(control.value);
    try {
      const saved = await busy(save, () => putQuizSettings(planId, body));
      onSaved(saved, t("quiz.set.saved"));
    } catch (error) {
      reportError(form, alert, error);
    }
  });
  return { node: el("section", { class: "card", "aria-labelledby": "quiz-settings" }, el("h2", { id: "quiz-settings" }, t("quiz.settings")), form), done };
}

function questionItem(question, index, { onEdit, onRemove }) {
  const edit = el("button", { type: "button", class: "button button-secondary" }, t("quiz.edit"));
  const remove = el("button", { type: "button", class: "button button-danger" }, t("quiz.remove"));
  const label = `${index + 1}. ${question.text}`;
  edit.setAttribute("aria-label", `${t("quiz.edit")}: ${label}`);
  remove.setAttribute("aria-label", `${t("quiz.remove")}: ${label}`);
  edit.addEventListener("click", onEdit);
  remove.addEventListener("click", () => onRemove(remove));
  const correct = new Set(question.correct);
  return el(
    "li",
    { class: "quiz-bank-item", id: `bank-question-${question.id}` },
    el(
      "p",
      { class: "small muted" },
      t(`quiz.kind.${question.kind}`),
      question.topic ? el("span", { class: "tag" }, question.topic) : null,
    ),
    el("p", { class: "quiz-bank-text" }, label),
    el(
      "ul",
      { class: "quiz-bank-options" },
      question.options.map((option, i) => el("li", { class: correct.has(i) ? "is-correct" : null }, correct.has(i) ? `✓ ${option} (${t("quiz.q.isRight")})` : option)),
    ),
    question.explanation ? el("p", { class: "small muted" }, `${t("quiz.explanation")} ${question.explanation}`) : null,
    el("div", { class: "list-actions" }, edit, remove),
  );
}

function resultsCard(rows) {
  const show = currentQuery().get("passed") || "";
  const filter = select(
    { name: "passed" },
    [
      ["", t("quiz.results.all")],
      ["yes", t("quiz.results.passed")],
      ["no", t("quiz.results.notPassed")],
    ],
    show,
  );
  const body = el("div", { "aria-live": "polite" });
  const passed = rows.filter((r) => r.passed).length;
  function draw() {
    const shown = rows.filter((r) => !filter.value || r.passed === (filter.value === "yes"));
    body.replaceChildren(
      shown.length
        ? dataTable({
            caption: t("quiz.results.caption"),
            headers: [t("quiz.results.name"), t("quiz.results.code"), t("quiz.results.attempts"), t("quiz.results.best"), t("quiz.results.outcome")],
            rows: shown.map((r) =>
              el(
                "tr",
                {},
                el("th", { scope: "row" }, r.full_name),
                labelledCell(t("quiz.results.code"), r.staff_code),
                labelledCell(t("quiz.results.attempts"), String(r.attempts)),
                labelledCell(t("quiz.results.best"), r.best_percent === null ? "—" : `${r.best_percent}%`),
                labelledCell(t("quiz.results.outcome"), el("span", { class: r.passed ? "badge badge-ok" : "badge badge-off" }, r.passed ? `✓ ${t("quiz.results.passed")}` : t("quiz.results.notPassed"))),
              ),
            ),
          })
        : el("p", { class: "empty" }, rows.length ? t("quiz.results.noneShown") : t("quiz.results.none")),
    );
  }
  filter.addEventListener("change", () => {
    replaceQuery({ passed: filter.value });
    draw();
  });
  draw();
  return el(
    "section",
    { class: "card quiz-admin-results", "aria-labelledby": "quiz-results" },
    el("h2", { id: "quiz-results" }, t("quiz.results")),
    rows.length ? el("p", { class: "summary" }, t("quiz.results.summary", { n: rows.length, passed })) : null,
    el("div", { class: "filter-grid filters-inline" }, field({ label: t("quiz.results.filter"), input: filter })),
    body,
  );
}

export async function render(outlet, { id }) {
  const planId = Number(id);
  const back = el("p", { class: "back" }, el("a", { href: `#/plans/${planId}` }, `← ${t("quiz.backToPlan")}`));
  outlet.replaceChildren(back, el("section", { class: "card" }, loading()));
  let plan;
  let questions;
  let settings;
  let results = null;
  try {
    [plan, questions, settings] = await Promise.all([
      getPlan(planId),
      listQuestions(planId),
      getQuizSettings(planId).catch((error) => {
        if (error.status === 404) return null;
        throw error;
      }),
    ]);
    if (can("reports:read")) results = await quizResults(planId);
  } catch (error) {
    outlet.replaceChildren(back, el("section", { class: "card" }, el("h1", {}, t("quiz.manage")), el("p", { class: "notice notice-error", role: "alert" }, error.message)));
    return;
  }
  document.title = `${t("quiz.manage")} — ${plan.symbol || plan.title} — Lan Tỏa`;
  // Which question is open in the editor: "new", a question's id, or null.
  let editing = null;
  let flash = { where: null, text: "" };

  const topics = () => [...new Set(questions.map((q) => q.topic).filter(Boolean))].sort((a, b) => a.localeCompare(b, "vi"));

  async function reload(where, text) {
    [questions, settings] = await Promise.all([listQuestions(planId), getQuizSettings(planId).catch(() => settings)]);
    flash = { where, text };
    draw();
  }

  function editor(question) {
    const { form, heading } = questionForm({
      question,
      topics: topics(),
      onSave: async (body) => {
        const saved = question ? await updateQuestion(planId, question.id, body) : await addQuestion(planId, body);
        editing = null;
        await reload(saved.id, question ? t("quiz.savedQ") : t("quiz.addedQ"));
        document.getElementById(`bank-question-${saved.id}`)?.querySelector("button")?.focus();
      },
      onCancel: () => {
        const was = editing;
        editing = null;
        draw();
        (was === "new" ? document.getElementById("quiz-add") : document.getElementById(`bank-question-${was}`)?.querySelector("button"))?.focus();
      },
    });
    queueMicrotask(() => heading.focus());
    return form;
  }

  function bankCard() {
    const done = messageSlot("status");
    const alert = messageSlot("error");
    const add = el("button", { type: "button", class: "button", id: "quiz-add" }, t("quiz.add"));
    add.addEventListener("click", () => {
      editing = "new";
      draw();
    });
    const list = el(
      "ol",
      { class: "quiz-bank-list", "aria-labelledby": "quiz-bank" },
      questions.map((q, i) =>
        editing === q.id
          ? el("li", { class: "quiz-bank-item" }, editor(q))
          : questionItem(q, i, {
              onEdit: () => {
                editing = q.id;
                draw();
              },
              onRemove: async (button) => {
                if (!confirmAction(t("quiz.removeConfirm"))) return;
                try {
                  await busy(button, () => removeQuestion(planId, q.id));
                  await reload("bank", t("quiz.removed"));
                  document.getElementById("quiz-add")?.focus();
                } catch (error) {
                  showMessage(alert, error.message);
                }
              },
            }),
      ),
    );
    const node = el(
      "section",
      { class: "card", "aria-labelledby": "quiz-bank" },
      el("div", { class: "page-header" }, el("h2", { id: "quiz-bank" }, t("quiz.bank")), el("span", { class: "muted" }, t("quiz.bankCount", { n: questions.length }))),
      done,
      alert,
      el("div", { class: "actions" }, add, el("a", { class: "button button-secondary", href: `#/plans/${planId}/quiz/import` }, t("quiz.import"))),
      editing === "new" ? editor(null) : null,
      questions.length ? list : el("p", { class: "empty" }, t("quiz.bankEmpty")),
    );
    if (flash.text && flash.where !== "settings") showMessage(done, flash.text, "success");
    return node;
  }

  function draw() {
    const settingsPart = settingsCard(planId, settings, topics(), (saved, text) => {
      settings = saved;
      flash = { where: "settings", text };
      draw();
      document.querySelector(".quiz-settings .message-slot[role=status]")?.scrollIntoView({ block: "nearest" });
    });
    if (flash.where === "settings") showMessage(settingsPart.done, flash.text, "success");
    outlet.replaceChildren(
      back,
      el("h1", {}, t("quiz.manageTitle", { plan: plan.symbol || plan.title })),
      el("div", { class: "quiz-admin" }, settingsPart.node, bankCard(), results ? resultsCard(results) : null),
    );
    flash = { where: null, text: "" };
  }
  draw();
}
