// The audit log (admins): who did what, when, newest first.
import { listAudit } from "../api/audit.js";
import { t } from "../i18n/index.js";
import { el } from "../dom.js";
import { orgId } from "../session.js";
import { field, input, messageSlot, showMessage, debounce, formatDateTime, pageHeader, loading, tableRoles, renderPager } from "../ui.js";

const PAGE_SIZE = 50;

function changes(event) {
  const before = event.before || {};
  const after = event.after || {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => !["created_at", "updated_at", "id"].includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  if (!keys.length) return "";
  const show = (v) => (v === null || v === undefined ? "∅" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return el(
    "details",
    {},
    el("summary", {}, t("audit.changes", undefined, { n: keys.length })),
    el("ul", { class: "plain-list small" }, keys.map((k) => el("li", {}, el("span", { class: "mono" }, k), `: ${show(before[k])} → ${show(after[k])}`))),
  );
}

export async function render(outlet) {
  const org = orgId();
  const action = input({ name: "action", type: "search", autocomplete: "off", placeholder: "participant.update" });
  const alert = messageSlot("error");
  const results = el("div", {}, loading());
  const pager = el("nav", { class: "pager", "aria-label": t("pager.label") });
  let page = 1;

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("audit.title")),
      field({ label: t("audit.action"), input: action, hint: t("audit.actionHint") }),
      alert,
      results,
      pager,
    ),
  );

  async function load() {
    let data;
    try {
      data = await listAudit({ org_id: org, action: action.value.trim(), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    } catch (error) {
      showMessage(alert, error.message);
      return;
    }
    showMessage(alert, "");
    const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
    results.replaceChildren(
      data.items.length
        ? tableRoles(el(
            "table",
            { class: "data-table responsive" },
            el("caption", { class: "visually-hidden" }, t("audit.title")),
            el("thead", {}, el("tr", {}, ["audit.when", "audit.who", "audit.what", "audit.record", "audit.detail"].map((k) => el("th", { scope: "col" }, t(k))))),
            el(
              "tbody",
              {},
              data.items.map((e) =>
                el(
                  "tr",
                  {},
                  el("th", { scope: "row", class: "cell-name" }, formatDateTime(e.created_at)),
                  el("td", { "data-label": t("audit.who") }, e.actor_label),
                  el("td", { "data-label": t("audit.what") }, el("span", { class: "mono" }, e.action)),
                  el("td", { "data-label": t("audit.record") }, `${e.entity_type} #${e.entity_id}`),
                  el("td", { "data-label": t("audit.detail") }, changes(e)),
                ),
              ),
            ),
          ))
        : el("p", { class: "empty" }, t("audit.empty")),
    );
    renderPager(pager, page, pages, (target) => {
      page = target;
      load();
    });
  }
  const later = debounce(() => ((page = 1), load()), 400);
  action.addEventListener("input", later);
  await load();
  return () => later.cancel();
}
