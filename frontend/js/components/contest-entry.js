// Taking a contest round: the questions as a form (one fieldset per question, radios or
// checkboxes), the countdown to the server's deadline, the tie-break number and the submit
// button; then her result. The server keeps the time and checks the answers: this screen only
// shows what it sent, saves each choice as she makes it, and submits when the time runs out.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { field, input, messageSlot, reportError, showMessage } from "../ui.js";

// ops: { save(answers), submit(answers, tiebreak) } → the entry as the server answers.
export function contestEntry(outlet, entry, ops) {
  let stop = () => {};
  const draw = (current) => {
    stop();
    stop = current.status === "submitted" ? () => {} : taking(outlet, current, ops, draw);
    if (current.status === "submitted") outlet.replaceChildren(result(current));
  };
  draw(entry);
  return () => stop();
}

function chosenOf(form, question) {
  return [...form.querySelectorAll(`input[name="q-${question.id}"]:checked`)].map((box) => Number(box.value));
}

function answersOf(form, entry) {
  return entry.questions.map((q) => ({ question_id: q.id, chosen: chosenOf(form, q) }));
}

function taking(outlet, entry, ops, redraw) {
  const slot = messageSlot();
  const clock = el("p", { class: "contest-clock", role: "timer", "aria-live": "off" });
  const questions = entry.questions.map((q, index) => {
    const kept = entry.answers[String(q.id)] || [];
    const type = q.kind === "multiple" ? "checkbox" : "radio";
    return el(
      "fieldset",
      { class: "field contest-question" },
      el("legend", {}, `${index + 1}. ${q.text}`),
      q.kind === "multiple" ? el("p", { class: "hint" }, t("contest.pickAll")) : null,
      q.options.map((option, i) =>
        el(
          "label",
          { class: "check contest-option" },
          el("input", { type, name: `q-${q.id}`, value: String(i), checked: kept.includes(i) }),
          el("span", {}, option),
        ),
      ),
    );
  });
  const guess = input({ type: "number", name: "tiebreak", min: "0", step: "1", inputmode: "numeric" });
  const send = el("button", { type: "submit", class: "button button-big" }, t("contest.submit"));
  const form = el(
    "form",
    { class: "contest-form", novalidate: true },
    questions,
    field({ label: entry.tiebreak_question, input: guess, hint: t("contest.tiebreakHint") }),
    slot,
    send,
  );
  // Each choice is saved as it is made, so a lost connection or a closed tab loses nothing.
  form.addEventListener("change", async (event) => {
    const name = event.target.name || "";
    if (!name.startsWith("q-")) return;
    const question = entry.questions.find((q) => `q-${q.id}` === name);
    try {
      await ops.save([{ question_id: question.id, chosen: chosenOf(form, question) }]);
      showMessage(slot, "");
    } catch (error) {
      if (error.status === 409) return redraw(await ops.read());
      showMessage(slot, t("contest.notSaved"));
    }
  });
  const finish = () =>
    busy(send, async () => {
      try {
        redraw(await ops.submit(answersOf(form, entry), guess.value === "" ? null : Number(guess.value)));
      } catch (error) {
        reportError(form, slot, error, { fields: { tiebreak: guess } });
      }
    });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    finish();
  });
  const deadline = new Date(entry.deadline_at).getTime();
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    clock.textContent = t("contest.timeLeft", { time: duration(left * 1000) });
    clock.classList.toggle("contest-clock-low", left <= 60);
    if (left === 0) {
      clearInterval(timer);
      finish();
    }
  };
  const timer = setInterval(tick, 1000);
  tick();
  outlet.replaceChildren(
    el(
      "section",
      { class: "card contest-card" },
      el("h2", {}, t("contest.roundN", { n: entry.round_number })),
      el("p", { class: "small muted" }, t("contest.entrant", { name: entry.full_name, school: entry.school_name })),
      clock,
      form,
    ),
  );
  return () => clearInterval(timer);
}

// 95000 → "1:35"
export function duration(ms) {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function result(entry) {
  const r = entry.result;
  const byId = Object.fromEntries(entry.questions.map((q) => [q.id, q]));
  return el(
    "section",
    { class: "card contest-card" },
    el("h2", {}, t("contest.roundN", { n: entry.round_number })),
    el("p", { class: "notice notice-success", role: "status" }, t("contest.submitted")),
    el(
      "dl",
      { class: "facts contest-facts" },
      el("dt", {}, t("contest.score")),
      el("dd", { class: "strong" }, r.score === null ? t("contest.scoreLater") : t("contest.scoreOf", { score: r.score, total: r.total })),
      el("dt", {}, t("contest.time")),
      el("dd", {}, duration(r.duration_ms)),
      el("dt", {}, entry.tiebreak_question),
      el("dd", {}, r.tiebreak ?? t("contest.noGuess")),
    ),
    r.questions
      ? el(
          "ol",
          { class: "plain-list contest-review" },
          r.questions.map((q) =>
            el(
              "li",
              { class: q.right ? "contest-right" : "contest-wrong" },
              el("strong", {}, byId[q.id].text),
              el("p", { class: "small" }, `${q.right ? "✓ " : "✗ "}${t("contest.rightWas")}: ${q.correct.map((i) => byId[q.id].options[i]).join("; ")}`),
              q.explanation ? el("p", { class: "small muted" }, q.explanation) : null,
            ),
          ),
        )
      : el("p", { class: "small muted" }, t("contest.reviewLater")),
  );
}
