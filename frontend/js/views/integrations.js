// Integrations (an organisation's admins): the webhooks that tell other software what happens
// here (register, the secret shown once, test, pause, rotate, delete), and the email outbox.
import { listWebhooks, updateWebhook, deleteWebhook, rotateSecret, testWebhook } from "../api/webhooks.js";
import { localDetail } from "../api/client.js";
import { mailOutbox } from "../components/mail-outbox.js";
import { shownOnce } from "../components/shown-once.js";
import { webhookForm } from "../components/webhook-form.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatDateTime, number } from "../lib/format.js";
import { orgId, can } from "../session.js";
import { messageSlot, showMessage, confirmAction, pageHeader, loading } from "../ui.js";

const eventLabel = (code) => tOr(`webhooks.event.${code}`, code);

// What the receiver answered to the test, in one sentence.
function testAnswer(result) {
  const error = localDetail(result.error || "");
  if (result.delivered) return [t("webhooks.testOk", { code: result.status_code, ms: number(result.duration_ms) }), "success"];
  if (result.status_code) return [t("webhooks.testFailedCode", { code: result.status_code, ms: number(result.duration_ms), error }).trim(), "error"];
  return [t("webhooks.testFailed", { error }), "error"];
}

export async function render(outlet) {
  const org = orgId();
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const list = el("div", {}, loading());
  const shown = el("div");
  const stops = [];

  function showSecret(endpoint) {
    shown.replaceChildren(
      shownOnce({
        title: t("webhooks.onceTitle", { url: endpoint.url }),
        warning: t("webhooks.onceWarning"),
        label: t("webhooks.secret"),
        value: endpoint.secret,
        help: t("webhooks.secretHelp"),
        doneLabel: t("webhooks.secretStored"),
        onDone: () => shown.replaceChildren(),
      }),
    );
    shown.scrollIntoView({ block: "nearest" });
  }

  // A button whose action reports in `slot`; `label` names the endpoint for screen readers.
  function action(text, endpoint, run, { kind = "button-secondary", slot = status } = {}) {
    const button = el(
      "button",
      { type: "button", class: `button button-small ${kind}`, "aria-label": t("webhooks.actionsFor", { action: text, url: endpoint.url }) },
      text,
    );
    button.addEventListener("click", () =>
      busy(button, async () => {
        showMessage(alert, "");
        try {
          await run(button);
        } catch (error) {
          showMessage(slot === status ? alert : slot, error.message, "error");
        }
      }),
    );
    return button;
  }

  function item(endpoint) {
    const answer = messageSlot("status");
    const test = action(
      t("webhooks.test"),
      endpoint,
      async () => {
        showMessage(answer, "");
        const [text, kind] = testAnswer(await testWebhook(endpoint.id));
        showMessage(answer, text, kind);
      },
      { kind: "", slot: answer },
    );
    const toggle = action(endpoint.active ? t("webhooks.pause") : t("webhooks.resume"), endpoint, async () => {
      await updateWebhook(endpoint.id, { active: !endpoint.active });
      showMessage(status, t(endpoint.active ? "webhooks.paused.done" : "webhooks.resumed.done", { url: endpoint.url }));
      await load();
    });
    const rotate = action(t("webhooks.rotate"), endpoint, async () => {
      if (!confirmAction(t("webhooks.confirmRotate", { url: endpoint.url }))) return;
      showSecret(await rotateSecret(endpoint.id));
      await load();
    });
    const remove = action(
      t("webhooks.delete"),
      endpoint,
      async () => {
        if (!confirmAction(t("webhooks.confirmDelete", { url: endpoint.url }))) return;
        await deleteWebhook(endpoint.id);
        showMessage(status, t("webhooks.deleted", { url: endpoint.url }));
        await load();
      },
      { kind: "button-danger" },
    );
    const state = endpoint.active ? ["badge badge-ok", t("webhooks.active")] : ["badge badge-off", t("webhooks.paused")];
    return el(
      "li",
      { class: `webhook${endpoint.active ? "" : " row-inactive"}`, "data-testid": "webhook" },
      el("div", { class: "webhook-head" }, el("span", { class: "list-title mono webhook-url" }, endpoint.url), el("span", { class: state[0] }, state[1])),
      endpoint.description ? el("p", { class: "webhook-note" }, endpoint.description) : null,
      el("ul", { class: "tags", "aria-label": t("webhooks.events") }, endpoint.events.map((code) => el("li", { class: "tag" }, eventLabel(code)))),
      el(
        "p",
        { class: "small muted" },
        t("webhooks.createdOn", { when: formatDate(endpoint.created_at) }),
        endpoint.progress_thresholds.length ? ` · ${t("webhooks.thresholdsList", { list: endpoint.progress_thresholds.map((n) => `${n}%`).join("; ") })}` : "",
      ),
      endpoint.previous_secret_until && new Date(endpoint.previous_secret_until) > new Date()
        ? el("p", { class: "small muted" }, t("webhooks.previousUntil", { when: formatDateTime(endpoint.previous_secret_until) }))
        : null,
      el(
        "div",
        { class: "list-actions" },
        test,
        el("a", { class: "button button-small button-secondary", href: `#/integrations/webhooks/${endpoint.id}` }, t("webhooks.log")),
        toggle,
        rotate,
        remove,
      ),
      answer,
    );
  }

  async function load() {
    try {
      const endpoints = await listWebhooks(org);
      list.replaceChildren(
        endpoints.length ? el("ul", { class: "item-list webhooks" }, endpoints.map(item)) : el("p", { class: "empty" }, t("webhooks.empty")),
      );
    } catch (error) {
      list.replaceChildren();
      showMessage(alert, error.message);
    }
  }

  const form = webhookForm({
    org,
    onCreated: async (created) => {
      showMessage(status, t("webhooks.created", { url: created.url }));
      showSecret(created);
      await load();
    },
  });

  const parts = [
    el(
      "section",
      { class: "card", "aria-labelledby": "webhooks-title" },
      pageHeader(t("int.title")),
      el("p", { class: "muted" }, t("int.lead")),
      el("h2", { id: "webhooks-title" }, t("webhooks.title")),
      el("p", { class: "muted" }, t("webhooks.lead")),
      status,
      alert,
      list,
    ),
    shown,
    el("section", { class: "card" }, el("h2", {}, t("webhooks.newTitle")), form),
  ];
  let outbox = null;
  if (can("audit:read")) {
    outbox = mailOutbox({ org, mayRetry: can("orgs:manage") });
    stops.push(outbox.stop);
    parts.push(...outbox.parts);
  }
  outlet.replaceChildren(...parts);
  await Promise.all([load(), outbox?.load()]);
  return () => stops.forEach((stop) => stop());
}
