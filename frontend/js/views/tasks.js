// Tasks: filters, a list with multi-select and bulk changes, a board by status, and assigning
// a new task. Also the small pieces the other task screens share (badges, due dates, assignee).
import { listTasks, createTask, bulkUpdateTasks } from "../api/tasks.js";
import { listPlans } from "../api/plans.js";
import { listUnits } from "../api/units.js";
import { listParticipants } from "../api/participants.js";
import { t } from "../i18n/index.js";
import { el } from "../dom.js";
import { currentQuery, replaceQuery } from "../router.js";
import { orgId, can, currentMe } from "../session.js";
import { field, input, select, nextId, messageSlot, showMessage, busy, reportError, debounce, pageHeader, loading, formatDate, tableRoles, renderPager } from "../ui.js";

export const TASK_STATUSES = ["todo", "in_progress", "done", "cancelled"];
const PRIORITIES = ["high", "normal", "low"];
const PAGE_SIZE = 50;
export function taskStatusBadge(task) {
  const wrap = el("span", { class: "badges" }, el("span", { class: `badge task-status task-status-${task.status}` }, t(`tasks.status.${task.status}`)));
  if (task.overdue) wrap.append(" ", el("span", { class: "badge badge-overdue" }, t("tasks.overdue")));
  return wrap;
}

export function dueLabel(task) {
  if (!task.due_on) return t("tasks.noDue");
  return t("tasks.dueOn", undefined, { date: formatDate(task.due_on) });
}

export function dueNode(task) {
  return el("span", { class: task.overdue ? "due due-overdue" : "due" }, dueLabel(task));
}

export function isoToday() {
  const [d, m, y] = formatDate(new Date()).split("/");
  return `${y}-${m}-${d}`;
}

// Units and active staff of an organisation, for choosing an assignee.
export async function loadStaff(org) {
  const [units, people] = await Promise.all([
    listUnits(org).catch(() => []),
    listParticipants({ org_id: org, active: true, limit: 500, sort: "full_name" })
      .then((page) => page.items)
      .catch(() => []),
  ]);
  return { units, people };
}

// "Assign to": a unit or a person (with a filter box over the staff list), or nobody.
export function assigneePicker({ units, people, unitId = null, participantId = null, allowNone = false, legend, prefix = "assignee" }) {
  const kindName = nextId("kind");
  let kind = participantId ? "person" : unitId ? "unit" : allowNone ? "none" : "unit";
  const kinds = allowNone ? ["none", "unit", "person"] : ["unit", "person"];
  const radios = kinds.map((k) => {
    const id = nextId("kind");
    const radio = el("input", { type: "radio", name: kindName, id, value: k, checked: k === kind });
    return el("div", { class: "check" }, radio, el("label", { for: id }, t(`tasks.assign.${k}`)));
  });
  const unitSelect = select(
    { name: `${prefix}_unit_id` },
    [["", t("tasks.chooseUnit")], ...units.map((u) => [u.id, u.name])],
    unitId ?? "",
  );
  const filter = input({ type: "search", autocomplete: "off", placeholder: t("tasks.filterPeople") });
  const personSelect = select({ name: `${prefix}_participant_id` }, [], "");
  function fillPeople() {
    const q = filter.value
      .trim()
      .toLocaleLowerCase("vi")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d");
    const chosen = personSelect.value || (participantId ? String(participantId) : "");
    const matches = people.filter((p) => {
      if (!q) return true;
      const text = `${p.full_name} ${p.staff_code} ${p.position || ""}`.toLocaleLowerCase("vi").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
      return text.includes(q) || String(p.id) === chosen;
    });
    personSelect.replaceChildren(
      el("option", { value: "" }, t("tasks.choosePerson")),
      ...matches.map((p) =>
        el("option", { value: p.id, selected: String(p.id) === chosen }, `${p.full_name} — ${[p.staff_code, p.position].filter(Boolean).join(", ")}`),
      ),
    );
  }
  fillPeople();
  filter.addEventListener("input", fillPeople);
  const unitBox = field({ label: t("tasks.unitAssignee"), input: unitSelect });
  const personBox = el(
    "div",
    {},
    field({ label: t("tasks.personFilter"), input: filter }),
    field({ label: t("tasks.personAssignee"), input: personSelect }),
  );
  function sync() {
    unitBox.hidden = kind !== "unit";
    personBox.hidden = kind !== "person";
  }
  sync();
  const node = el(
    "fieldset",
    { class: "field assignee-field" },
    el("legend", {}, legend || t("tasks.assignee")),
    el("div", { class: "radio-row" }, radios),
    unitBox,
    personBox,
  );
  node.addEventListener("change", (event) => {
    if (event.target.name === kindName) {
      kind = event.target.value;
      sync();
    }
  });
  return {
    node,
    // {participant, unit} ids as numbers or null.
    value() {
      if (kind === "unit") return { participant: null, unit: unitSelect.value ? Number(unitSelect.value) : null, kind };
      if (kind === "person") return { participant: personSelect.value ? Number(personSelect.value) : null, unit: null, kind };
      return { participant: null, unit: null, kind };
    },
  };
}

function planOptions(plans, withAll) {
  const options = plans.map((p) => [p.id, `${p.symbol || t("plans.noNumber")} — ${p.title.length > 70 ? `${p.title.slice(0, 70)}…` : p.title}`]);
  return withAll ? [["", t("tasks.allPlans")], ...options] : [["", t("tasks.choosePlan")], ...options];
}

// The "assign a task" form; onCreated(task) after a success.
export function createTaskForm({ plans, staff, planId, onCreated, onCancel }) {
  const open = plans.filter((p) => p.status !== "closed" && p.organization_id === orgId());
  const plan = select({ name: "plan_id" }, planOptions(open, false), planId ?? (open.length === 1 ? open[0].id : ""));
  const title = input({ name: "title", maxlength: "300", autocomplete: "off" });
  const description = el("textarea", { class: "input", name: "description", rows: "3", maxlength: "10000" });
  const section = input({ name: "section", maxlength: "20", placeholder: "III.2" });
  const due = input({ name: "due_on", type: "date" });
  const priority = select({ name: "priority" }, PRIORITIES.map((p) => [p, t(`tasks.priority.${p}`)]), "normal");
  const recurrence = select({ name: "recurrence" }, [["none", t("tasks.recurrence.none")], ["yearly", t("tasks.recurrence.yearly")]], "none");
  const who = assigneePicker({ ...staff, prefix: "assignee" });
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, t("tasks.create"));
  const cancel = el("button", { type: "button", class: "button button-secondary" }, t("form.cancel"));
  cancel.addEventListener("click", () => onCancel?.());
  const form = el(
    "form",
    { class: "stack", novalidate: true, "aria-label": t("tasks.newTitle") },
    field({ label: t("tasks.plan"), input: plan, required: true }),
    field({ label: t("tasks.taskTitle"), input: title, required: true, hint: t("tasks.titleHint") }),
    who.node,
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("tasks.due"), input: due }),
      field({ label: t("tasks.section"), input: section, hint: t("tasks.sectionHint") }),
      field({ label: t("tasks.priorityLabel"), input: priority }),
      field({ label: t("tasks.recurrenceLabel"), input: recurrence, hint: t("tasks.recurrenceHint") }),
    ),
    field({ label: t("tasks.description"), input: description }),
    alert,
    el("div", { class: "actions" }, submit, cancel),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    const assignee = who.value();
    const body = {
      plan_id: plan.value ? Number(plan.value) : undefined,
      title: title.value.trim(),
      description: description.value.trim() || null,
      section: section.value.trim() || null,
      due_on: due.value || null,
      priority: priority.value,
      recurrence: recurrence.value,
      assignee_participant_id: assignee.participant,
      assignee_unit_id: assignee.unit,
    };
    await busy(submit, async () => {
      try {
        const created = await createTask(body);
        onCreated(created);
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return { form, focus: () => (plan.value ? title : plan).focus() };
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
                  el("p", { class: "small" }, dueNode(task), task.overdue ? el("span", { class: "badge badge-overdue" }, t("tasks.overdue")) : null),
                  el("p", { class: "small muted" }, task.plan_symbol || t("plans.noNumber")),
                ),
              ),
            )
          : el("p", { class: "muted small" }, t("tasks.columnEmpty")),
      );
    }),
  );
}

export async function render(outlet, params) {
  if (!can("tasks:read")) {
    // A teacher without the right to read every task: their own list is the task screen.
    const mine = await import("./my-tasks.js");
    return mine.render(outlet, params);
  }
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
    page: Math.max(1, Number(query.get("page")) || 1),
  };
  const wantNew = query.get("new") === "1";
  const selected = new Set();

  const search = input({ name: "q", type: "search", value: state.q, autocomplete: "off", enterkeyhint: "search" });
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
  const check = (key, label) => {
    const id = nextId("flt");
    const box = el("input", { type: "checkbox", id, checked: state[key] });
    box.addEventListener("change", () => {
      state[key] = box.checked;
      state.page = 1;
      load();
    });
    return el("div", { class: "check" }, box, el("label", { for: id }, label));
  };
  const hasParticipant = Boolean(currentMe()?.user.participant_id);
  const filters = el(
    "details",
    { class: "filters", open: window.matchMedia("(min-width: 48rem)").matches || Boolean(state.plan || state.unit || state.status || state.overdue || state.week || state.mine) },
    el("summary", {}, t("tasks.filters")),
    el(
      "div",
      { class: "filter-grid" },
      field({ label: t("tasks.plan"), input: planSelect }),
      field({ label: t("tasks.unit"), input: unitSelect }),
      field({ label: t("tasks.state"), input: statusSelect }),
      field({ label: t("tasks.sortLabel"), input: sortSelect }),
    ),
    el(
      "div",
      { class: "check-row" },
      hasParticipant ? check("mine", t("tasks.onlyMine")) : null,
      check("overdue", t("tasks.onlyOverdue")),
      check("week", t("tasks.dueThisWeek")),
    ),
  );

  const listButton = el("button", { type: "button", class: "toggle-button", "aria-pressed": String(state.view === "list") }, t("tasks.viewList"));
  const boardButton = el("button", { type: "button", class: "toggle-button", "aria-pressed": String(state.view === "board") }, t("tasks.viewBoard"));
  const toggle = el("div", { class: "view-toggle", role: "group", "aria-label": t("tasks.viewLabel") }, listButton, boardButton);
  for (const [node, view] of [
    [listButton, "list"],
    [boardButton, "board"],
  ]) {
    node.addEventListener("click", () => {
      state.view = view;
      listButton.setAttribute("aria-pressed", String(view === "list"));
      boardButton.setAttribute("aria-pressed", String(view === "board"));
      state.page = 1;
      load();
    });
  }

  const alert = messageSlot("error");
  const status = messageSlot("status");
  const summary = el("p", { class: "summary", role: "status", "aria-live": "polite" });
  const results = el("div", { class: "results" }, loading());
  const pager = el("nav", { class: "pager", "aria-label": t("pager.label") });
  const bulkSlot = el("div");
  const createSlot = el("div");

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
      el(
        "form",
        { class: "search-form", role: "search", onsubmit: (e) => e.preventDefault() },
        field({ label: t("tasks.search"), input: search }),
      ),
      filters,
      el("div", { class: "results-bar" }, summary, toggle),
      alert,
      status,
      bulkSlot,
      results,
      pager,
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
    planSelect.append(...planOptions(plans, true).slice(1).map(([v, label]) => el("option", { value: v, selected: String(v) === state.plan }, label)));
    unitSelect.append(...staff.units.map((u) => el("option", { value: u.id, selected: String(u.id) === state.unit }, u.name)));
  });

  function openCreate() {
    newButton?.setAttribute("aria-expanded", "true");
    const { form, focus } = createTaskForm({
      plans,
      staff,
      planId: state.plan || null,
      onCreated(task) {
        closeCreate();
        showMessage(status, "");
        status.replaceChildren(
          el("p", { class: "notice notice-success" }, t("tasks.created", undefined, { title: task.title }), " ", el("a", { href: `#/tasks/${task.id}` }, t("tasks.open"))),
        );
        load();
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
    const bulkDue = input({ type: "date", name: "due_on" });
    const who = assigneePicker({ ...staff, allowNone: true, legend: t("tasks.bulkReassign"), prefix: "assignee" });
    const apply = el("button", { type: "submit", class: "button" }, t("tasks.bulkApply", undefined, { n: selected.size }));
    const clear = el("button", { type: "button", class: "button button-secondary" }, t("tasks.bulkClear"));
    const bulkAlert = messageSlot("error");
    clear.addEventListener("click", () => {
      selected.clear();
      results.querySelectorAll("input[data-task]").forEach((b) => (b.checked = false));
      bulkBar();
    });
    const form = el(
      "form",
      { class: "bulk-bar", novalidate: true, "aria-label": t("tasks.bulkTitle") },
      el("h2", {}, t("tasks.bulkSelected", undefined, { n: selected.size })),
      el("div", { class: "form-grid" }, field({ label: t("tasks.bulkStatus"), input: bulkStatus }), field({ label: t("tasks.bulkDue"), input: bulkDue })),
      who.node,
      bulkAlert,
      el("div", { class: "actions" }, apply, clear),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const assignee = who.value();
      const body = { task_ids: [...selected] };
      if (bulkStatus.value) body.status = bulkStatus.value;
      if (bulkDue.value) body.due_on = bulkDue.value;
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
          showMessage(status, t("tasks.bulkDone", undefined, { n: changed.length }), "success");
          load();
        } catch (error) {
          reportError(form, bulkAlert, error);
        }
      });
    });
    bulkSlot.replaceChildren(form);
  }

  function listView(items) {
    const head = ["tasks.taskTitle", "tasks.assignee", "tasks.due", "tasks.state", "tasks.plan"].map((k) => el("th", { scope: "col" }, t(k)));
    let all = null;
    if (manage) {
      all = el("input", { type: "checkbox", "aria-label": t("tasks.selectAll"), checked: items.length > 0 && items.every((x) => selected.has(x.id)) });
      all.addEventListener("change", () => {
        for (const task of items) all.checked ? selected.add(task.id) : selected.delete(task.id);
        results.querySelectorAll("input[data-task]").forEach((b) => (b.checked = all.checked));
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
        const box = el("input", { type: "checkbox", "data-task": task.id, checked: selected.has(task.id), "aria-label": t("tasks.select", undefined, { title: task.title }) });
        box.addEventListener("change", () => {
          box.checked ? selected.add(task.id) : selected.delete(task.id);
          if (all) all.checked = items.every((x) => selected.has(x.id));
          bulkBar();
        });
        cells.unshift(el("td", { class: "cell-check" }, box));
      }
      return el("tr", { class: task.overdue ? "row-overdue" : "" }, cells);
    });
    return tableRoles(
      el(
        "table",
        { class: "data-table responsive tasks-table" },
        el("caption", { class: "visually-hidden" }, t("tasks.title")),
        el("thead", {}, el("tr", {}, head)),
        el("tbody", {}, rows),
      ),
    );
  }

  let requestNo = 0;
  async function load() {
    const mine = ++requestNo;
    replaceQuery({
      plan: state.plan,
      unit: state.unit,
      status: state.status,
      mine: state.mine ? 1 : "",
      overdue: state.overdue ? 1 : "",
      week: state.week ? 1 : "",
      q: state.q,
      sort: state.sort === "due_on" ? "" : state.sort,
      view: state.view === "board" ? "board" : "",
      page: state.page > 1 ? state.page : "",
    });
    const board = state.view === "board";
    results.setAttribute("aria-busy", "true");
    let data;
    try {
      data = await listTasks({
        plan_id: state.plan,
        unit_id: state.unit,
        status: board ? "" : state.status,
        mine: state.mine ? "true" : "",
        overdue: state.overdue ? "true" : "",
        due_within_days: state.week ? 7 : "",
        q: state.q.trim(),
        sort: state.sort,
        limit: board ? 500 : PAGE_SIZE,
        offset: board ? 0 : (state.page - 1) * PAGE_SIZE,
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
    summary.textContent = t("tasks.total", undefined, { n: data.total });
    const pages = board ? 1 : Math.max(1, Math.ceil(data.total / PAGE_SIZE));
    if (!data.items.length) {
      const filtered = state.plan || state.unit || state.status || state.mine || state.overdue || state.week || state.q;
      results.replaceChildren(el("p", { class: "empty" }, filtered ? t("tasks.noMatch") : t("tasks.empty")));
    } else {
      results.replaceChildren(board ? boardView(data.items) : listView(data.items));
    }
    bulkBar();
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
    [planSelect, "plan"],
    [unitSelect, "unit"],
    [statusSelect, "status"],
    [sortSelect, "sort"],
  ]) {
    node.addEventListener("change", () => {
      state[key] = node.value;
      state.page = 1;
      selected.clear();
      load();
    });
  }
  await load();
  if (wantNew && manage) {
    await ready;
    openCreate();
  }
  return () => searchLater.cancel();
}
