// The teacher's home: the plans she has to confirm (one tap near the top; with their materials
// and, when a plan wants it so, her reflection), the reflections due later with their deadline,
// her sessions and the check-in while one is open, her tasks. One screen for the signed-in
// teacher (views/teacher.js) and for the password-free personal link (views/link.js).
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { attendanceLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { downloadFile } from "../lib/download.js";
import { draftKey } from "../lib/drafts.js";
import { formatDate, formatDateTime, formatTime, formatTimeSpan } from "../lib/format.js";
import { messageSlot, showMessage } from "../ui.js";
import { gradeBadge, taskStatusBadge } from "./badges.js";
import { checkinForm } from "./checkin-form.js";
import { deadlineLine, deadlineText, dueLater, minHint, needsReflectionToConfirm, reflectionDue, reflectionForm } from "./reflection-form.js";

const SUMMARY_CUT = 320;

function materialsList(plan, ops) {
  if (!plan.materials.length) return null;
  return el(
    "div",
    { class: "materials" },
    el("h4", {}, t("teacher.materials")),
    el(
      "ul",
      { class: "material-list" },
      plan.materials.map((m) => {
        let target;
        if (m.kind === "link" && m.url) {
          target = el("a", { href: m.url, target: "_blank", rel: "noopener noreferrer", class: "material-link" }, m.title);
        } else if (m.kind === "file") {
          target = el("button", { type: "button", class: "link-button material-link" }, m.title, m.file_name ? ` (${m.file_name})` : "");
          target.addEventListener("click", async () => {
            try {
              await busy(target, () => downloadFile(ops.materialPath(plan.id, m.id), m.file_name || "tai-lieu"));
            } catch (error) {
              window.alert(error.message);
            }
          });
        } else {
          target = el("span", { class: "material-link" }, m.title);
        }
        return el("li", {}, target, m.summary ? el("div", { class: "small muted" }, m.summary) : null);
      }),
    ),
  );
}

function summaryBlock(plan) {
  const text = plan.summary || "";
  if (!text) return null;
  if (text.length <= SUMMARY_CUT) return el("p", { class: "plan-summary" }, text);
  const short = `${text.slice(0, SUMMARY_CUT).replace(/\s+\S*$/, "")}…`;
  const body = el("p", { class: "plan-summary" }, short);
  const more = el("button", { type: "button", class: "link-button", "aria-expanded": "false" }, t("teacher.readMore"));
  more.addEventListener("click", () => {
    const open = more.getAttribute("aria-expanded") === "true";
    body.textContent = open ? short : text;
    more.setAttribute("aria-expanded", String(!open));
    more.textContent = open ? t("teacher.readMore") : t("teacher.readLess");
  });
  return el("div", {}, body, more);
}

// Where the plan's quiz shows, if it has one (ops.quizEntry, filled once her standings come).
function quizSlot(plan, ops) {
  return ops.quizEntry ? el("div", { class: "quiz-slot", "data-plan": plan.id }, ops.quizEntry(plan)) : null;
}

function draftOf(home, plan) {
  return draftKey("reflection", home.person.id, plan.id);
}

// What she reads once the confirmation is recorded, where she tapped.
function confirmedText(plan) {
  return reflectionDue(plan) ? `${t("teacher.confirmedNow")} ${deadlineText(plan)}` : t("teacher.confirmedNow");
}

// The one-tap confirmation; `where` says where the flash that follows it shows.
function confirmButton(plan, ops, rerender, alert, where) {
  const button = el("button", { type: "button", class: "button button-big button-wide confirm-button" }, t("teacher.confirm"));
  button.addEventListener("click", async () => {
    showMessage(alert, "");
    try {
      plan.acknowledgement = await busy(button, () => ops.confirm(plan, null));
      rerender({ planId: plan.id, where, text: confirmedText(plan) });
    } catch (error) {
      showMessage(alert, error.message);
    }
  });
  return button;
}

// Near the top of her page, whatever else is open: one tap per plan to confirm, or the way
// to the reflection a plan wants with its confirmation.
function quickConfirm(pending, ops, rerender) {
  const open = pending.filter((p) => !p.closed);
  if (!open.length) return null;
  return el(
    "div",
    { class: "quick-confirm" },
    open.map((plan) => {
      const alert = messageSlot("error");
      const name = el("p", { class: "quick-plan", id: `quick-${plan.id}` }, [plan.symbol, plan.title].filter(Boolean).join(" · "));
      let action;
      if (needsReflectionToConfirm(plan)) {
        action = el("button", { type: "button", class: "button button-secondary button-wide", "aria-describedby": name.id }, t("teacher.writeToConfirm"));
        action.addEventListener("click", () => {
          const area = document.querySelector(`#confirm-form-${plan.id} textarea`);
          if (area) {
            area.scrollIntoView({ block: "center" });
            area.focus({ preventScroll: true });
          }
        });
      } else {
        action = confirmButton(plan, ops, rerender, alert, "top");
        action.setAttribute("aria-describedby", name.id);
      }
      const later = dueLater(plan) && plan.reflection_required ? el("p", { class: "hint" }, t("teacher.reflectionLater"), " ", deadlineText(plan)) : null;
      return el("div", { class: "quick-item" }, name, action, later, alert);
    }),
  );
}

function pendingCard(plan, ops, rerender, draft) {
  const alert = messageSlot("error");
  let action;
  if (plan.closed) {
    action = el("p", { class: "notice notice-error" }, t("teacher.closed"));
  } else if (needsReflectionToConfirm(plan)) {
    action = reflectionForm({
      plan,
      id: `confirm-form-${plan.id}`,
      label: t("teacher.reflection"),
      submitLabel: t("teacher.confirm"),
      required: true,
      big: true,
      hint: t("teacher.reflectionRequired", { min: Math.max(plan.reflection_min_length, 1) }),
      draftKey: draft,
      onSubmit: async (text) => {
        plan.acknowledgement = await ops.confirm(plan, text);
        rerender({ planId: plan.id, text: t("teacher.confirmedNow") });
      },
    });
  } else {
    const hint = dueLater(plan) && plan.reflection_required ? `${t("teacher.reflectionLater")} ${deadlineText(plan)}` : t("teacher.oneTap");
    action = el("div", {}, confirmButton(plan, ops, rerender, alert, "card"), el("p", { class: "hint" }, hint), alert);
  }
  return el(
    "article",
    { class: "plan-card plan-pending", "aria-labelledby": `plan-${plan.id}` },
    el("p", { class: "plan-meta" }, [plan.symbol, plan.issuer_name].filter(Boolean).join(" · ")),
    el("h3", { id: `plan-${plan.id}`, class: "plan-title" }, plan.title),
    summaryBlock(plan),
    materialsList(plan, ops),
    action,
    quizSlot(plan, ops),
  );
}

function doneCard(plan, ops, rerender, flash, draft) {
  const ack = plan.acknowledgement;
  const due = reflectionDue(plan);
  const parts = [];
  if (ack.grade) {
    parts.push(
      el("p", { class: "reflection-state" }, t("teacher.graded"), " ", gradeBadge(ack.grade)),
      ack.grade_comment ? el("p", { class: "small" }, t("teacher.gradeComment"), " ", ack.grade_comment) : null,
    );
  } else if (ack.reflection) {
    parts.push(el("p", { class: "reflection-state" }, t("teacher.reflectionSent", { date: formatDate(ack.reflection_submitted_at || ack.confirmed_at) })));
  } else if (due) {
    parts.push(deadlineLine(plan));
  } else {
    parts.push(el("p", { class: "reflection-state muted" }, t("teacher.noReflection")));
  }
  if (!plan.closed && !ack.grade) {
    const form = reflectionForm({
      plan,
      initial: ack.reflection || "",
      label: t("teacher.reflection"),
      submitLabel: ack.reflection ? t("teacher.reflectionUpdate") : t("teacher.reflectionSend"),
      required: due,
      hint: minHint(plan),
      draftKey: draft,
      onSubmit: async (text) => {
        plan.acknowledgement = await ops.reflect(plan, text);
        rerender({ planId: plan.id, text: t("teacher.reflectionSaved") });
      },
    });
    // Due: the form is open. Otherwise it waits behind its summary.
    parts.push(
      due
        ? form
        : el(
            "details",
            { class: "reflection-details" },
            el("summary", {}, ack.reflection ? t("teacher.reflectionEdit") : t("teacher.reflectionWrite")),
            form,
          ),
    );
  }
  const mats = materialsList(plan, ops);
  return el(
    "article",
    { class: due ? "plan-card plan-done plan-reflection-due" : "plan-card plan-done", "aria-labelledby": `plan-${plan.id}` },
    flash.where !== "top" && flash.planId === plan.id ? el("p", { class: "notice notice-success flash", role: "status", tabindex: "-1" }, flash.text) : null,
    el("p", { class: "plan-meta" }, [plan.symbol, plan.issuer_name].filter(Boolean).join(" · ")),
    el("h3", { id: `plan-${plan.id}`, class: "plan-title" }, plan.title),
    el("p", { class: "done-line" }, ack.pending ? el("span", { class: "badge badge-pending-send" }, `⏳ ${t("offline.pending")}`) : el("span", { class: "badge badge-ok" }, `✓ ${t("teacher.confirmed")}`), " ", t("teacher.confirmedOn", { date: formatDateTime(ack.confirmed_at) })),
    ...parts,
    quizSlot(plan, ops),
    mats ? el("details", { class: "materials-details" }, el("summary", {}, t("teacher.materials")), mats) : null,
  );
}

function sessionItem(s) {
  const mark = s.status === "cancelled"
    ? el("span", { class: "badge badge-off" }, t("sessions.status.cancelled"))
    : el("span", { class: `badge att att-${s.my_status || "none"}` }, attendanceLabel(s.my_status));
  return el(
    "li",
    { class: `my-session${s.status === "cancelled" ? " is-cancelled" : ""}` },
    el("div", { class: "my-session-head" }, el("strong", {}, s.title), mark),
    el("div", { class: "small" }, formatTimeSpan(s.starts_at, s.ends_at)),
    s.place ? el("div", { class: "small muted" }, `${t("sessions.place")}: ${s.place}`) : null,
    s.online_url ? el("div", { class: "small" }, el("a", { href: s.online_url, target: "_blank", rel: "noopener noreferrer" }, t("sessions.joinOnline"))) : null,
    s.presenter ? el("div", { class: "small muted" }, `${t("sessions.presenter")}: ${s.presenter}`) : null,
  );
}

function sessionsSection(home, ops, rerender) {
  const now = Date.now();
  const upcoming = home.sessions.filter((s) => new Date(s.ends_at).getTime() >= now);
  const past = home.sessions.filter((s) => new Date(s.ends_at).getTime() < now).reverse();
  const open = home.sessions.filter((s) => s.checkin_open && !["present", "late"].includes(s.my_status));
  let checkinBox = null;
  if (open.length) {
    checkinBox = el(
      "div",
      { class: "checkin-box" },
      el("p", { class: "checkin-open" }, t("teacher.checkinOpen", { title: open.map((s) => s.title).join("; ") })),
      checkinForm({
        onSubmit: async (code) => {
          const result = await ops.checkin(code);
          const found = home.sessions.find((s) => s.id === result.session_id);
          if (found) found.my_status = result.status;
          rerender({ checkin: t("checkin.done", { title: result.session_title, status: attendanceLabel(result.status), time: formatTime(result.recorded_at) }) });
          return null;
        },
      }),
    );
  }
  return el(
    "section",
    { class: "card", "aria-labelledby": "my-sessions" },
    el("h2", { id: "my-sessions" }, t("teacher.sessions")),
    checkinBox,
    upcoming.length ? el("ul", { class: "item-list" }, upcoming.map(sessionItem)) : el("p", { class: "muted" }, t("teacher.noSessions")),
    past.length ? el("details", { class: "past-sessions" }, el("summary", {}, t("teacher.pastSessions", { n: past.length })), el("ul", { class: "item-list" }, past.map(sessionItem))) : null,
    ops.signedIn || ops.checkinLink ? el("p", { class: "small" }, el("a", { href: ops.checkinLink || "#/checkin" }, t("teacher.checkinPage"))) : null,
  );
}

// Her open tasks, counted by the statuses listed beside them.
function tasksSection(home, ops) {
  const shown = home.tasks.slice(0, 5);
  const byStatus = [["todo", "teacher.tasksTodo"], ["in_progress", "teacher.tasksDoing"]]
    .map(([status, key]) => [key, home.tasks.filter((task) => task.status === status).length])
    .filter(([, n]) => n)
    .map(([key, n]) => t(key, { n }));
  const overdue = home.tasks.filter((task) => task.overdue).length;
  return el(
    "section",
    { class: "card", "aria-labelledby": "my-tasks" },
    el("h2", { id: "my-tasks" }, t("teacher.tasks")),
    home.tasks.length
      ? el(
          "p",
          { class: "summary tasks-summary" },
          t("teacher.tasksCount", { n: home.tasks.length, parts: byStatus.join(", ") }),
          overdue ? el("span", { class: "badge badge-bad" }, t("teacher.overdueCount", { n: overdue })) : null,
        )
      : el("p", { class: "muted" }, t("teacher.noTasks")),
    shown.length
      ? el(
          "ul",
          { class: "item-list" },
          shown.map((task) =>
            el(
              "li",
              { class: "my-task" },
              el(
                "div",
                { class: "my-task-head" },
                ops.signedIn ? el("a", { href: `#/tasks/${task.id}`, class: "list-title" }, task.title) : el("span", { class: "list-title" }, task.title),
                taskStatusBadge(task),
              ),
              el(
                "div",
                { class: "small muted" },
                task.due_on ? t("teacher.due", { date: formatDate(task.due_on) }) : t("teacher.noDue"),
                task.assigned_to_unit ? ` · ${task.assigned_to_unit}` : "",
              ),
            ),
          ),
        )
      : null,
    home.tasks.length > shown.length ? el("p", { class: "small muted" }, t("teacher.moreTasks", { n: home.tasks.length - shown.length })) : null,
    ops.signedIn
      ? el("p", {}, el("a", { href: "#/tasks/mine", class: "button button-secondary" }, t("teacher.allTasks")))
      : shown.length
        ? el("p", { class: "small muted" }, t("teacher.tasksNeedLogin"))
        : null,
  );
}

// An in-page jump: the address keeps its route (the hash is the router's).
function jumpTo(id) {
  return (event) => {
    event.preventDefault();
    const target = document.getElementById(id);
    if (target) {
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }
  };
}

// Build the whole home from TeacherHome;
// ops = { confirm, reflect, checkin, materialPath, signedIn, checkinLink, historyLink, contestsLink,
//         quizEntry }.
export function teacherHome(container, home, ops) {
  function rerender(flash) {
    container.replaceChildren(build(flash));
    const target = container.querySelector(".flash") || container.querySelector(".checkin-flash");
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    }
  }
  function build(flash = {}) {
    const pending = home.plans.filter((p) => !p.acknowledgement && !p.closed);
    const due = home.plans.filter(reflectionDue);
    const done = home.plans.filter((p) => p.acknowledgement && !reflectionDue(p));
    const closed = home.plans.filter((p) => !p.acknowledgement && p.closed);
    const person = home.person;
    const sub = [person.position, ...person.units, person.organization_name].filter(Boolean).join(" · ");
    // While a session takes check-ins she has not made, that comes first: its code changes fast.
    const checkinFirst = home.sessions.some((s) => s.checkin_open && !["present", "late"].includes(s.my_status));
    const sessions = sessionsSection(home, ops, rerender);
    const card = (plan) => doneCard(plan, ops, rerender, flash, draftOf(home, plan));
    return el(
      "div",
      { class: "teacher-home" },
      el(
        "section",
        { class: "card hello-card" },
        el("h1", {}, t("teacher.hello", { name: person.full_name })),
        sub ? el("p", { class: "muted" }, sub) : null,
        el(
          "p",
          { class: pending.length ? "todo-line" : "todo-line todo-done" },
          pending.length ? t("teacher.pendingCount", { n: pending.length }) : t("teacher.allDone"),
        ),
        flash.where === "top" ? el("p", { class: "notice notice-success flash", role: "status", tabindex: "-1" }, flash.text) : null,
        quickConfirm(pending, ops, rerender),
        due.length ? el("p", { class: "todo-line" }, el("a", { href: "#reflections-due", class: "jump-link", onclick: jumpTo("reflections-due") }, t("teacher.reflectionsDueCount", { n: due.length }))) : null,
      ),
      flash.checkin ? el("p", { class: "notice notice-success checkin-flash", role: "status", tabindex: "-1" }, flash.checkin) : null,
      checkinFirst ? sessions : null,
      pending.length
        ? el(
            "section",
            { "aria-labelledby": "to-confirm", class: "plan-group" },
            el("h2", { id: "to-confirm" }, t("teacher.toConfirm")),
            pending.map((p) => pendingCard(p, ops, rerender, draftOf(home, p))),
          )
        : null,
      due.length
        ? el(
            "section",
            { "aria-labelledby": "reflections-due", class: "plan-group" },
            el("h2", { id: "reflections-due", tabindex: "-1" }, t("teacher.reflectionsDue")),
            due.map(card),
          )
        : null,
      done.length
        ? el(
            "section",
            { "aria-labelledby": "confirmed", class: "plan-group" },
            el("h2", { id: "confirmed" }, t("teacher.confirmedPlans")),
            done.map(card),
          )
        : null,
      !home.plans.length ? el("p", { class: "card muted" }, t("teacher.noPlans")) : null,
      closed.length ? el("p", { class: "small muted" }, t("teacher.closedCount", { n: closed.length })) : null,
      checkinFirst ? null : sessions,
      tasksSection(home, ops),
      el("p", { class: "small history-link" }, el("a", { href: ops.historyLink }, t("teacher.history"))),
      el("p", { class: "small contests-link" }, el("a", { href: ops.contestsLink }, t("teacher.contests"))),
      el("p", { class: "small privacy-link" }, el("a", { href: "#/privacy" }, t("teacher.privacy"))),
    );
  }
  rerender();
}
