// Status badges: each state reads in the same words and colour on every screen.
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { formatDate } from "../lib/format.js";

export function overdueBadge() {
  return el("span", { class: "badge badge-overdue" }, t("tasks.overdue"));
}

// A task's status, with "overdue" beside it when it is.
export function taskStatusBadge(task) {
  const wrap = el("span", { class: "badges" }, el("span", { class: `badge task-status task-status-${task.status}` }, t(`tasks.status.${task.status}`)));
  if (task.overdue) wrap.append(" ", overdueBadge());
  return wrap;
}

// "Hạn: 05/03/2025", or "no due date": the words beside a task's badge.
export function dueLabel(task) {
  if (!task.due_on) return t("tasks.noDue");
  return t("tasks.dueOn", { date: formatDate(task.due_on) });
}

export function planStatusBadge(status) {
  return el("span", { class: `badge plan-status plan-status-${status}` }, t(`plans.status.${status}`));
}

export function sessionStatusBadge(status) {
  const cls = status === "held" ? "badge badge-ok" : status === "cancelled" ? "badge badge-off" : "badge badge-info";
  return el("span", { class: cls }, t(`sessions.status.${status}`));
}

// A staff member working here, or no longer.
export function activeBadge(active) {
  return el("span", { class: active ? "badge badge-ok" : "badge badge-off" }, active ? t("people.active") : t("people.inactive"));
}

// A reflection's grade (Tốt, Khá, Đạt, Chưa đạt).
export function gradeBadge(grade) {
  return el("span", { class: `badge grade grade-${grade}` }, t(`reflections.grade.${grade}`));
}
