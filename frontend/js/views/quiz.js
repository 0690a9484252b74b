// A plan's quiz, on her phone: by her personal link (#/l/…/quiz/:id) or signed in
// (#/me/quiz/:id). What it asks and where she stands; the attempt as one scrollable list of
// questions under a sticky bar (time left, saving); after submitting, her score and, question
// by question, the right options and the explanation. An attempt still running resumes.
import { quizStanding, readAttempt, saveAnswers, startAttempt, submitAttempt } from "../api/quiz.js";
import { answerKeeper, forgetAnswers } from "../components/quiz-answers.js";
import { quizClock } from "../components/quiz-clock.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { loading, messageSlot, showMessage } from "../ui.js";

const planName = (s) => [s.plan_symbol, s.plan_title].filter(Boolean).join(" · ");

function focusOn(node) {
  node.setAttribute("tabindex", "-1");
  node.focus({ preventScroll: true });
  node.scrollIntoView({ block: "start" });
}

// replaceChildren writes null as text: parts left out are dropped first.
function fill(node, ...parts) {
  node.replaceChildren(...parts.filter(Boolean));
}

function fact(label, value) {
  return [el("dt", {}, label), el("dd", {}, value)];
}

export async function render(outlet, { token, id }) {
  const planId = Number(id);
  const home = token ? `#/l/${encodeURIComponent(token)}` : "#/me";
  const back = el("p", { class: "back" }, el("a", { href: home }, `← ${t("quiz.back")}`));
  const page = el("section", { class: "card quiz-page" });
  outlet.replaceChildren(el("div", { class: "quiz-wrap" }, back, page));
  page.replaceChildren(loading());
  let stopAttempt = () => {};

  async function standingOr(error) {
    try {
      return await quizStanding(token, planId);
    } catch (failure) {
      error(failure);
      return null;
    }
  }

  function failed(error) {
    fill(page, el("h1", {}, t("quiz.title")), el("p", { class: "notice notice-error", role: "alert" }, error.message));
  }

  // What the quiz asks and where she stands, with the way in.
  function intro(standing) {
    document.title = `${t("quiz.title")} — Lan Tỏa`;
    const alert = messageSlot("error");
    const heading = el("h1", {}, t("quiz.title"));
    const left = standing.attempts_allowed - standing.attempts_used;
    const actions = el("div", { class: "actions" });
    if (standing.can_start) {
      const start = el("button", { type: "button", class: "button button-big button-wide" }, t("quiz.start"));
      start.addEventListener("click", async () => {
        showMessage(alert, "");
        try {
          const { data, offset } = await busy(start, () => startAttempt(token, planId));
          take(data, offset, false);
        } catch (error) {
          showMessage(alert, error.message);
        }
      });
      actions.append(start);
    }
    if (standing.last_attempt_id) {
      const last = el("button", { type: "button", class: "button button-secondary button-wide" }, t("quiz.lastResult"));
      last.addEventListener("click", async () => {
        try {
          const { data } = await busy(last, () => readAttempt(token, standing.last_attempt_id));
          result(data, standing);
        } catch (error) {
          showMessage(alert, error.message);
        }
      });
      actions.append(last);
    }
    let why = null;
    if (!standing.can_start) {
      if (standing.closed) why = t("quiz.closedNote");
      else if (!standing.question_count) why = t("quiz.emptyBank");
      else if (left <= 0) why = t("quiz.noneLeft");
    }
    fill(
      page,
      heading,
      el("p", { class: "quiz-plan muted" }, planName(standing)),
      standing.passed ? el("p", {}, el("span", { class: "badge badge-ok" }, `✓ ${t("quiz.entryPassed", { percent: standing.best_percent })}`)) : null,
      standing.required && !standing.passed ? el("p", { class: "quiz-required" }, el("span", { class: "badge badge-bad" }, t("quiz.required")), " ", t("quiz.requiredNote")) : null,
      el(
        "dl",
        { class: "facts quiz-facts", "aria-label": t("quiz.facts") },
        fact(t("quiz.questions"), String(standing.question_count)),
        fact(t("quiz.timeLimit"), t("quiz.minutes", { n: standing.time_limit_minutes })),
        fact(t("quiz.attempts"), t("quiz.attemptsUsed", { used: standing.attempts_used, allowed: standing.attempts_allowed })),
        fact(t("quiz.passMark"), t("quiz.percent", { n: standing.pass_percent })),
        standing.best_percent !== null ? fact(t("quiz.best"), t("quiz.percent", { n: standing.best_percent })) : null,
      ),
      why ? el("p", { class: "notice quiz-note" }, why) : standing.can_start ? el("p", { class: "hint" }, t("quiz.howItWorks")) : null,
      alert,
      actions,
    );
    return heading;
  }

  // One question: a fieldset whose legend is the question, a radio or checkbox per option.
  function questionBlock(question, index, keeper, onChange) {
    const name = `q-${question.id}`;
    const hintId = `${name}-hint`;
    const chosen = new Set(keeper.answers[String(question.id)] || []);
    const type = question.kind === "multiple" ? "checkbox" : "radio";
    const box = el(
      "fieldset",
      { class: "quiz-question", id: `question-${question.id}`, "aria-describedby": hintId },
      el("legend", {}, el("span", { class: "quiz-number" }, t("quiz.questionN", { n: index + 1 })), " ", question.text),
      el("p", { class: "hint", id: hintId }, question.kind === "multiple" ? t("quiz.multiple") : t("quiz.single")),
      question.options.map((option, i) =>
        el(
          "label",
          { class: "quiz-option" },
          el("input", { type, name, value: String(i), checked: chosen.has(i) }),
          el("span", {}, option),
        ),
      ),
    );
    box.addEventListener("change", () => {
      const picked = [...box.querySelectorAll("input:checked")].map((input) => Number(input.value));
      keeper.choose(question.id, picked);
      onChange();
    });
    return box;
  }

  // The attempt, running: the questions, her saved answers in place, the clock and the submit.
  function take(attempt, offset, resumed) {
    if (attempt.status !== "running") {
      forgetAnswers(attempt.id);
      return showResult(attempt);
    }
    document.title = `${t("quiz.title")} — Lan Tỏa`;
    const total = attempt.questions.length;
    const saveState = el("span", { class: "quiz-save", role: "status" });
    const retry = el("button", { type: "button", class: "link-button quiz-retry", hidden: true }, t("quiz.retryNow"));
    const counter = el("span", { class: "quiz-count" });
    const retryNote = el("p", { class: "quiz-retry-note small", hidden: true }, t("quiz.retrying"));
    const alert = messageSlot("error");
    let finishing = false;

    const states = { saving: t("quiz.saving"), saved: `✓ ${t("quiz.saved")}`, unsaved: t("quiz.unsaved"), retrying: `⚠ ${t("quiz.unsaved")}` };
    const keeper = answerKeeper(attempt, {
      save: (answers) => saveAnswers(token, attempt.id, answers),
      onState(state) {
        saveState.textContent = states[state];
        saveState.dataset.state = state;
        retry.hidden = state !== "retrying";
        retryNote.hidden = state !== "retrying";
      },
      // The server closed the attempt (its time ran out): read it to show the result.
      onClosed: () => finish(t("quiz.timeUp")),
    });
    retry.addEventListener("click", () => keeper.flush());
    saveState.textContent = states.saved;

    const answeredCount = () => attempt.questions.filter((q) => (keeper.answers[String(q.id)] || []).length).length;
    const count = () => {
      counter.textContent = t("quiz.answered", { n: answeredCount(), total });
    };
    count();

    const clock = quizClock({ deadline: attempt.deadline_at, offset, onEnd: () => finish(t("quiz.timeUp")) });

    // Submit, with her answers along; tried again by her if the network fails.
    async function finish(note = "", button = null) {
      if (finishing) return;
      finishing = true;
      await keeper.stop();
      showMessage(alert, t("quiz.submitting"), "info");
      try {
        const done = await busy(button, () => submitAttempt(token, attempt.id, keeper.all()));
        clock.stop();
        keeper.close();
        forgetAnswers(attempt.id);
        stopAttempt = () => {};
        await showResult(done, note);
      } catch (error) {
        finishing = false;
        keeper.resume();
        showMessage(alert, error.status === 0 ? t("quiz.submitFailed") : error.message);
        confirmBox.hidden = true;
        submit.hidden = false;
        submit.focus();
      }
    }

    const confirmBox = el("div", { class: "quiz-confirm", hidden: true, role: "group", "aria-labelledby": "quiz-confirm-title" });
    const submit = el("button", { type: "button", class: "button button-big button-wide" }, t("quiz.submit"));
    submit.addEventListener("click", () => {
      const n = answeredCount();
      const yes = el("button", { type: "button", class: "button button-wide" }, t("quiz.confirmSubmit"));
      const no = el("button", { type: "button", class: "button button-secondary button-wide" }, t("quiz.keepGoing"));
      const title = el("h2", { id: "quiz-confirm-title", tabindex: "-1" }, t("quiz.confirmTitle"));
      fill(
        confirmBox,
        title,
        el("p", {}, t("quiz.confirmText", { n, total })),
        n < total ? el("p", { class: "quiz-unanswered" }, t("quiz.confirmUnanswered", { n: total - n })) : null,
        el("div", { class: "actions" }, yes, no),
      );
      confirmBox.hidden = false;
      submit.hidden = true;
      title.focus();
      yes.addEventListener("click", () => finish("", yes));
      no.addEventListener("click", () => {
        confirmBox.hidden = true;
        submit.hidden = false;
        submit.focus();
      });
    });

    const heading = el("h1", { class: "quiz-heading" }, t("quiz.title"));
    const questions = attempt.questions.map((q, i) => questionBlock(q, i, keeper, count));
    fill(
      page,
      heading,
      el("p", { class: "quiz-plan muted" }, t("quiz.attemptN", { n: attempt.number, allowed: attempt.attempts_allowed })),
      resumed ? el("p", { class: "notice quiz-note", role: "status" }, t("quiz.resumed")) : null,
      el("div", { class: "quiz-bar" }, clock.node, el("p", { class: "quiz-bar-line" }, counter, " · ", saveState, " ", retry), retryNote),
      el("form", { class: "quiz-form", novalidate: true, onsubmit: (event) => event.preventDefault() }, questions),
      alert,
      submit,
      confirmBox,
    );
    // Leaving the page: what waits is sent once; the phone keeps it anyway for her return.
    stopAttempt = () => {
      clock.stop();
      keeper.flush().finally(() => keeper.close());
    };
    // Resumed: back where she stopped, at the first question she has not answered.
    const next = resumed && questions.find((box) => !box.querySelector("input:checked"));
    focusOn(heading);
    if (next && next !== questions[0]) next.scrollIntoView({ block: "center" });
  }

  // Her score, then question by question what she chose, the right options, the explanation.
  async function showResult(attempt, note = "") {
    const standing = await standingOr(() => {});
    result(attempt, standing, note);
  }

  function result(attempt, standing, note = "") {
    document.title = `${t("quiz.result")} — ${t("quiz.title")} — Lan Tỏa`;
    const r = attempt.result;
    const byId = new Map(r.questions.map((q) => [q.id, q]));
    const heading = el("h1", {}, t("quiz.result"));
    const left = standing ? standing.attempts_allowed - standing.attempts_used : 0;
    let again = null;
    if (standing?.can_start) {
      again = el("button", { type: "button", class: "button button-secondary button-wide" }, t("quiz.again", { n: left }));
      again.addEventListener("click", () => focusOn(intro(standing)));
    }
    fill(
      page,
      heading,
      standing ? el("p", { class: "quiz-plan muted" }, planName(standing)) : null,
      note ? el("p", { class: "notice quiz-note", role: "status" }, note) : null,
      el(
        "div",
        { class: `quiz-score ${r.passed ? "quiz-score-passed" : "quiz-score-failed"}` },
        el("p", { class: "quiz-score-line" }, t("quiz.score", { score: r.score, total: r.total, percent: r.percent })),
        el("p", {}, el("span", { class: r.passed ? "badge badge-ok" : "badge badge-bad" }, r.passed ? `✓ ${t("quiz.passed")}` : t("quiz.notPassed")), " ", standing ? t("quiz.passLine", { percent: standing.pass_percent }) : ""),
      ),
      again ? el("div", { class: "actions" }, again) : null,
      el("h2", {}, t("quiz.review")),
      el(
        "ol",
        { class: "quiz-review" },
        attempt.questions.map((q) => {
          const mark = byId.get(q.id);
          const chosen = new Set(mark?.chosen || []);
          const correct = new Set(mark?.correct || []);
          return el(
            "li",
            { class: "quiz-review-item" },
            el("p", { class: "quiz-review-q" }, el("span", { class: mark?.right ? "badge badge-ok" : "badge badge-bad" }, mark?.right ? `✓ ${t("quiz.right")}` : `✗ ${t("quiz.wrong")}`), " ", q.text),
            el(
              "ul",
              { class: "quiz-review-options" },
              q.options.map((option, i) =>
                el(
                  "li",
                  { class: [correct.has(i) ? "is-correct" : "", chosen.has(i) ? "is-chosen" : ""].join(" ").trim() || null },
                  el("span", { class: "quiz-mark", "aria-hidden": "true" }, correct.has(i) ? "✓" : chosen.has(i) ? "✗" : "•"),
                  el(
                    "span",
                    {},
                    option,
                    correct.has(i) ? el("span", { class: "quiz-tag" }, t("quiz.rightOption")) : null,
                    chosen.has(i) ? el("span", { class: "quiz-tag" }, t("quiz.yourChoice")) : null,
                  ),
                ),
              ),
            ),
            chosen.size ? null : el("p", { class: "small muted" }, t("quiz.noAnswer")),
            mark?.explanation ? el("p", { class: "quiz-explanation" }, el("strong", {}, t("quiz.explanation")), " ", mark.explanation) : null,
          );
        }),
      ),
      el("p", {}, el("a", { class: "button button-secondary button-wide", href: home }, t("quiz.back"))),
    );
    focusOn(heading);
  }

  const standing = await standingOr(failed);
  if (!standing) return;
  if (standing.running_attempt_id) {
    try {
      const { data, offset } = await readAttempt(token, standing.running_attempt_id);
      take(data, offset, true);
    } catch (error) {
      failed(error);
    }
  } else {
    intro(standing);
  }
  return () => stopAttempt();
}
