// Staff list: search (accents optional), filters, sort, paging. A table on desktop, cards on a phone.
import { listParticipants } from "../api/participants.js";
import { listUnits } from "../api/units.js";
import { t } from "../i18n/index.js";
import { el } from "../dom.js";
import { currentQuery, replaceQuery } from "../router.js";
import { orgId, can } from "../session.js";
import { field, input, select, messageSlot, showMessage, debounce, pageHeader, loading, roleLabel, tableRoles, renderPager } from "../ui.js";

const PAGE_SIZE = 20;
const SORTS = ["full_name", "-full_name", "staff_code", "-created_at"];

function unitList(units) {
  if (!units.length) return el("span", { class: "muted" }, "—");
  return el(
    "ul",
    { class: "tags" },
    units.map((u) =>
      el(
        "li",
        { class: u.is_leader ? "tag tag-leader" : "tag" },
        u.name,
        u.is_leader ? el("span", { class: "leader-mark" }, ` · ${t("people.leader")}`) : null,
      ),
    ),
  );
}

function contact(p) {
  const lines = [];
  if (p.email) lines.push(el("a", { href: `mailto:${p.email}` }, p.email));
  if (p.phone) lines.push(el("a", { href: `tel:${p.phone}` }, p.phone));
  if (!lines.length) return el("span", { class: "muted" }, "—");
  return el("div", { class: "contact" }, ...lines.map((line) => el("div", {}, line)));
}

function login(p) {
  if (!p.username) return el("span", { class: "muted" }, t("people.noLogin"));
  return el("div", {}, el("span", { class: "mono" }, p.username), el("div", { class: "small muted" }, roleLabel(p.role)));
}

function state(p) {
  return el("span", { class: p.active ? "badge badge-ok" : "badge badge-off" }, p.active ? t("people.active") : t("people.inactive"));
}

function cell(label, ...content) {
  return el("td", { "data-label": label }, ...content);
}

function wideCell(label, ...content) {
  return el("td", { "data-label": label, class: "hide-phone" }, ...content);
}

function row(p) {
  return el(
    "tr",
    { class: p.active ? "" : "row-inactive" },
    el(
      "th",
      { scope: "row", class: "cell-name" },
      el("a", { href: `#/people/${p.id}` }, p.full_name),
      el("div", { class: "small muted only-phone" }, [p.staff_code, p.position].filter(Boolean).join(" · ")),
    ),
    wideCell(t("people.staffCode"), el("span", { class: "mono" }, p.staff_code)),
    wideCell(t("people.position"), p.position || "—"),
    cell(t("people.units"), unitList(p.units)),
    cell(t("people.contact"), contact(p)),
    cell(t("people.login"), login(p)),
    cell(t("people.state"), state(p)),
  );
}

export async function render(outlet) {
  const org = orgId();
  const params = currentQuery();
  const state_ = {
    q: params.get("q") || "",
    unit: params.get("unit") || "",
    active: params.get("active") || "",
    account: params.get("account") || "",
    sort: SORTS.includes(params.get("sort")) ? params.get("sort") : "full_name",
    page: Math.max(1, Number(params.get("page")) || 1),
  };

  const search = input({ name: "q", type: "search", value: state_.q, autocomplete: "off", enterkeyhint: "search" });
  const unitSelect = select({ name: "unit" }, [["", t("people.allUnits")]], state_.unit);
  const activeSelect = select(
    { name: "active" },
    [["", t("people.all")], ["true", t("people.activeOnly")], ["false", t("people.inactiveOnly")]],
    state_.active,
  );
  const accountSelect = select(
    { name: "account" },
    [["", t("people.all")], ["true", t("people.hasLogin")], ["false", t("people.noLogin")]],
    state_.account,
  );
  const sortSelect = select(
    { name: "sort" },
    [
      ["full_name", t("people.sortName")],
      ["-full_name", t("people.sortNameDesc")],
      ["staff_code", t("people.sortCode")],
      ["-created_at", t("people.sortNewest")],
    ],
    state_.sort,
  );
  const alert = messageSlot("error");
  const summary = el("p", { class: "summary", role: "status", "aria-live": "polite" });
  const results = el("div", { class: "results" }, loading());
  const pager = el("nav", { class: "pager", "aria-label": t("pager.label") });

  const filters = el(
    "details",
    { class: "filters", open: window.matchMedia("(min-width: 48rem)").matches || Boolean(state_.unit || state_.active || state_.account) },
    el("summary", {}, t("people.filters")),
    el(
      "div",
      { class: "filter-grid" },
      field({ label: t("people.unit"), input: unitSelect }),
      field({ label: t("people.state"), input: activeSelect }),
      field({ label: t("people.login"), input: accountSelect }),
      field({ label: t("people.sort"), input: sortSelect }),
    ),
  );

  const actions = [];
  if (can("people:manage")) {
    actions.push(el("a", { class: "button", href: "#/people/new" }, t("people.add")));
    actions.push(el("a", { class: "button button-secondary", href: "#/import" }, t("nav.import")));
  }

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("people.title"), ...actions),
      el(
        "form",
        { class: "search-form", role: "search", onsubmit: (e) => e.preventDefault() },
        field({ label: t("people.search"), input: search, hint: t("people.searchHint") }),
      ),
      filters,
      alert,
      summary,
      results,
      pager,
    ),
  );

  let requestNo = 0;
  async function load() {
    const mine = ++requestNo;
    replaceQuery({
      q: state_.q,
      unit: state_.unit,
      active: state_.active,
      account: state_.account,
      sort: state_.sort === "full_name" ? "" : state_.sort,
      page: state_.page > 1 ? state_.page : "",
    });
    results.setAttribute("aria-busy", "true");
    let data;
    try {
      data = await listParticipants({
        org_id: org,
        q: state_.q.trim(),
        unit_id: state_.unit,
        active: state_.active,
        has_account: state_.account,
        sort: state_.sort,
        limit: PAGE_SIZE,
        offset: (state_.page - 1) * PAGE_SIZE,
      });
    } catch (error) {
      if (mine !== requestNo) return;
      results.removeAttribute("aria-busy");
      showMessage(alert, error.message);
      return;
    }
    if (mine !== requestNo) return;
    showMessage(alert, "");
    results.removeAttribute("aria-busy");
    const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
    if (state_.page > pages && data.total > 0) {
      state_.page = pages;
      load();
      return;
    }
    summary.textContent = t("people.total", undefined, { n: data.total });
    if (!data.items.length) {
      results.replaceChildren(
        el("p", { class: "empty" }, state_.q || state_.unit || state_.active || state_.account ? t("people.noMatch") : t(can("people:manage") ? "people.empty" : "people.emptyHere")),
      );
    } else {
      results.replaceChildren(
        tableRoles(el(
          "table",
          { class: "data-table responsive" },
          el("caption", { class: "visually-hidden" }, t("people.title")),
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              ["people.name", "people.staffCode", "people.position", "people.units", "people.contact", "people.login", "people.state"].map(
                (key) => el("th", { scope: "col" }, t(key)),
              ),
            ),
          ),
          el("tbody", {}, data.items.map(row)),
        )),
      );
    }
    renderPager(pager, state_.page, pages, (page) => {
      state_.page = page;
      load().then(() => summary.scrollIntoView({ block: "nearest" }));
    });
  }

  const searchLater = debounce(() => {
    state_.q = search.value;
    state_.page = 1;
    load();
  }, 300);
  search.addEventListener("input", searchLater);
  for (const [node, key] of [
    [unitSelect, "unit"],
    [activeSelect, "active"],
    [accountSelect, "account"],
    [sortSelect, "sort"],
  ]) {
    node.addEventListener("change", () => {
      state_[key] = node.value;
      state_.page = 1;
      load();
    });
  }

  listUnits(org)
    .then((units) => {
      unitSelect.append(...units.map((u) => el("option", { value: u.id, selected: String(u.id) === state_.unit }, u.name)));
    })
    .catch(() => {});
  await load();
  return () => searchLater.cancel();
}
