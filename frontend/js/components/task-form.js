// The task form: assigning a new task under a plan, or changing one (title, assignee, due date,
// section, priority, yearly recurrence, description). The hints are for the first time only.
import { createTask, updateTask } from "../api/tasks.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { orgId } from "../session.js";
import { field, input, select, messageSlot, showMessage, reportError, refuseLocally } from "../ui.js";
import { assigneePicker } from "./assignee-picker.js";
import { confirmPastDay, dateInput, readDate } from "./date-field.js";

const PRIORITIES = ["high", "normal", "low"];

// A plan picker's options, [id, "05/KH-THNBK — title…"], as select() takes them.
export function planOptions(plans) {
  return plans.map((p) => [p.id, `${p.symbol || t("plans.noNumber")} — ${p.title.length > 70 ? `${p.title.slice(0, 70)}…` : p.title}`]);
}

// task: the task to change, or null to assign a new one under one of `plans` (planId first).
// onSaved(task) after a success; returns { form, focus }.
export function taskForm({ task = null, plans = [], planId = null, staff, onSaved, onCancel = null }) {
  const creating = !task;
  const hint = (key) => (creating ? t(key) : null);
  let plan = null;
  if (creating) {
    const open = plans.filter((p) => p.status !== "closed" && p.organization_id === orgId());
    plan = select({ name: "plan_id" }, [["", t("tasks.choosePlan")], ...planOptions(open)], planId ?? (open.length === 1 ? open[0].id : ""));
  }
  const title = input({ name: "title", value: task?.title ?? "", maxlength: "300", autocomplete: "off" });
  const description = el("textarea", { class: "input", name: "description", rows: "3", maxlength: "10000" });
  description.value = task?.description || "";
  const section = input({ name: "section", value: task?.section || "", maxlength: "20", placeholder: creating ? "III.2" : null });
  const due = dateInput({ name: "due_on", value: task?.due_on || "", warnPast: true });
  const priority = select({ name: "priority" }, PRIORITIES.map((p) => [p, t(`tasks.priority.${p}`)]), task?.priority ?? "normal");
  const recurrence = select({ name: "recurrence" }, [["none", t("tasks.recurrence.none")], ["yearly", t("tasks.recurrence.yearly")]], task?.recurrence ?? "none");
  const who = assigneePicker({ ...staff, unitId: task?.assignee_unit_id, participantId: task?.assignee_participant_id, required: true });
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, creating ? t("tasks.create") : t("form.save"));
  let cancel = null;
  if (onCancel) {
    cancel = el("button", { type: "button", class: "button button-secondary" }, t("form.cancel"));
    cancel.addEventListener("click", onCancel);
  }
  const form = el(
    "form",
    { class: "stack", novalidate: true, "aria-label": creating ? t("tasks.newTitle") : null },
    plan ? field({ label: t("tasks.plan"), input: plan, required: true }) : null,
    field({ label: t("tasks.taskTitle"), input: title, required: true, hint: hint("tasks.titleHint") }),
    who.node,
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("tasks.due"), input: due }),
      field({ label: t("tasks.section"), input: section, hint: hint("tasks.sectionHint") }),
      field({ label: t("tasks.priorityLabel"), input: priority }),
      field({ label: t("tasks.recurrenceLabel"), input: recurrence, hint: hint("tasks.recurrenceHint") }),
    ),
    field({ label: t("tasks.description"), input: description }),
    alert,
    el("div", { class: "actions" }, submit, cancel),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    const dueOn = readDate(due);
    if (refuseLocally(form, alert, { due_on: dueOn.error })) return;
    if (dueOn.value !== (task?.due_on || null) && !confirmPastDay(dueOn.value, "tasks.confirmPastDue")) {
      due.focus();
      return;
    }
    const assignee = who.value();
    const body = {
      title: title.value.trim(),
      description: description.value.trim() || null,
      section: section.value.trim() || null,
      due_on: dueOn.value,
      priority: priority.value,
      recurrence: recurrence.value,
    };
    if (creating) {
      body.plan_id = plan.value ? Number(plan.value) : undefined;
      body.assignee_participant_id = assignee.participant;
      body.assignee_unit_id = assignee.unit;
    } else if (assignee.kind === "unit") {
      body.assignee_unit_id = assignee.unit;
    } else {
      body.assignee_participant_id = assignee.participant;
    }
    await busy(submit, async () => {
      try {
        onSaved(creating ? await createTask(body) : await updateTask(task.id, body));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return { form, focus: () => (plan && !plan.value ? plan : title).focus() };
}
