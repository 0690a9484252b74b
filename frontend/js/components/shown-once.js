// A secret the server shows this once (an API token, a webhook's signing secret): in a
// warning card, selected, with a copy button, until the admin says it is kept.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { messageSlot, nextId, showMessage } from "../ui.js";

// title, warning, label (of the value's box), value, help (how to use it), doneLabel;
// onDone() when the admin says it is kept (the caller removes the card).
export function shownOnce({ title, warning, label, value: secret, help, doneLabel, onDone }) {
  const titleId = nextId("once-title");
  const value = el("input", { class: "input mono token-value", readonly: true, value: secret, id: nextId("once-value") });
  const copy = el("button", { type: "button", class: "button" }, t("copy.button"));
  const copied = messageSlot("status");
  copy.addEventListener("click", async () => {
    value.select();
    try {
      await navigator.clipboard.writeText(secret);
      showMessage(copied, t("copy.done"));
    } catch {
      showMessage(copied, t("copy.manually"));
    }
  });
  const done = el("button", { type: "button", class: "button button-secondary" }, doneLabel);
  done.addEventListener("click", onDone);
  const card = el(
    "section",
    { class: "card card-warning", "aria-labelledby": titleId },
    el("h2", { id: titleId }, title),
    el("p", { class: "warning", role: "alert" }, warning),
    el("label", { for: value.id }, label),
    el("div", { class: "copy-row" }, value, copy),
    copied,
    el("p", { class: "small muted" }, help),
    done,
  );
  // Selected once drawn, so Ctrl+C copies it at once.
  queueMicrotask(() => {
    value.focus();
    value.select();
  });
  return card;
}
