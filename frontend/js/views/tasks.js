// Tasks: filters, a list with multi-select and bulk changes, a board by status, and assigning
// a new task.
import { listTasks, bulkUpdateTasks } from "../api/tasks.js";
import { listPlans } from "../api/plans.js";
import { listUnits } from "../api/units.js";
import { assigneePicker, loadStaff } from "../components/assignee-picker.js";
import { taskStatusBadge, dueLabel, overdueBadge } from "../components/badges.js";
import { dataTable } from "../components/data-table.js";
import { listScreen, searchForm, filtersPanel } from "../components/list-screen.js";
import { taskForm, planOptions } from "../components/task-form.js";
import { confirmPastDay, dateInput, readDate } from "../components/date-field.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate } from "../lib/format.js";
import { currentQuery } from "../router.js";
import { orgId, can, currentMe } from "../session.js";
import { field, select, nextId, messageSlot, showMessage, reportError, refuseLocally, pageHeader } from "../ui.js";

const TASK_STATUSES = ["todo", "in_progress", "done", "cancelled"];
const PAGE_SIZE = 50;
// The board shows every task the filters leave, up to this many.
const BOARD_SIZE = 500;

function dueNode(task) {
  return el("span", { class: task.overdue ? "due due-overdue" : "due" }, dueLabel(task));
}

function boardView(items) {
  return el(
    "div",
    { class: "board" },
    TASK_STATUSES.map((status) => {
      const column = items.filter((x) => x.status === status);
      const headingId = nextId("col");
      return el(
        "section",
        { class: `board-column board-${status}`, "aria-labelledby": headingId },
        el("h2", { id: headingId }, `${t(`tasks.status.${status}`)} (${column.length})`),
        column.length
          ? el(
              "ul",
              { class: "board-cards" },
              column.map((task) =>
                el(
                  "li",
                  { class: task.overdue ? "board-card is-overdue" : "board-card" },
                  el("a", { href: `#/tasks/${task.id}`, class: "list-title" }, task.title),
                  el("p", { class: "small" }, task.assignee_name),
                  el("p", { class: "small" }, dueNode(task), task.overdue ? overdueBadge() : null),
                  el("p", { class: "small muted" }, task.plan_symbol || t("plans.noNumber")),
                ),
              ),
            )
          : el("p", { class: "muted small" }, t("tasks.columnEmpty")),
      );
    }),
  );
}

export async function render(outlet) {
  const org = orgId();
  const query = currentQuery();
  const manage = can("tasks:write");
  const state = {
    plan: query.get("plan") || "",
    unit: query.get("unit") || "",
    status: TASK_STATUSES.includes(query.get("status")) ? query.get("status") : "",
    mine: query.get("mine") === "1",
    overdue: query.get("overdue") === "1",
    week: query.get("week") === "1",
    q: query.get("q") || "",
    sort: query.get("sort") || "due_on",
    view: query.get("view") === "board" ? "board" : "list",
  };
  const wantNew = query.get("new") === "1";
  const selected = new Set();
  const status = messageSlot("status");
  const bulkSlot = el("div");
  const createSlot = el("div");

  const list = listScreen({
    state,
    pageSize: (s) => (s.view === "board" ? BOARD_SIZE : PAGE_SIZE),
    address: (s) => ({
      plan: s.plan,
      unit: s.unit,
      status: s.status,
      mine: s.mine ? 1 : "",
      overdue: s.overdue ? 1 : "",
      week: s.week ? 1 : "",
      q: s.q,
      sort: s.sort === "due_on" ? "" : s.sort,
      view: s.view === "board" ? "board" : "",
    }),
    fetch: (s, page) =>
      listTasks({
        plan_id: s.plan,
        unit_id: s.unit,
        status: s.view === "board" ? "" : s.status,
        mine: s.mine ? "true" : "",
        overdue: s.overdue ? "true" : "",
        due_within_days: s.week ? 7 : "",
        q: s.q.trim(),
        sort: s.sort,
        ...page,
      }),
    summary: (data) => t("tasks.total", { n: data.total }),
    draw(data) {
      bulkBar();
      if (!data.items.length) {
        const filtered = state.plan || state.unit || state.status || state.mine || state.overdue || state.week || state.q;
        return el("p", { class: "empty" }, filtered ? t("tasks.noMatch") : t("tasks.empty"));
      }
      return state.view === "board" ? boardView(data.items) : listView(data.items);
    },
  });

  const planSelect = select({ name: "plan" }, [["", t("tasks.allPlans")]], state.plan);
  const unitSelect = select({ name: "unit" }, [["", t("tasks.allUnits")]], state.unit);
  const statusSelect = select({ name: "status" }, [["", t("tasks.allStatuses")], ...TASK_STATUSES.map((s) => [s, t(`tasks.status.${s}`)])], state.status);
  const sortSelect = select(
    { name: "sort" },
    [
      ["due_on", t("tasks.sort.due")],
      ["-due_on", t("tasks.sort.dueDesc")],
      ["priority", t("tasks.sort.priority")],
      ["-created_at", t("tasks.sort.newest")],
      ["title", t("tasks.sort.title")],
    ],
    state.sort,
  );
  // Another list: what was selected in this one no longer shows (before the list reloads).
  for (const node of [planSelect, unitSelect, statusSelect, sortSelect]) node.addEventListener("change", () => selected.clear());
  list.watch({ plan: planSelect, unit: unitSelect, status: statusSelect, sort: sortSelect });
  const check = (key, label) => {
    const id = nextId("flt");
    const box = el("input", { type: "checkbox", id, checked: state[key] });
    box.addEventListener("change", () => list.refilter(key, box.checked));
    return el("div", { class: "check" }, box, el("label", { for: id }, label));
  };
  const hasParticipant = Boolean(currentMe()?.user.participant_id);
  const filters = filtersPanel({
    label: t("tasks.filters"),
    filtered: state.plan || state.unit || state.status || state.overdue || state.week || state.mine,
    fields: [
      field({ label: t("tasks.plan"), input: planSelect }),
      field({ label: t("tasks.unit"), input: unitSelect }),
      field({ label: t("tasks.state"), input: statusSelect }),
      field({ label: t("tasks.sortLabel"), input: sortSelect }),
    ],
    extra: el(
      "div",
      { class: "check-row" },
      hasParticipant ? check("mine", t("tasks.onlyMine")) : null,
      check("overdue", t("tasks.onlyOverdue")),
      check("week", t("tasks.dueThisWeek")),
    ),
  });

  const listButton = el("button", { type: "button", class: "toggle-button", "aria-pressed": String(state.view === "list") }, t("tasks.viewList"));
  const boardButton = el("button", { type: "button", class: "toggle-button", "aria-pressed": String(state.view === "board") }, t("tasks.viewBoard"));
  const toggle = el("div", { class: "view-toggle", role: "group", "aria-label": t("tasks.viewLabel") }, listButton, boardButton);
  for (const [node, view] of [
    [listButton, "list"],
    [boardButton, "board"],
  ]) {
    node.addEventListener("click", () => {
      listButton.setAttribute("aria-pressed", String(view === "list"));
      boardButton.setAttribute("aria-pressed", String(view === "board"));
      list.refilter("view", view);
    });
  }

  const actions = [];
  if (hasParticipant) actions.push(el("a", { class: "button button-secondary", href: "#/tasks/mine" }, t("tasks.mineTitle")));
  let newButton = null;
  if (manage) {
    newButton = el("button", { type: "button", class: "button", "aria-expanded": "false" }, t("tasks.new"));
    actions.push(newButton);
  }

  outlet.replaceChildren(
    createSlot,
    el(
      "section",
      { class: "card" },
      pageHeader(t("tasks.title"), ...actions),
      searchForm("search-form", list.searchField({ label: t("tasks.search") })),
      filters,
      el("div", { class: "results-bar" }, list.summary, toggle),
      list.alert,
      status,
      bulkSlot,
      list.results,
      list.pager,
    ),
  );

  let plans = [];
  let staff = { units: [], people: [] };
  const ready = Promise.all([
    listPlans({ limit: 200 })
      .then((page) => (plans = page.items))
      .catch(() => []),
    manage ? loadStaff(org).then((s) => (staff = s)) : listUnits(org).then((units) => (staff = { units, people: [] })).catch(() => {}),
  ]).then(() => {
    planSelect.append(...planOptions(plans).map(([v, label]) => el("option", { value: v, selected: String(v) === state.plan }, label)));
    unitSelect.append(...staff.units.map((u) => el("option", { value: u.id, selected: String(u.id) === state.unit }, u.name)));
  });

  function openCreate() {
    newButton?.setAttribute("aria-expanded", "true");
    const { form, focus } = taskForm({
      plans,
      staff,
      planId: state.plan || null,
      onSaved(task) {
        closeCreate();
        status.replaceChildren(
          el("p", { class: "notice notice-success" }, t("tasks.created", { title: task.title }), " ", el("a", { href: `#/tasks/${task.id}` }, t("tasks.open"))),
        );
        list.load();
      },
      onCancel: closeCreate,
    });
    createSlot.replaceChildren(el("section", { class: "card card-form" }, el("h2", {}, t("tasks.newTitle")), form));
    focus();
  }
  function closeCreate() {
    newButton?.setAttribute("aria-expanded", "false");
    createSlot.replaceChildren();
    newButton?.focus();
  }
  newButton?.addEventListener("click", async () => {
    if (createSlot.childNodes.length) return closeCreate();
    await ready;
    openCreate();
  });

  function bulkBar() {
    if (!manage || state.view !== "list" || !selected.size) {
      bulkSlot.replaceChildren();
      return;
    }
    const bulkStatus = select({ name: "status" }, [["", t("tasks.bulkKeep")], ...TASK_STATUSES.map((s) => [s, t(`tasks.status.${s}`)])], "");
    const bulkDue = dateInput({ name: "due_on", warnPast: true });
    const who = assigneePicker({ ...staff, allowNone: true, legend: t("tasks.bulkReassign"), prefix: "assignee" });
    const apply = el("button", { type: "submit", class: "button" }, t("tasks.bulkApply", { n: selected.size }));
    const clear = el("button", { type: "button", class: "button button-secondary" }, t("tasks.bulkClear"));
    const bulkAlert = messageSlot("error");
    clear.addEventListener("click", () => {
      selected.clear();
      list.results.querySelectorAll("input[data-task]").forEach((b) => (b.checked = false));
      bulkBar();
    });
    const form = el(
      "form",
      { class: "bulk-bar", novalidate: true, "aria-label": t("tasks.bulkTitle") },
      el("h2", {}, t("tasks.bulkSelected", { n: selected.size })),
      el("div", { class: "form-grid" }, field({ label: t("tasks.bulkStatus"), input: bulkStatus }), field({ label: t("tasks.bulkDue"), input: bulkDue })),
      who.node,
      bulkAlert,
      el("div", { class: "actions" }, apply, clear),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const due = readDate(bulkDue);
      if (refuseLocally(form, bulkAlert, { due_on: due.error })) return;
      if (!confirmPastDay(due.value, "tasks.confirmPastDue")) return;
      const assignee = who.value();
      const body = { task_ids: [...selected] };
      if (bulkStatus.value) body.status = bulkStatus.value;
      if (due.value) body.due_on = due.value;
      if (assignee.participant) body.assignee_participant_id = assignee.participant;
      if (assignee.unit) body.assignee_unit_id = assignee.unit;
      if (Object.keys(body).length === 1) {
        showMessage(bulkAlert, t("tasks.bulkNothing"));
        return;
      }
      await busy(apply, async () => {
        try {
          const changed = await bulkUpdateTasks(body);
          selected.clear();
          showMessage(status, t("tasks.bulkDone", { n: changed.length }), "success");
          list.load();
        } catch (error) {
          reportError(form, bulkAlert, error);
        }
      });
    });
    bulkSlot.replaceChildren(form);
  }

  function listView(items) {
    const head = ["tasks.taskTitle", "tasks.assignee", "tasks.due", "tasks.state", "tasks.plan"].map((k) => t(k));
    let all = null;
    if (manage) {
      all = el("input", { type: "checkbox", "aria-label": t("tasks.selectAll"), checked: items.length > 0 && items.every((x) => selected.has(x.id)) });
      all.addEventListener("change", () => {
        for (const task of items) all.checked ? selected.add(task.id) : selected.delete(task.id);
        list.results.querySelectorAll("input[data-task]").forEach((b) => (b.checked = all.checked));
        bulkBar();
      });
      head.unshift(el("th", { scope: "col", class: "cell-check" }, all));
    }
    const rows = items.map((task) => {
      const cells = [
        el(
          "th",
          { scope: "row", class: "cell-name" },
          el("a", { href: `#/tasks/${task.id}` }, task.title),
          task.section ? el("span", { class: "small muted" }, ` (${task.section})`) : null,
        ),
        el("td", { "data-label": t("tasks.assignee") }, task.assignee_name),
        el("td", { "data-label": t("tasks.due") }, task.due_on ? el("span", { class: task.overdue ? "due-overdue" : "" }, formatDate(task.due_on)) : el("span", { class: "muted" }, "—")),
        el("td", { "data-label": t("tasks.state") }, taskStatusBadge(task)),
        el("td", { "data-label": t("tasks.plan"), class: "mono small nowrap" }, el("a", { href: `#/plans/${task.plan_id}` }, task.plan_symbol || t("plans.noNumber"))),
      ];
      if (manage) {
        const box = el("input", { type: "checkbox", "data-task": task.id, checked: selected.has(task.id), "aria-label": t("tasks.select", { title: task.title }) });
        box.addEventListener("change", () => {
          box.checked ? selected.add(task.id) : selected.delete(task.id);
          if (all) all.checked = items.every((x) => selected.has(x.id));
          bulkBar();
        });
        cells.unshift(el("td", { class: "cell-check" }, box));
      }
      return el("tr", { class: task.overdue ? "row-overdue" : "" }, cells);
    });
    return dataTable({ caption: t("tasks.title"), headers: head, rows, className: "tasks-table" });
  }

  await list.load();
  if (wantNew && manage) {
    await ready;
    openCreate();
  }
  return list.stop;
}
