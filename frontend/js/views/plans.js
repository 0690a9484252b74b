// Plan list: symbol, title (trích yếu), issuer, period, status; search and filters.
import { listPlans } from "../api/plans.js";
import { planStatusBadge } from "../components/badges.js";
import { dataTable } from "../components/data-table.js";
import { listScreen, searchForm } from "../components/list-screen.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { formatPeriod } from "../lib/format.js";
import { currentQuery } from "../router.js";
import { orgId, can } from "../session.js";
import { field, select, pageHeader } from "../ui.js";

const PAGE_SIZE = 20;
const PLAN_STATUSES = ["draft", "active", "closed"];

function row(plan) {
  return el(
    "tr",
    {},
    el(
      "td",
      { "data-label": t("plans.symbol"), class: "mono nowrap" },
      plan.symbol ? plan.symbol : el("span", { class: "muted" }, t("plans.noNumber")),
    ),
    el("th", { scope: "row", class: "cell-name plan-title-cell" }, el("a", { href: `#/plans/${plan.id}` }, plan.title)),
    el("td", { "data-label": t("plans.issuer") }, plan.organization_name),
    el("td", { "data-label": t("plans.period") }, formatPeriod(plan.period_start, plan.period_end)),
    el("td", { "data-label": t("plans.state") }, planStatusBadge(plan.status)),
  );
}

export async function render(outlet) {
  const org = orgId();
  const params = currentQuery();
  const state = {
    q: params.get("q") || "",
    status: PLAN_STATUSES.includes(params.get("status")) ? params.get("status") : "",
    scope: params.get("scope") === "org" ? "org" : "",
  };
  const list = listScreen({
    state,
    pageSize: PAGE_SIZE,
    address: (s) => ({ q: s.q, status: s.status, scope: s.scope }),
    fetch: (s, page) => listPlans({ q: s.q.trim(), status: s.status, org_id: s.scope === "org" ? org : "", ...page }),
    summary: (data) => t("plans.total", { n: data.total }),
    draw(data) {
      if (data.items.length) {
        const headers = ["plans.symbol", "plans.docTitle", "plans.issuer", "plans.period", "plans.state"].map((k) => t(k));
        return dataTable({ caption: t("plans.title"), headers, rows: data.items.map(row), className: "plans-table" });
      }
      const filtered = state.q || state.status || state.scope;
      return el(
        "div",
        { class: "empty" },
        el("p", {}, filtered ? t("plans.noMatch") : t("plans.empty")),
        !filtered && can("plans:write") ? el("a", { class: "button", href: "#/plans/new" }, t("plans.create")) : null,
      );
    },
  });
  const statusSelect = select(
    { name: "status" },
    [["", t("plans.allStatuses")], ...PLAN_STATUSES.map((s) => [s, t(`plans.status.${s}`)])],
    state.status,
  );
  const scopeSelect = select(
    { name: "scope" },
    [["", t("plans.scopeAll")], ["org", t("plans.scopeOrg")]],
    state.scope,
  );
  list.watch({ status: statusSelect, scope: scopeSelect });

  const actions = [];
  if (can("plans:write")) actions.push(el("a", { class: "button", href: "#/plans/new" }, t("plans.create")));

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("plans.title"), ...actions),
      el("p", { class: "muted" }, t("plans.lead")),
      searchForm(
        "filter-row",
        list.searchField({ label: t("plans.search"), hint: t("plans.searchHint"), className: "filter-grow" }),
        field({ label: t("plans.state"), input: statusSelect }),
        field({ label: t("plans.issuer"), input: scopeSelect }),
      ),
      ...list.parts(),
    ),
  );
  await list.load();
  return list.stop;
}
