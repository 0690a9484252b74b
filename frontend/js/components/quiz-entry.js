// On her plan cards, each plan's quiz: where she stands and the way to it. Her standings come
// in one request after the page has drawn, so her page never waits for them; a card drawn
// again later (after she confirms) takes its entry from what came.
import { quizStandings } from "../api/quiz.js";
import { el } from "../dom.js";
import { t, useStrings } from "../i18n/index.js";

function stateLine(s) {
  if (s.passed) return el("span", { class: "badge badge-ok" }, `✓ ${t("quiz.entryPassed", { percent: s.best_percent })}`);
  if (s.running_attempt_id) return el("span", { class: "badge badge-warn" }, t("quiz.entryRunning"));
  if (s.closed) return el("span", { class: "badge badge-off" }, t("quiz.entryClosed"));
  const left = s.attempts_allowed - s.attempts_used;
  if (left <= 0) return el("span", { class: "badge badge-off" }, t("quiz.entryNoneLeft"));
  if (s.best_percent !== null) return el("span", {}, t("quiz.entryBest", { percent: s.best_percent, left, allowed: s.attempts_allowed }));
  return el("span", {}, t("quiz.entryLeft", { left, allowed: s.attempts_allowed }));
}

function actionLabel(s) {
  if (s.running_attempt_id) return t("quiz.resume");
  return s.can_start && !s.passed ? t("quiz.take") : t("quiz.see");
}

// `token`: her personal link's, or null signed in. → { entry(plan), load(container) }.
export function quizEntries(token) {
  const standings = new Map();
  const href = (planId) => (token ? `#/l/${encodeURIComponent(token)}/quiz/${planId}` : `#/me/quiz/${planId}`);

  function entry(plan) {
    const s = standings.get(plan.id);
    if (!s) return null;
    const primary = s.running_attempt_id || (s.can_start && !s.passed);
    return el(
      "div",
      { class: "quiz-entry" },
      el("p", { class: "quiz-entry-state" }, stateLine(s), s.required && !s.passed ? el("span", { class: "badge badge-bad" }, t("quiz.required")) : null),
      el("a", { class: primary ? "button button-wide" : "button button-secondary button-wide", href: href(plan.id) }, actionLabel(s)),
    );
  }

  async function load(container) {
    let found;
    try {
      found = await quizStandings(token);
      // The quiz's strings only for a page that shows one.
      if (found.length) await useStrings(["quiz"]);
    } catch {
      return; // No quiz entry this time: the rest of her page is what matters offline.
    }
    found.forEach((s) => standings.set(s.plan_id, s));
    container.querySelectorAll(".quiz-slot").forEach((slot) => slot.replaceChildren(entry({ id: Number(slot.dataset.plan) }) || ""));
  }

  return { entry, load };
}
