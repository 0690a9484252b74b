// My tasks, phone first: what is overdue, what to do next, big buttons to move each one along,
// and "done" with a link or a note as evidence in the same step.
import { listTasks, setTaskStatus, addEvidence } from "../api/tasks.js";
import { taskStatusBadge, dueLabel } from "../components/badges.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { can, currentMe } from "../session.js";
import { field, input, messageSlot, showMessage, reportError, pageHeader, loading } from "../ui.js";

// Done from "to do" goes through "in progress", the way every assignee may move it (a
// manager could jump, but these are the caller's own tasks and the two steps say what happened).
async function markDone(task) {
  if (task.status === "todo") await setTaskStatus(task.id, "in_progress");
  return setTaskStatus(task.id, "done");
}

function doneForm(task, onDone) {
  const url = input({ name: "url", type: "url", inputmode: "url", placeholder: "https://", maxlength: "1000", autocomplete: "off" });
  const note = el("textarea", { class: "input", name: "note", rows: "2", maxlength: "4000" });
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button button-big" }, t("tasks.confirmDone"));
  const form = el(
    "form",
    { class: "done-form", novalidate: true, "aria-label": t("tasks.doneFormLabel", { title: task.title }) },
    el("p", { class: "small" }, t("tasks.doneLead")),
    field({ label: t("tasks.evidenceLink"), input: url, hint: t("tasks.evidenceLinkHint") }),
    field({ label: t("tasks.evidenceNote"), input: note }),
    alert,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    const link = url.value.trim();
    const text = note.value.trim();
    await busy(submit, async () => {
      try {
        if (link) await addEvidence(task.id, { kind: "link", url: link, note: text || null });
        else if (text) await addEvidence(task.id, { kind: "note", note: text });
        onDone(await markDone(task));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return { form, focus: () => url.focus() };
}

function card(task, onChange) {
  const alert = messageSlot("error");
  const slot = el("div");
  const buttons = el("div", { class: "big-actions" });
  const closed = task.plan_status === "closed";
  if (!closed && (task.status === "todo" || task.status === "in_progress")) {
    if (task.status === "todo") {
      const start = el("button", { type: "button", class: "button button-secondary button-big" }, t("tasks.start"));
      start.addEventListener("click", () =>
        busy(start, async () => {
          try {
            onChange(await setTaskStatus(task.id, "in_progress"), t("tasks.started"));
          } catch (error) {
            showMessage(alert, error.message);
          }
        }),
      );
      buttons.append(start);
    }
    const done = el("button", { type: "button", class: "button button-big", "aria-expanded": "false" }, t("tasks.markDone"));
    done.addEventListener("click", () => {
      if (slot.childNodes.length) {
        slot.replaceChildren();
        done.setAttribute("aria-expanded", "false");
        return;
      }
      const { form, focus } = doneForm(task, (updated) => onChange(updated, t("tasks.doneSaved", { title: task.title })));
      slot.replaceChildren(form);
      done.setAttribute("aria-expanded", "true");
      focus();
    });
    buttons.append(done);
  }
  const evidence = task.evidence_counts;
  const evidenceText = [
    evidence.accepted ? t("tasks.evAccepted", { n: evidence.accepted }) : "",
    evidence.pending ? t("tasks.evPending", { n: evidence.pending }) : "",
    evidence.returned ? t("tasks.evReturned", { n: evidence.returned }) : "",
  ].filter(Boolean);
  return el(
    "li",
    { class: task.overdue ? "my-task is-overdue" : `my-task my-task-${task.status}` },
    el("div", { class: "my-task-head" }, el("a", { href: `#/tasks/${task.id}`, class: "my-task-title" }, task.title), taskStatusBadge(task)),
    el("p", { class: task.overdue ? "my-task-due due-overdue" : "my-task-due" }, dueLabel(task)),
    el(
      "p",
      { class: "small muted" },
      task.assignee_unit_id ? t("tasks.forUnit", { unit: task.assignee_name }) : t("tasks.forPerson", { name: task.assignee_name }),
      " · ",
      task.plan_symbol || t("plans.noNumber"),
    ),
    evidenceText.length ? el("p", { class: "small" }, `${t("tasks.evidence")}: ${evidenceText.join(", ")}`) : null,
    closed ? el("p", { class: "small muted" }, t("tasks.planClosed")) : null,
    buttons.childNodes.length ? buttons : null,
    slot,
    alert,
  );
}

export async function render(outlet) {
  const status = messageSlot("status");
  const body = el("div", {}, loading());
  const actions = can("tasks:read") ? [el("a", { class: "button button-secondary", href: "#/tasks" }, t("tasks.allTasksLink"))] : [];
  outlet.replaceChildren(
    el(
      "section",
      { class: "card my-tasks" },
      pageHeader(t("tasks.mineTitle"), ...actions),
      el("p", { class: "muted" }, t("tasks.mineLead")),
      status,
      body,
    ),
  );
  if (!currentMe()?.user.participant_id) {
    body.replaceChildren(el("p", { class: "empty" }, t("tasks.noParticipant")));
    return;
  }

  let items = [];
  async function load(message) {
    try {
      const data = await listTasks({ mine: "true", sort: "due_on", limit: 500 });
      items = data.items;
    } catch (error) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, error.message));
      return;
    }
    draw();
    if (message) showMessage(status, message, "success");
  }

  function onChange(updated, message) {
    items = items.map((x) => (x.id === updated.id ? updated : x));
    draw();
    showMessage(status, message, "success");
  }

  function group(title, list, opts = {}) {
    if (!list.length) return null;
    const content = el("ul", { class: "my-task-list" }, list.map((task) => card(task, onChange)));
    if (opts.collapsed) {
      return el("details", { class: "my-group" }, el("summary", {}, `${title} (${list.length})`), content);
    }
    return el("section", { class: "my-group" }, el("h2", { class: opts.bad ? "error" : "" }, `${title} (${list.length})`), content);
  }

  function draw() {
    const overdue = items.filter((x) => x.overdue);
    const open = items.filter((x) => !x.overdue && (x.status === "todo" || x.status === "in_progress"));
    const done = items.filter((x) => x.status === "done");
    if (!items.length) {
      body.replaceChildren(el("p", { class: "empty" }, t("tasks.mineEmpty")));
      return;
    }
    body.replaceChildren(
      ...[
      group(t("tasks.groupOverdue"), overdue, { bad: true }),
      group(t("tasks.groupOpen"), open),
      !overdue.length && !open.length ? el("p", { class: "notice notice-success" }, t("tasks.allDone")) : null,
      group(t("tasks.groupDone"), done, { collapsed: true }),
      ].filter(Boolean),
    );
  }
  await load();
}
