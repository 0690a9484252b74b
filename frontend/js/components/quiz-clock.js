// The attempt's countdown. The server is the clock: the time left is its deadline less the
// server's now (ours plus the offset its answer's Date header gave). The digits change every
// second for the eye; a polite live region says the time left only now and then (at the start,
// every five minutes, and at two minutes, one minute and thirty seconds).
import { el } from "../dom.js";
import { t } from "../i18n/index.js";

const SAY_AT_SECONDS = [120, 60, 30];

const pad = (n) => String(n).padStart(2, "0");

function spoken(seconds) {
  const minutes = Math.ceil(seconds / 60);
  return seconds >= 60 ? t("quiz.minutesLeft", { n: minutes }) : t("quiz.secondsLeft", { n: Math.max(0, seconds) });
}

// → { node, stop() }; onEnd() runs once, when the time is up.
export function quizClock({ deadline, offset, onEnd }) {
  const end = new Date(deadline).getTime();
  const digits = el("span", { class: "quiz-clock-digits", role: "timer", "aria-label": t("quiz.timeLeft") });
  const said = el("span", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
  const node = el("p", { class: "quiz-clock" }, el("span", { class: "quiz-clock-label" }, t("quiz.timeLeft")), " ", digits, said);
  let last = null;
  let first = true;
  let ended = false;

  function tick() {
    const left = Math.max(0, Math.round((end - (Date.now() + offset)) / 1000));
    digits.textContent = `${pad(Math.floor(left / 60))}:${pad(left % 60)}`;
    node.classList.toggle("quiz-clock-low", left <= 60);
    const mark = left > 150 ? Math.ceil(left / 300) : SAY_AT_SECONDS.find((s) => left <= s && left > s - 30) ?? last;
    if (first || mark !== last) {
      said.textContent = t("quiz.timeLeftSay", { time: spoken(left) });
      last = mark;
      first = false;
    }
    if (left <= 0 && !ended) {
      ended = true;
      clearInterval(timer);
      setTimeout(onEnd); // after the clock is in place, even when the time was up at the start
    }
  }
  const timer = setInterval(tick, 1000);
  tick();
  return { node, stop: () => clearInterval(timer) };
}
