// Shared building blocks for screens: form fields, field errors, messages, the page header.
import { el } from "./dom.js";
import { t } from "./i18n/index.js";
import { localDetail } from "./api/client.js";

let uid = 0;
export function nextId(prefix = "f") {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled control with a hint and a slot for its error, tied together for screen readers.
export function field({ label, input, hint, required = false, className = "" }) {
  if (!input.id) input.id = nextId(input.name || "f");
  const errorId = `${input.id}-error`;
  const describedBy = [];
  let hintNode = null;
  if (hint) {
    hintNode = el("p", { class: "hint", id: `${input.id}-hint` }, hint);
    describedBy.push(hintNode.id);
  }
  const readback = dateReadback(input);
  if (readback) describedBy.push(readback.id);
  describedBy.push(errorId);
  input.setAttribute("aria-describedby", describedBy.join(" "));
  if (required) input.required = true;
  return el(
    "div",
    { class: `field ${className}`.trim() },
    el(
      "div",
      { class: "label-row" },
      el("label", { for: input.id }, label),
      required ? el("span", { class: "req", "aria-hidden": "true" }, "*") : null,
    ),
    input,
    readback,
    hintNode,
    el("p", { class: "field-error", id: errorId, hidden: true }),
  );
}

// The browser draws date and time pickers in its own language (often mm/dd/yyyy and AM/PM);
// beneath one, the chosen value is repeated as Vietnamese documents write it.
const PICKED = /^(?:(\d{4})-(\d{2})-(\d{2}))?T?(\d{2}:\d{2})?/;
function dateReadback(input) {
  if (!["date", "datetime-local", "time"].includes(input.type)) return null;
  const node = el("p", { class: "hint date-readback", id: `${input.id}-picked`, "aria-live": "polite" });
  const show = () => {
    const [, year, month, day, time] = PICKED.exec(input.value || "");
    const value = [year ? `${day}/${month}/${year}` : "", time || ""].filter(Boolean).join(" ");
    node.textContent = value ? t("form.picked", { value }) : "";
    node.hidden = !value;
  };
  input.addEventListener("input", show);
  input.addEventListener("change", show);
  show();
  return node;
}

// A link pasted without its scheme ("drive.google.com/…") gets https:// before any form that
// holds it is handled: this listener captures the submit before the form's own listeners.
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
document.addEventListener(
  "submit",
  (event) => {
    for (const link of event.target.querySelectorAll('input[type="url"]')) {
      const value = link.value.trim();
      if (value && !SCHEME.test(value)) link.value = `https://${value}`;
    }
  },
  true,
);

export function input(attrs = {}) {
  return el("input", { type: "text", class: "input", ...attrs });
}

export function select(attrs, options, value) {
  const node = el(
    "select",
    { class: "input", ...attrs },
    options.map(([v, label]) => el("option", { value: v, selected: String(v) === String(value ?? "") }, label)),
  );
  return node;
}

export function button(label, attrs = {}) {
  return el("button", { type: "button", class: "button", ...attrs }, label);
}

// A live region that is announced when filled. kind "error" → role=alert, else role=status.
export function messageSlot(kind = "error") {
  return el("div", { class: `message-slot ${kind}`, role: kind === "error" ? "alert" : "status" });
}

export function showMessage(slot, text, kind) {
  const cls = kind || (slot.getAttribute("role") === "alert" ? "error" : "success");
  slot.replaceChildren(text ? el("p", { class: `notice notice-${cls}` }, text) : "");
}

// "body.email" → "email"; "row 5.email" → "email".
function fieldName(path) {
  return String(path || "")
    .replace(/^body\./, "")
    .replace(/^row \d+\.?/, "")
    .split(".")[0];
}

// A server field error in words a clerk understands, in the current language.
export function fieldMessage(error) {
  const name = fieldName(error.field);
  const message = String(error.message || "").replace(/^Value error, /, "");
  switch (error.type) {
    case "missing":
      return t("field.required");
    case "string_too_short": {
      const n = Number(/at least (\d+)/.exec(message)?.[1] || 1);
      return n <= 1 ? t("field.required") : t("field.minLength", { n });
    }
    case "string_too_long": {
      const n = /at most (\d+)/.exec(message)?.[1];
      return n ? t("field.maxLength", { n }) : message;
    }
    case "unique": {
      const who = /already used by (.+)$/.exec(message)?.[1];
      return who ? t("field.usedBy", { name: who }) : t("field.taken");
    }
    case "wrong_password":
      return t("account.wrongCurrent");
    case "password_mismatch":
      return t("account.mismatch");
    case "string_pattern_mismatch":
      if (message.includes("https?://")) return t("field.url");
      return localDetail(message);
    case "value_error":
      if (name === "email") return t("field.email");
      if (name === "phone") return t("field.phone");
      if (name === "staff_code") return t("field.staffCode");
      return localDetail(message);
    default:
      return localDetail(message);
  }
}

export function clearFieldErrors(form) {
  form.querySelectorAll(".field-error").forEach((node) => {
    node.textContent = "";
    node.hidden = true;
  });
  form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
}

// Put each error next to its control (by name); returns the errors that matched none.
export function applyFieldErrors(form, errors) {
  clearFieldErrors(form);
  const unmatched = [];
  let first = null;
  for (const error of errors) {
    const name = CSS.escape(fieldName(error.field));
    const control = form.querySelector(`[name="${name}"]`);
    const slot =
      form.querySelector(`[data-errors-for="${name}"]`) ||
      (control && form.querySelector(`#${CSS.escape(control.id)}-error`));
    if (!slot) {
      unmatched.push(error);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent} ${fieldMessage(error)}` : fieldMessage(error);
    slot.hidden = false;
    control.setAttribute("aria-invalid", "true");
    first ??= control;
  }
  first?.focus();
  return unmatched;
}

// Report an ApiError from a form: field errors beside fields, the rest in the alert slot.
export function reportError(form, slot, error) {
  const unmatched = form ? applyFieldErrors(form, error.fieldErrors || []) : error.fieldErrors || [];
  const matched = (error.fieldErrors || []).length - unmatched.length;
  let text;
  if (matched > 0) {
    text = t("form.fixFields");
    if (unmatched.length) text += " " + unmatched.map(fieldMessage).join(" ");
  } else if (error.code === "invalid-input" && unmatched.length) {
    text = `${t("problem.invalid-input")}: ${unmatched.map((e) => `${fieldName(e.field)} — ${fieldMessage(e)}`).join("; ")}`;
  } else {
    text = error.message;
  }
  showMessage(slot, text, "error");
}

export function confirmAction(message) {
  return window.confirm(message);
}

export function pageHeader(title, ...actions) {
  return el(
    "div",
    { class: "page-header" },
    el("h1", {}, title),
    actions.length ? el("div", { class: "page-actions" }, ...actions) : null,
  );
}

export function loading() {
  return el("p", { class: "muted" }, t("app.loading"));
}
