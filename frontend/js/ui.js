// Shared building blocks for screens: form fields, field errors, messages, the page header.
import { el } from "./dom.js";
import { t, tOr } from "./i18n/index.js";
import { localDetail } from "./api/client.js";

let uid = 0;
export function nextId(prefix = "f") {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled control with a hint and a slot for its error, tied together for screen readers.
// `errorsFor`: other names the server may give the value (space-separated), so its errors land here.
export function field({ label, input, hint, required = false, className = "", errorsFor = null }) {
  if (!input.id) input.id = nextId(input.name || "f");
  const errorId = `${input.id}-error`;
  const describedBy = [];
  let hintNode = null;
  if (hint) {
    hintNode = el("p", { class: "hint", id: `${input.id}-hint` }, hint);
    describedBy.push(hintNode.id);
  }
  const extra = readbacks.get(input);
  const readback = extra ? readbackNode(input, extra.read) : dateReadback(input);
  if (readback) describedBy.push(readback.id);
  describedBy.push(errorId);
  input.setAttribute("aria-describedby", describedBy.join(" "));
  if (required) {
    input.required = true;
    input.setAttribute("aria-required", "true");
  }
  return el(
    "div",
    { class: `field ${className}`.trim() },
    el(
      "div",
      { class: "label-row" },
      el("label", { for: input.id }, label),
      required ? el("span", { class: "req", "aria-hidden": "true" }, "*") : null,
    ),
    extra?.beside ? el("div", { class: "input-row" }, input, extra.beside) : input,
    readback,
    hintNode,
    el("p", { class: "field-error", id: errorId, "data-errors-for": errorsFor, hidden: true }),
  );
}

// Controls that say beneath them what they understood (a number, a day): read() → null or
// { text, warning }, asked on every change; `beside`, a node drawn next to the control.
const readbacks = new WeakMap();
export function withReadback(control, read, beside = null) {
  readbacks.set(control, { read, beside });
}

function readbackNode(control, read) {
  const node = el("p", { class: "hint readback", id: `${control.id}-readback`, "aria-live": "polite" });
  const show = () => {
    const said = read();
    node.textContent = said?.text || "";
    node.hidden = !said;
    node.classList.toggle("readback-warning", Boolean(said?.warning));
  };
  control.addEventListener("input", show);
  control.addEventListener("change", show);
  show();
  return node;
}

// The browser draws time pickers in its own language (often with AM/PM); beneath one, the
// chosen value is repeated as Vietnamese documents write it.
const PICKED = /^(?:(\d{4})-(\d{2})-(\d{2}))?T?(\d{2}:\d{2})?/;
function dateReadback(input) {
  if (!["date", "datetime-local", "time"].includes(input.type)) return null;
  return readbackNode(input, () => {
    const [, year, month, day, time] = PICKED.exec(input.value || "");
    const value = [year ? `${day}/${month}/${year}` : "", time || ""].filter(Boolean).join(" ");
    return value ? { text: t("form.picked", { value }) } : null;
  });
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

// "body.email" → "email"; "row 5.email" → "email"; "body.x.y" → "x.y".
function fieldPath(path) {
  return String(path || "")
    .replace(/^(?:body|query|path)\./, "")
    .replace(/^row \d+\.?/, "");
}

function fieldName(path) {
  return fieldPath(path).split(".")[0];
}

// A server field error in words a clerk understands, in the current language. `reason`: the
// problem's own sentence, for an error whose message is meant for programmers.
export function fieldMessage(error, reason = "") {
  const name = fieldName(error.field);
  const message = String(error.message || "").replace(/^Value error, /, "");
  const own = message.includes(" / ") ? localDetail(message) : reason || message;
  switch (error.type) {
    case "local": // found by the screen, already in words
      return message;
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
    case "greater_than_equal":
    case "less_than_equal": {
      const n = /equal to (-?[\d.]+)/.exec(message)?.[1];
      return n === undefined ? own : t(error.type === "greater_than_equal" ? "number.min" : "number.max", { min: n, max: n });
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
      return own;
    case "value_error":
      if (name === "email") return t("field.email");
      if (name === "phone") return t("field.phone");
      if (name === "staff_code") return t("field.staffCode");
      return own;
    default:
      return own;
  }
}

// A stale error goes as soon as its control is changed: the message was about the old value.
function clearOnEdit(event) {
  for (let box = event.target.closest(".field"); box && this.contains(box); box = box.parentElement.closest(".field")) {
    box.querySelectorAll(":scope > .field-error").forEach((node) => {
      node.textContent = "";
      node.hidden = true;
    });
  }
  event.target.removeAttribute("aria-invalid");
}

export function clearFieldErrors(form) {
  form.querySelectorAll(".field-error").forEach((node) => {
    node.textContent = "";
    node.hidden = true;
  });
  form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
}

// The error slot and control for a server path: a form's own `fields` map first ({ "x.y" or
// "x": control name }), then a slot that lists the name (data-errors-for), then the control.
function errorTarget(form, path, fields) {
  const full = fieldPath(path);
  for (const key of [full, fieldName(path)]) {
    const name = CSS.escape(fields[key] || key);
    const control = form.querySelector(`[name="${name}"]`);
    const slot =
      form.querySelector(`[data-errors-for~="${name}"]`) ||
      (control?.id ? form.querySelector(`#${CSS.escape(control.id)}-error`) : null);
    if (!slot) continue;
    // A control hidden for now (the person picker while a unit is chosen) cannot take focus.
    const box = slot.closest(".field");
    const shown = [control, ...(box ? [...box.querySelectorAll("select, textarea"), ...box.querySelectorAll("input")] : [])];
    return { slot, control: shown.find((node) => node && !node.closest("[hidden]")) || null };
  }
  return null;
}

// Put each error next to its control (by name, or the form's `fields` map); returns the errors
// that matched none.
export function applyFieldErrors(form, errors, { fields = {}, reason = "" } = {}) {
  clearFieldErrors(form);
  if (!form.dataset.clearsErrors) {
    form.dataset.clearsErrors = "true";
    form.addEventListener("input", clearOnEdit);
    form.addEventListener("change", clearOnEdit);
  }
  const unmatched = [];
  let first = null;
  for (const error of errors) {
    const target = errorTarget(form, error.field, fields);
    if (!target) {
      unmatched.push(error);
      continue;
    }
    const { slot, control } = target;
    const text = fieldMessage(error, reason);
    if (!slot.textContent.includes(text)) slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
    slot.hidden = false;
    // Said once: the live warning beneath the control gives way to the same words as an error.
    slot.parentElement.querySelectorAll(".readback-warning").forEach((node) => (node.hidden = node.textContent === text || node.hidden));
    control?.setAttribute("aria-invalid", "true");
    first ??= control;
  }
  first?.focus();
  return unmatched;
}

// Report an ApiError (or { fieldErrors, message } found before sending) from a form: field
// errors beside their fields, the rest in the alert slot with the server's own reason.
// fields: the form's map of server names to its controls' names, where they differ.
export function reportError(form, slot, error, { fields = {} } = {}) {
  const errors = error.fieldErrors || [];
  const detail = error.problem?.detail || "";
  const reason = detail.includes(" / ") ? localDetail(detail) : "";
  const unmatched = form ? applyFieldErrors(form, errors, { fields, reason }) : errors;
  const matched = errors.length - unmatched.length;
  let text;
  if (matched > 0) {
    const rest = unmatched.map((e) => fieldMessage(e, reason)).filter((m) => m !== reason);
    text = [t("form.fixFields"), ...new Set(rest)].join(" ");
  } else if (unmatched.length) {
    const head = reason || (error.code ? tOr(`problem.${error.code}`, error.message) : "");
    const named = unmatched.map((e) => fieldMessage(e, reason)).filter((m) => m !== reason);
    const list = unmatched.length === named.length ? unmatched.map((e, i) => `${fieldName(e.field)} — ${named[i]}`) : named;
    text = [head, [...new Set(list)].join("; ")].filter(Boolean).join(": ");
  } else {
    text = error.message;
  }
  showMessage(slot, text, "error");
}

// Errors found before sending ({ name: message or null }), shown as the server's would be;
// true when there was one.
export function refuseLocally(form, slot, found) {
  const fieldErrors = Object.entries(found)
    .filter(([, message]) => message)
    .map(([name, message]) => ({ field: name, type: "local", message }));
  if (fieldErrors.length) reportError(form, slot, { fieldErrors });
  return fieldErrors.length > 0;
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
