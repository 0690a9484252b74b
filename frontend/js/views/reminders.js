// A plan's reminders: when people are reminded (its settings), a ready-to-copy message for
// each unit's chat group, and the log of who was reminded, when, how and whether it is done.
import { getPlan } from "../api/plans.js";
import { getReminderPolicy, saveReminderPolicy, listReminders, groupMessages } from "../api/reminders.js";
import { dateInput, readDate } from "../components/date-field.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { can, orgId } from "../session.js";
import { field, input, messageSlot, showMessage, reportError, clearFieldErrors } from "../ui.js";

const KINDS = ["confirmation", "reflection", "task", "session"];
const NUMBERS = [
  ["escalate_after_reminders", 1, 20],
  ["escalate_after_days", 0, 90],
  ["target_rate", 0, 100],
  ["work_start_hour", 0, 23],
  ["work_end_hour", 1, 24],
];

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const number = (name, value, min, max) => input({ type: "number", name, value: String(value), min: String(min), max: String(max), inputmode: "numeric" });
const check = (name, checked, label) => {
  const box = el("input", { type: "checkbox", name, checked });
  return el("label", { class: "check" }, box, " ", label);
};

function kindFieldset(kind, rule) {
  const at = (name) => `rules.${kind}.${name}`;
  return el(
    "fieldset",
    { class: "reminder-kind" },
    el("legend", {}, t(`reminders.kind.${kind}`)),
    check(at("enabled"), rule.enabled, t("reminders.enabled")),
    el(
      "div",
      { class: "filter-grid" },
      field({ label: t("reminders.daysBefore"), input: number(at("days_before"), rule.days_before, 0, 30) }),
      field({ label: t("reminders.everyDays"), input: number(at("every_days"), rule.every_days, 1, 30) }),
      field({ label: t("reminders.maxAfter"), input: number(at("max_after"), rule.max_after, 0, 20) }),
    ),
    check(at("on_due"), rule.on_due, t("reminders.onDue")),
  );
}

function settingsForm(planId, policy, mayChange) {
  const alert = messageSlot("error");
  const done = messageSlot("status");
  const source = el("p", { class: "hint", "data-testid": "policy-source" }, t(`reminders.source.${policy.source}`));
  const due = dateInput({ name: "confirmation_due_on", value: policy.confirmation_due_on || "" });
  const save = el("button", { type: "submit", class: "button", hidden: !mayChange }, t("reminders.save"));
  const form = el(
    "form",
    { class: "reminder-settings", novalidate: true, "aria-label": t("reminders.settings") },
    source,
    field({ label: t("reminders.confirmationDue"), input: due, hint: t("reminders.confirmationDueHint") }),
    ...KINDS.map((kind) => kindFieldset(kind, policy.rules[kind])),
    el("div", { class: "filter-grid" }, ...NUMBERS.map(([name, min, max]) => field({ label: t(`reminders.${name}`), input: number(name, policy[name], min, max) }))),
    el("p", { class: "hint" }, t("reminders.workingDays")),
    alert,
    done,
    el("div", { class: "actions" }, save),
  );
  form.querySelectorAll("input").forEach((node) => (node.disabled = !mayChange));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    showMessage(alert, "");
    showMessage(done, "");
    const day = readDate(due);
    if (day.error) {
      reportError(form, alert, { fieldErrors: [{ field: "confirmation_due_on", type: "local", message: day.error }] });
      return;
    }
    const value = (name) => form.elements[name];
    const body = { confirmation_due_on: day.value, rules: {} };
    for (const kind of KINDS) {
      const at = (name) => value(`rules.${kind}.${name}`);
      body.rules[kind] = {
        enabled: at("enabled").checked,
        on_due: at("on_due").checked,
        days_before: Number(at("days_before").value),
        every_days: Number(at("every_days").value),
        max_after: Number(at("max_after").value),
      };
    }
    NUMBERS.forEach(([name]) => (body[name] = Number(value(name).value)));
    try {
      const saved = await busy(save, () => saveReminderPolicy(planId, body));
      source.textContent = t(`reminders.source.${saved.source}`);
      showMessage(done, t("reminders.saved"), "status");
    } catch (error) {
      reportError(form, alert, error);
    }
  });
  return form;
}

function messageCard(message) {
  const box = el("textarea", { class: "input group-message", rows: String(Math.min(10, 4 + message.missing.length)), readonly: true, "aria-label": t("reminders.messageFor", { unit: message.unit_name }) });
  box.value = message.text;
  const note = el("p", { class: "small", role: "status" });
  const copy = el("button", { type: "button", class: "button button-secondary" }, t("reminders.copy"));
  copy.addEventListener("click", async () => {
    const ok = await copyText(message.text);
    note.textContent = ok ? t("reminders.copied") : t("reminders.copyManually");
    if (!ok) box.select();
  });
  return el(
    "li",
    { class: "group-message-item" },
    el("h3", {}, message.unit_name, " ", el("span", { class: "muted small" }, t("reminders.missing", { n: message.missing.length }))),
    box,
    el("div", { class: "actions" }, copy),
    note,
  );
}

function logTable(rows) {
  if (!rows.length) return el("p", { class: "empty" }, t("reminders.logEmpty"));
  const done = (value) => (value === null ? "—" : value ? t("reminders.doneYes") : t("reminders.doneNo"));
  // "overdue-2": the stage's words, then which time it was.
  const stage = (value) => {
    const [name, nth] = value.split(/-(?=\d+$)/);
    return nth ? `${tOr(`reminders.stage.${name}`, name)} ${nth}` : tOr(`reminders.stage.${name}`, name);
  };
  // "Trong ứng dụng, Thư điện tử (lỗi: …)": how it went, and what became of its email.
  const channels = (r) => {
    const names = r.channel.split(",").map((c) => tOr(`reminders.channel.${c}`, c));
    if (!r.email_status) return names.join(", ");
    const email = names.pop();
    const state = tOr(`reminders.email.${r.email_status}`, r.email_status);
    const error = r.email_status === "failed" && r.email_error ? `: ${r.email_error}` : "";
    const tone = r.email_status === "failed" ? "email-failed" : "";
    return [names.join(", "), names.length ? ", " : "", el("span", { class: tone }, `${email} (${state}${error})`)];
  };
  const what = (r) => tOr(`reminders.kind.${r.kind}`, r.kind) + (r.item_title && !r.kind.startsWith("digest") ? ` — ${r.item_title}` : "");
  const head = ["when", "who", "what", "stage", "channel", "done"].map((c) => el("th", { scope: "col" }, t(`reminders.col.${c}`)));
  const body = rows.map((r) =>
    el(
      "tr",
      {},
      el("td", {}, formatDateTime(r.created_at)),
      el("td", {}, r.recipient_name),
      el("td", {}, what(r)),
      el("td", {}, stage(r.stage)),
      el("td", {}, channels(r)),
      el("td", {}, done(r.done)),
    ),
  );
  return el("div", { class: "table-scroll" }, el("table", { class: "data-table reminder-log" }, el("thead", {}, el("tr", {}, ...head)), el("tbody", {}, ...body)));
}

export async function render(outlet, { id }) {
  const alert = messageSlot("error");
  const heading = el("h1", {}, t("reminders.title"));
  const planLine = el("p", { class: "muted" });
  const settings = el("section", { class: "card", "aria-labelledby": "reminder-settings-title" }, el("h2", { id: "reminder-settings-title" }, t("reminders.settings")));
  const messages = el("section", { class: "card" }, el("h2", {}, t("reminders.groupMessages")), el("p", { class: "hint" }, t("reminders.groupMessagesHint")));
  const log = el("section", { class: "card" }, el("h2", {}, t("reminders.log")));
  outlet.replaceChildren(
    el("section", { class: "card" }, el("p", { class: "back" }, el("a", { href: `#/plans/${id}` }, `← ${t("pending.backToPlan")}`)), heading, planLine, alert),
    settings,
    messages,
    log,
  );
  try {
    const [plan, policy, units, entries] = await Promise.all([getPlan(id), getReminderPolicy(id), groupMessages(id), listReminders(id, { limit: 100 })]);
    planLine.textContent = [plan.symbol, plan.title].filter(Boolean).join(" — ");
    const mayChange = can("orgs:manage") && orgId() !== null;
    settings.append(settingsForm(id, policy, mayChange));
    messages.append(units.length ? el("ul", { class: "item-list group-messages" }, ...units.map(messageCard)) : el("p", { class: "empty" }, t("reminders.noUnits")));
    if (policy.confirmation_due_on) messages.append(el("p", { class: "small muted" }, t("reminders.deadline", { date: formatDate(policy.confirmation_due_on) })));
    log.append(el("p", { class: "small muted" }, t("reminders.logTotal", { n: entries.total })), logTable(entries.items));
  } catch (error) {
    showMessage(alert, error.message, "error");
  }
}
