// One task: its facts, the status moves the caller may make, evidence (link, note, file) and
// its review, and for managers the edit form.
import {
  getTask,
  setTaskStatus,
  addEvidence,
  addEvidenceFile,
  reviewEvidence,
  removeEvidence,
  downloadEvidence,
} from "../api/tasks.js";
import { loadStaff } from "../components/assignee-picker.js";
import { taskStatusBadge } from "../components/badges.js";
import { taskForm } from "../components/task-form.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, formatDateTime } from "../lib/format.js";
import { can, currentMe } from "../session.js";
import { field, input, nextId, messageSlot, showMessage, reportError, confirmAction, loading } from "../ui.js";

const MOVE_LABEL = {
  in_progress: "tasks.move.in_progress",
  done: "tasks.move.done",
  cancelled: "tasks.move.cancelled",
  todo: "tasks.move.todo",
};

function fact(label, value) {
  return [el("dt", {}, label), el("dd", {}, value == null || value === "" ? "—" : value)];
}

function facts(task) {
  return el(
    "dl",
    { class: "facts task-facts" },
    fact(t("tasks.plan"), el("a", { href: `#/plans/${task.plan_id}` }, `${task.plan_symbol || t("plans.noNumber")} — ${task.plan_title}`)),
    fact(t("tasks.assignee"), task.assignee_unit_id ? `${task.assignee_name} (${t("tasks.assign.unit").toLocaleLowerCase()})` : task.assignee_name),
    fact(t("tasks.due"), task.due_on ? el("span", { class: task.overdue ? "due-overdue" : "" }, formatDate(task.due_on)) : t("tasks.noDue")),
    fact(t("tasks.section"), task.section),
    fact(t("tasks.priorityLabel"), t(`tasks.priority.${task.priority}`)),
    task.recurrence === "yearly" ? fact(t("tasks.recurrenceLabel"), t("tasks.recurrence.yearly")) : null,
    task.completed_at ? fact(t("tasks.completedAt"), formatDateTime(task.completed_at)) : null,
    task.description ? fact(t("tasks.description"), el("span", { class: "pre-line" }, task.description)) : null,
  );
}

function statusCard(task, onChange) {
  const alert = messageSlot("error");
  const parts = [el("p", {}, t("tasks.currentStatus"), " ", taskStatusBadge(task))];
  if (task.plan_status === "closed") {
    parts.push(el("p", { class: "notice notice-info" }, t("tasks.planClosed")));
  } else {
    const moves = task.allowed_moves;
    if (moves.length) {
      const note = input({ name: "note", maxlength: "2000", autocomplete: "off" });
      const buttons = moves.map((target) => {
        const label = target === "todo" && task.status === "cancelled" ? t("tasks.move.reopen") : t(MOVE_LABEL[target]);
        const cls = target === "cancelled" ? "button button-danger button-big" : target === "done" ? "button button-big" : "button button-secondary button-big";
        const node = el("button", { type: "button", class: cls }, label);
        node.addEventListener("click", async () => {
          if (target === "cancelled" && !confirmAction(t("tasks.confirmCancel"))) return;
          await busy(node, async () => {
            try {
              onChange(await setTaskStatus(task.id, target, note.value.trim() || null), t("tasks.statusSaved", { status: t(`tasks.status.${target}`) }));
            } catch (error) {
              showMessage(alert, error.message);
            }
          });
        });
        return node;
      });
      parts.push(field({ label: t("tasks.statusNote"), input: note, hint: t("tasks.statusNoteHint") }), el("div", { class: "big-actions" }, buttons));
      if (task.status === "todo" && !moves.includes("done")) parts.push(el("p", { class: "hint" }, t("tasks.startFirst")));
    }
  }
  parts.push(alert);
  return el("section", { class: "card", "aria-labelledby": "task-status-title" }, el("h2", { id: "task-status-title" }, t("tasks.statusTitle")), ...parts);
}

const REVIEW_CLASS = { pending: "badge badge-pending", accepted: "badge badge-ok", returned: "badge badge-overdue" };

function evidenceItem(task, evidence, { manage, closed, onChange, alert }) {
  const me = currentMe()?.user;
  let content;
  if (evidence.kind === "link") {
    content = el("a", { href: evidence.url, target: "_blank", rel: "noopener noreferrer", class: "evidence-link" }, evidence.url);
  } else if (evidence.kind === "file") {
    const get = el("button", { type: "button", class: "button button-secondary" }, `${t("tasks.download")}: ${evidence.file_name || ""}`);
    get.addEventListener("click", () => busy(get, () => downloadEvidence(task.id, evidence.id, evidence.file_name).catch((e) => showMessage(alert, e.message))));
    content = get;
  }
  const tools = el("div", { class: "list-actions" });
  const reviewSlot = el("div");
  if (manage && !closed) {
    if (evidence.review_status !== "accepted") {
      const accept = el("button", { type: "button", class: "button" }, t("tasks.accept"));
      accept.addEventListener("click", () =>
        busy(accept, async () => {
          try {
            await reviewEvidence(task.id, evidence.id, "accept");
            onChange(null, t("tasks.accepted"));
          } catch (error) {
            showMessage(alert, error.message);
          }
        }),
      );
      tools.append(accept);
    }
    if (evidence.review_status !== "returned") {
      const back = el("button", { type: "button", class: "button button-secondary", "aria-expanded": "false" }, t("tasks.return"));
      back.addEventListener("click", () => {
        if (reviewSlot.childNodes.length) {
          reviewSlot.replaceChildren();
          back.setAttribute("aria-expanded", "false");
          return;
        }
        back.setAttribute("aria-expanded", "true");
        const comment = el("textarea", { class: "input", name: "comment", rows: "2", maxlength: "2000" });
        const send = el("button", { type: "submit", class: "button" }, t("tasks.returnSend"));
        const formAlert = messageSlot("error");
        const form = el("form", { class: "stack subcard", novalidate: true }, field({ label: t("tasks.returnComment"), input: comment, required: true, hint: t("tasks.returnHint") }), formAlert, send);
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          await busy(send, async () => {
            try {
              await reviewEvidence(task.id, evidence.id, "return", comment.value.trim());
              onChange(null, t("tasks.returned"));
            } catch (error) {
              reportError(form, formAlert, error);
            }
          });
        });
        reviewSlot.replaceChildren(form);
        comment.focus();
      });
      tools.append(back);
    }
  }
  const own = me && evidence.submitted_by_user_id === me.id;
  if (!closed && (manage || (own && evidence.review_status !== "accepted"))) {
    const remove = el("button", { type: "button", class: "button button-danger" }, t("tasks.removeEvidence"));
    remove.addEventListener("click", async () => {
      if (!confirmAction(t("tasks.confirmRemoveEvidence"))) return;
      await busy(remove, async () => {
        try {
          await removeEvidence(task.id, evidence.id);
          onChange(null, t("tasks.evidenceRemoved"));
        } catch (error) {
          showMessage(alert, error.message);
        }
      });
    });
    tools.append(remove);
  }
  return el(
    "li",
    { class: `evidence evidence-${evidence.review_status}` },
    el(
      "div",
      { class: "evidence-head" },
      el("span", { class: "tag" }, t(`tasks.evidenceKind.${evidence.kind}`)),
      el("span", { class: REVIEW_CLASS[evidence.review_status] }, t(`tasks.review.${evidence.review_status}`)),
    ),
    content,
    evidence.note ? el("p", { class: "pre-line" }, evidence.note) : null,
    el("p", { class: "small muted" }, t("tasks.submittedBy", { name: evidence.submitted_by_name || "—", when: formatDateTime(evidence.created_at) })),
    evidence.review_comment
      ? el("p", { class: "review-comment" }, el("strong", {}, `${t("tasks.reviewComment")}: `), evidence.review_comment)
      : null,
    evidence.reviewed_at ? el("p", { class: "small muted" }, t("tasks.reviewedAt", { when: formatDateTime(evidence.reviewed_at) })) : null,
    tools.childNodes.length ? tools : null,
    reviewSlot,
  );
}

function addEvidenceForm(task, onChange) {
  const alert = messageSlot("error");
  const kindName = nextId("evkind");
  let kind = "link";
  const radios = ["link", "note", "file"].map((k) => {
    const id = nextId("evkind");
    return el("div", { class: "check" }, el("input", { type: "radio", name: kindName, id, value: k, checked: k === kind }), el("label", { for: id }, t(`tasks.evidenceKind.${k}`)));
  });
  const url = input({ name: "url", type: "url", inputmode: "url", placeholder: "https://", maxlength: "1000", autocomplete: "off" });
  const note = el("textarea", { class: "input", name: "note", rows: "3", maxlength: "4000" });
  const fileInput = el("input", { type: "file", name: "file", class: "file-input" });
  const fileName = el("span", { class: "file-name", "aria-hidden": "true" }, t("plans.noFile"));
  const urlField = field({ label: t("tasks.evidenceUrl"), input: url, required: true, hint: t("tasks.evidenceLinkHint") });
  const fileField = field({ label: t("tasks.evidenceFile"), input: fileInput, hint: t("plans.fileHint") });
  fileInput.after(
    el("div", { class: "file-picker" }, el("label", { for: fileInput.id, class: "button button-secondary file-button", "aria-hidden": "true" }, t("plans.chooseFile")), fileName),
  );
  fileInput.addEventListener("change", () => (fileName.textContent = fileInput.files[0]?.name || t("plans.noFile")));
  const noteLabel = el("span", {}, t("tasks.evidenceNoteOptional"));
  const noteField = field({ label: noteLabel, input: note });
  const submit = el("button", { type: "submit", class: "button" }, t("tasks.addEvidence"));
  function sync() {
    urlField.hidden = kind !== "link";
    fileField.hidden = kind !== "file";
    noteLabel.textContent = kind === "note" ? t("tasks.evidenceNoteText") : t("tasks.evidenceNoteOptional");
  }
  sync();
  const form = el(
    "form",
    { class: "stack", novalidate: true, "aria-label": t("tasks.addEvidenceTitle") },
    el("fieldset", { class: "field" }, el("legend", {}, t("tasks.evidenceKindLabel")), el("div", { class: "radio-row" }, radios)),
    urlField,
    fileField,
    noteField,
    alert,
    el("div", { class: "actions" }, submit),
  );
  form.addEventListener("change", (event) => {
    if (event.target.name === kindName) {
      kind = event.target.value;
      sync();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    const text = note.value.trim();
    await busy(submit, async () => {
      try {
        if (kind === "file") {
          const file = fileInput.files[0];
          if (!file) {
            showMessage(alert, t("plans.noFileChosen"));
            return;
          }
          await addEvidenceFile(task.id, file, text);
        } else if (kind === "link") {
          await addEvidence(task.id, { kind: "link", url: url.value.trim() || null, note: text || null });
        } else {
          await addEvidence(task.id, { kind: "note", note: text || null });
        }
        onChange(null, t("tasks.evidenceAdded"));
      } catch (error) {
        // "a link needs its url" / "a note needs its text" come as whole-body errors.
        const errors = (error.fieldErrors || []).map((e) =>
          /url/.test(e.message || "") && !/^body\.url/.test(e.field) ? { ...e, field: "body.url", type: "missing" } :
          /note/.test(e.message || "") && !/^body\.note/.test(e.field) ? { ...e, field: "body.note", type: "missing" } : e,
        );
        error.fieldErrors = errors;
        reportError(form, alert, error);
      }
    });
  });
  return form;
}

function evidenceCard(task, manage, onChange) {
  const alert = messageSlot("error");
  const closed = task.plan_status === "closed";
  const list = task.evidence.length
    ? el("ul", { class: "evidence-list" }, task.evidence.map((e) => evidenceItem(task, e, { manage, closed, onChange, alert })))
    : el("p", { class: "empty" }, t("tasks.noEvidence"));
  return el(
    "section",
    { class: "card", "aria-labelledby": "task-evidence-title" },
    el("h2", { id: "task-evidence-title" }, t("tasks.evidence")),
    alert,
    list,
    closed || !task.may_work ? null : el("div", { class: "subcard" }, el("h3", {}, t("tasks.addEvidenceTitle")), addEvidenceForm(task, onChange)),
  );
}

function editCard(task, staff, onChange) {
  const { form } = taskForm({ task, staff, onSaved: (updated) => onChange(updated, t("form.saved")) });
  return el("details", { class: "card edit-details" }, el("summary", {}, el("h2", {}, t("tasks.edit"))), form);
}

export async function render(outlet, { id }) {
  const backHref = can("tasks:read") ? "#/tasks" : "#/tasks/mine";
  const back = el("p", { class: "back" }, el("a", { href: backHref }, `← ${can("tasks:read") ? t("tasks.back") : t("tasks.backMine")}`));
  outlet.replaceChildren(back, el("section", { class: "card" }, loading()));
  let task;
  try {
    task = await getTask(id);
  } catch (error) {
    outlet.replaceChildren(back, el("section", { class: "card" }, el("h1", {}, t("tasks.title")), el("p", { class: "error", role: "alert" }, error.message)));
    return;
  }
  const manage = task.may_manage;
  let staff = null;
  const flash = messageSlot("status");

  async function onChange(updated, message) {
    try {
      task = await getTask(id);
    } catch (error) {
      showMessage(flash, error.message, "error");
      return;
    }
    draw();
    showMessage(flash, message, "success");
  }

  async function draw() {
    document.title = `${task.title} — Lan Tỏa`;
    const head = el(
      "section",
      { class: "card" },
      el("h1", {}, task.title),
      el("p", {}, taskStatusBadge(task)),
      flash,
      facts(task),
    );
    const cards = [head, statusCard(task, onChange), evidenceCard(task, manage, onChange)];
    outlet.replaceChildren(back, ...cards);
    if (manage && task.plan_status !== "closed") {
      staff ??= await loadStaff(task.organization_id);
      outlet.append(editCard(task, staff, onChange));
    }
  }
  await draw();
  return () => {};
}

