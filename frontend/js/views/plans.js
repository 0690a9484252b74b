// Plan list: symbol, title (trích yếu), issuer, period, status; search and filters.
import { listPlans } from "../api/plans.js";
import { t } from "../i18n/index.js";
import { el } from "../dom.js";
import { currentQuery, replaceQuery } from "../router.js";
import { orgId, can } from "../session.js";
import { field, input, select, messageSlot, showMessage, debounce, pageHeader, loading, formatDate, tableRoles, renderPager } from "../ui.js";

const PAGE_SIZE = 20;
export const PLAN_STATUSES = ["draft", "active", "closed"];

export function planStatusBadge(status) {
  return el("span", { class: `badge plan-status plan-status-${status}` }, t(`plans.status.${status}`));
}

// "01/03/2025 – 31/12/2025", or "từ 01/03/2025" for a plan without an end.
export function periodText(plan) {
  if (!plan.period_start) return "—";
  if (!plan.period_end) return t("plans.periodFrom", undefined, { start: formatDate(plan.period_start) });
  return `${formatDate(plan.period_start)} – ${formatDate(plan.period_end)}`;
}

export function symbolText(plan) {
  return plan.symbol || t("plans.noNumber");
}

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
    el("td", { "data-label": t("plans.period") }, periodText(plan)),
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
    page: Math.max(1, Number(params.get("page")) || 1),
  };
  const search = input({ name: "q", type: "search", value: state.q, autocomplete: "off", enterkeyhint: "search" });
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
  const alert = messageSlot("error");
  const summary = el("p", { class: "summary", role: "status", "aria-live": "polite" });
  const results = el("div", { class: "results" }, loading());
  const pager = el("nav", { class: "pager", "aria-label": t("pager.label") });

  const actions = [];
  if (can("plans:write")) actions.push(el("a", { class: "button", href: "#/plans/new" }, t("plans.create")));

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("plans.title"), ...actions),
      el("p", { class: "muted" }, t("plans.lead")),
      el(
        "form",
        { class: "filter-row", role: "search", onsubmit: (e) => e.preventDefault() },
        field({ label: t("plans.search"), input: search, hint: t("plans.searchHint"), className: "filter-grow" }),
        field({ label: t("plans.state"), input: statusSelect }),
        field({ label: t("plans.issuer"), input: scopeSelect }),
      ),
      alert,
      summary,
      results,
      pager,
    ),
  );

  let requestNo = 0;
  async function load() {
    const mine = ++requestNo;
    replaceQuery({ q: state.q, status: state.status, scope: state.scope, page: state.page > 1 ? state.page : "" });
    results.setAttribute("aria-busy", "true");
    let data;
    try {
      data = await listPlans({
        q: state.q.trim(),
        status: state.status,
        org_id: state.scope === "org" ? org : "",
        limit: PAGE_SIZE,
        offset: (state.page - 1) * PAGE_SIZE,
      });
    } catch (error) {
      if (mine !== requestNo) return;
      results.removeAttribute("aria-busy");
      results.replaceChildren();
      showMessage(alert, error.message);
      return;
    }
    if (mine !== requestNo) return;
    results.removeAttribute("aria-busy");
    showMessage(alert, "");
    const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
    summary.textContent = t("plans.total", undefined, { n: data.total });
    if (!data.items.length) {
      const filtered = state.q || state.status || state.scope;
      results.replaceChildren(
        el(
          "div",
          { class: "empty" },
          el("p", {}, filtered ? t("plans.noMatch") : t("plans.empty")),
          !filtered && can("plans:write") ? el("a", { class: "button", href: "#/plans/new" }, t("plans.create")) : null,
        ),
      );
    } else {
      results.replaceChildren(
        tableRoles(
          el(
            "table",
            { class: "data-table responsive plans-table" },
            el("caption", { class: "visually-hidden" }, t("plans.title")),
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                ["plans.symbol", "plans.docTitle", "plans.issuer", "plans.period", "plans.state"].map((key) =>
                  el("th", { scope: "col" }, t(key)),
                ),
              ),
            ),
            el("tbody", {}, data.items.map(row)),
          ),
        ),
      );
    }
    renderPager(pager, state.page, pages, (page) => {
      state.page = page;
      load();
    });
  }

  const searchLater = debounce(() => {
    state.q = search.value;
    state.page = 1;
    load();
  }, 300);
  search.addEventListener("input", searchLater);
  for (const [node, key] of [
    [statusSelect, "status"],
    [scopeSelect, "scope"],
  ]) {
    node.addEventListener("change", () => {
      state[key] = node.value;
      state.page = 1;
      load();
    });
  }
  await load();
  return () => searchLater.cancel();
}
