// One webhook's delivery log (admins): each event sent or to be sent, how the receiver
// answered, when it is tried again; "send again" for any that is not on its way.
import { getWebhook, listDeliveries, redeliver } from "../api/webhooks.js";
import { localDetail } from "../api/client.js";
import { dataTable, labelledCell } from "../components/data-table.js";
import { listScreen } from "../components/list-screen.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDateTime, number } from "../lib/format.js";
import { currentQuery } from "../router.js";
import { field, messageSlot, pageHeader, select, showMessage } from "../ui.js";

const PAGE_SIZE = 25;
const STATUSES = ["failed", "pending", "sending", "delivered"];
const BADGES = { pending: "badge-pending", sending: "badge-info", delivered: "badge-ok", failed: "badge-bad" };

export async function render(outlet, { id }) {
  let endpoint;
  try {
    endpoint = await getWebhook(id);
  } catch (error) {
    const text = error.status === 404 ? t("deliveries.notFound") : error.message;
    outlet.replaceChildren(el("section", { class: "card" }, pageHeader(t("deliveries.title")), el("p", { class: "notice notice-error", role: "alert" }, text)));
    return;
  }
  const status = messageSlot("status");
  const given = currentQuery().get("status");
  const state = { status: STATUSES.includes(given) ? given : "" };
  const list = listScreen({
    state,
    pageSize: PAGE_SIZE,
    address: (s) => ({ status: s.status }),
    fetch: (s, page) => listDeliveries(endpoint.id, { status: s.status, ...page }),
    summary: (data) => t("deliveries.total", { n: number(data.total) }),
    draw(data) {
      if (!data.items.length) return el("p", { class: "empty" }, state.status ? t("deliveries.noMatch") : t("deliveries.empty"));
      const keys = ["deliveries.event", "deliveries.key", "deliveries.status", "deliveries.attempts", "deliveries.lastCode", "deliveries.lastError", "deliveries.next", "deliveries.created", "deliveries.actions"];
      return dataTable({ caption: t("deliveries.title"), headers: keys.map((k) => t(k)), rows: data.items.map(row), className: "deliveries-table" });
    },
  });
  const filter = select(
    { name: "status" },
    [["", t("deliveries.allStatuses")], ...STATUSES.map((code) => [code, t(`deliveries.status.${code}`)])],
    state.status,
  );
  list.watch({ status: filter });

  function row(delivery) {
    const cell = (key, ...content) => labelledCell(t(key), ...content);
    let again = null;
    // Any not on its way this moment: a failed one, a delivered one the receiver asks for
    // again, or one waiting for its next attempt (sent now instead).
    if (delivery.status !== "sending") {
      again = el("button", { type: "button", class: "button button-small button-secondary", "aria-label": t("deliveries.redeliverLabel", { key: delivery.key }) }, t("deliveries.redeliver"));
      again.addEventListener("click", () =>
        busy(again, async () => {
          try {
            await redeliver(delivery.id);
            showMessage(status, t("deliveries.redelivered", { key: delivery.key }));
            await list.load();
          } catch (error) {
            showMessage(list.alert, error.message);
          }
        }),
      );
    }
    const code = delivery.last_status_code;
    return el(
      "tr",
      {},
      el("th", { scope: "row", class: "cell-name" }, tOr(`webhooks.event.${delivery.event_type}`, delivery.event_type)),
      cell("deliveries.key", el("span", { class: "mono small" }, delivery.key)),
      cell("deliveries.status", el("span", { class: `badge ${BADGES[delivery.status] ?? "badge-off"}` }, tOr(`deliveries.status.${delivery.status}`, delivery.status))),
      cell("deliveries.attempts", number(delivery.attempts)),
      cell("deliveries.lastCode", code ? el("span", { class: "nowrap" }, `${code}${delivery.last_duration_ms != null ? ` · ${number(delivery.last_duration_ms)} ms` : ""}`) : null),
      cell("deliveries.lastError", delivery.last_error ? el("span", { class: "small" }, localDetail(delivery.last_error)) : null),
      cell("deliveries.next", delivery.attempts ? formatDateTime(delivery.next_attempt_at) : ""),
      cell(
        "deliveries.created",
        formatDateTime(delivery.created_at),
        delivery.delivered_at ? [el("br"), el("span", { class: "small muted" }, `${t("deliveries.deliveredAt")} ${formatDateTime(delivery.delivered_at)}`)] : null,
      ),
      cell("deliveries.actions", again),
    );
  }

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("p", {}, el("a", { href: "#/integrations" }, t("deliveries.back"))),
      pageHeader(t("deliveries.title")),
      el("p", { class: "muted" }, t("deliveries.lead", { url: endpoint.url })),
      endpoint.description ? el("p", {}, endpoint.description) : null,
      el("div", { class: "filter-grid" }, field({ label: t("deliveries.status"), input: filter })),
      status,
      ...list.parts(),
    ),
  );
  await list.load();
  return list.stop;
}
