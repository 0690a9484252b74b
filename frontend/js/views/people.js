// Staff list: search (accents optional), filters, sort, paging. A table on desktop, cards on a phone.
import { listParticipants } from "../api/participants.js";
import { listUnits } from "../api/units.js";
import { activeBadge } from "../components/badges.js";
import { dataTable } from "../components/data-table.js";
import { listScreen, searchForm, filtersPanel } from "../components/list-screen.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { roleLabel } from "../i18n/labels.js";
import { currentQuery } from "../router.js";
import { orgId, can } from "../session.js";
import { field, select, pageHeader } from "../ui.js";

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
    cell(t("people.state"), activeBadge(p.active)),
  );
}

export async function render(outlet) {
  const org = orgId();
  const params = currentQuery();
  const state = {
    q: params.get("q") || "",
    unit: params.get("unit") || "",
    active: params.get("active") || "",
    account: params.get("account") || "",
    sort: SORTS.includes(params.get("sort")) ? params.get("sort") : "full_name",
  };
  const list = listScreen({
    state,
    pageSize: PAGE_SIZE,
    address: (s) => ({ q: s.q, unit: s.unit, active: s.active, account: s.account, sort: s.sort === "full_name" ? "" : s.sort }),
    fetch: (s, page) =>
      listParticipants({ org_id: org, q: s.q.trim(), unit_id: s.unit, active: s.active, has_account: s.account, sort: s.sort, ...page }),
    summary: (data) => t("people.total", { n: data.total }),
    draw(data) {
      if (!data.items.length) {
        const filtered = state.q || state.unit || state.active || state.account;
        return el("p", { class: "empty" }, filtered ? t("people.noMatch") : t(can("people:manage") ? "people.empty" : "people.emptyHere"));
      }
      const headers = ["people.name", "people.staffCode", "people.position", "people.units", "people.contact", "people.login", "people.state"].map((k) => t(k));
      return dataTable({ caption: t("people.title"), headers, rows: data.items.map(row) });
    },
  });

  const unitSelect = select({ name: "unit" }, [["", t("people.allUnits")]], state.unit);
  const activeSelect = select(
    { name: "active" },
    [["", t("people.all")], ["true", t("people.activeOnly")], ["false", t("people.inactiveOnly")]],
    state.active,
  );
  const accountSelect = select(
    { name: "account" },
    [["", t("people.all")], ["true", t("people.hasLogin")], ["false", t("people.noLogin")]],
    state.account,
  );
  const sortSelect = select(
    { name: "sort" },
    [
      ["full_name", t("people.sortName")],
      ["-full_name", t("people.sortNameDesc")],
      ["staff_code", t("people.sortCode")],
      ["-created_at", t("people.sortNewest")],
    ],
    state.sort,
  );
  list.watch({ unit: unitSelect, active: activeSelect, account: accountSelect, sort: sortSelect });

  const filters = filtersPanel({
    label: t("people.filters"),
    filtered: state.unit || state.active || state.account,
    fields: [
      field({ label: t("people.unit"), input: unitSelect }),
      field({ label: t("people.state"), input: activeSelect }),
      field({ label: t("people.login"), input: accountSelect }),
      field({ label: t("people.sort"), input: sortSelect }),
    ],
  });

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
      searchForm("search-form", list.searchField({ label: t("people.search"), hint: t("people.searchHint") })),
      filters,
      ...list.parts(),
    ),
  );

  listUnits(org)
    .then((units) => {
      unitSelect.append(...units.map((u) => el("option", { value: u.id, selected: String(u.id) === state.unit }, u.name)));
    })
    .catch(() => {});
  await list.load();
  return list.stop;
}
