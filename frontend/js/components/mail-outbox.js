// The email outbox as admins follow it (what was sent, what failed and why, "send again"), and
// the test email that checks the mail server. Part of the integrations screen.
import { listOutbox, retryMessage, sendTestEmail } from "../api/mail.js";
import { localDetail } from "../api/client.js";
import { dataTable, labelledCell } from "./data-table.js";
import { listScreen } from "./list-screen.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDateTime, number } from "../lib/format.js";
import { currentQuery } from "../router.js";
import { field, input, messageSlot, reportError, select, showMessage } from "../ui.js";

const PAGE_SIZE = 20;
const STATUSES = ["failed", "queued", "sending", "sent"];
const BADGES = { queued: "badge-pending", sending: "badge-info", sent: "badge-ok", failed: "badge-bad" };

function statusBadge(message) {
  const text = message.gave_up ? t("outbox.gaveUp") : t(`outbox.status.${message.status}`);
  return el("span", { class: `badge ${BADGES[message.status] ?? "badge-off"}` }, text);
}

// org: whose messages (and those of the organisations below); mayRetry: the caller may send
// failed ones again and send the test email (orgs:manage). → { parts, load, stop }.
export function mailOutbox({ org, mayRetry }) {
  const status = messageSlot("status");
  const state = { mail: STATUSES.includes(currentQuery().get("mail")) ? currentQuery().get("mail") : "" };
  const list = listScreen({
    state,
    pageSize: PAGE_SIZE,
    address: (s) => ({ mail: s.mail }),
    fetch: (s, page) => listOutbox({ org_id: org, status: s.mail, ...page }),
    summary: (data) => t("outbox.total", { n: number(data.total) }),
    draw(data) {
      if (!data.items.length) return el("p", { class: "empty" }, state.mail ? t("outbox.noMatch") : t("outbox.empty"));
      const keys = ["outbox.to", "outbox.subject", "outbox.status", "outbox.attempts", "outbox.lastError", "outbox.next", "outbox.created"];
      if (mayRetry) keys.push("outbox.actions");
      return dataTable({ caption: t("outbox.title"), headers: keys.map((k) => t(k)), rows: data.items.map(row), className: "outbox-table" });
    },
  });
  const filter = select(
    { name: "mail" },
    [["", t("outbox.allStatuses")], ...STATUSES.map((code) => [code, t(`outbox.status.${code}`)])],
    state.mail,
  );
  list.watch({ mail: filter });

  function row(message) {
    const cell = (key, ...content) => labelledCell(t(key), ...content);
    let retry = null;
    if (mayRetry && message.status === "failed") {
      retry = el("button", { type: "button", class: "button button-small button-secondary", "aria-label": t("outbox.retryLabel", { to: message.to_address }) }, t("outbox.retry"));
      retry.addEventListener("click", () =>
        busy(retry, async () => {
          try {
            await retryMessage(message.id);
            showMessage(status, t("outbox.retried", { to: message.to_address }));
            await list.load();
          } catch (error) {
            showMessage(list.alert, error.message);
          }
        }),
      );
    }
    return el(
      "tr",
      {},
      el("th", { scope: "row", class: "cell-name" }, message.to_address),
      cell("outbox.subject", message.subject),
      cell("outbox.status", statusBadge(message)),
      cell("outbox.attempts", number(message.attempts)),
      cell("outbox.lastError", message.last_error ? el("span", { class: "small" }, localDetail(message.last_error)) : null),
      // The first attempt is at once: a time only for one tried already.
      cell("outbox.next", message.attempts ? formatDateTime(message.next_attempt_at) : ""),
      cell("outbox.created", formatDateTime(message.created_at), message.sent_at ? [el("br"), el("span", { class: "small muted" }, `${t("outbox.sentAt")} ${formatDateTime(message.sent_at)}`)] : null),
      mayRetry ? cell("outbox.actions", retry) : null,
    );
  }

  const parts = [
    el(
      "section",
      { class: "card", "aria-labelledby": "outbox-title" },
      el("h2", { id: "outbox-title" }, t("outbox.title")),
      el("p", { class: "muted" }, t("outbox.lead")),
      el("div", { class: "filter-grid" }, field({ label: t("outbox.status"), input: filter })),
      status,
      ...list.parts(),
    ),
  ];
  if (mayRetry) parts.push(testForm(org));
  return { parts, load: list.load, stop: list.stop };
}

// "Send a test email" to an address, and what came of it: the server that took it, or why not.
function testForm(org) {
  const to = input({ name: "to", type: "email", maxlength: "254", autocomplete: "email", inputmode: "email" });
  const send = el("button", { type: "submit", class: "button" }, t("outbox.testSend"));
  const alert = messageSlot("error");
  const done = messageSlot("status");
  const form = el("form", { class: "inline-form mail-test", novalidate: true }, field({ label: t("outbox.testTo"), input: to, required: true }), send, alert);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    showMessage(done, "");
    if (!to.value.trim()) {
      reportError(form, alert, { fieldErrors: [{ field: "to", type: "missing", message: "" }] });
      return;
    }
    await busy(send, async () => {
      try {
        const sent = await sendTestEmail({ organization_id: org, to: to.value.trim() });
        showMessage(done, t("outbox.testSent", { to: sent.to, server: sent.server }));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return el("section", { class: "card", "aria-labelledby": "mail-test-title" }, el("h2", { id: "mail-test-title" }, t("outbox.testTitle")), el("p", { class: "muted" }, t("outbox.testLead")), form, done);
}
