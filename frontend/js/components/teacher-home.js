// The teacher's home: the plans she has to confirm (with their materials and her reflection),
// her sessions and the check-in while one is open, her tasks. One screen for the signed-in
// teacher (views/teacher.js) and for the password-free personal link (views/link.js).
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { attendanceLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { downloadFile } from "../lib/download.js";
import { formatDate, formatDateTime, formatTime, formatTimeSpan } from "../lib/format.js";
import { messageSlot, showMessage } from "../ui.js";
import { gradeBadge } from "./badges.js";
import { checkinForm } from "./checkin-form.js";
import { reflectionForm } from "./reflection-form.js";

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

function pendingCard(plan, ops, rerender) {
  const alert = messageSlot("error");
  let action;
  const confirmed = (ack) => {
    plan.acknowledgement = ack;
    rerender({ planId: plan.id, text: t("teacher.confirmedNow") });
  };
  if (plan.closed) {
    action = el("p", { class: "notice notice-error" }, t("teacher.closed"));
  } else if (plan.reflection_required) {
    action = reflectionForm({
      plan,
      label: t("teacher.reflection"),
      submitLabel: t("teacher.confirm"),
      required: true,
      big: true,
      onSubmit: async (text) => confirmed(await ops.confirm(plan, text)),
    });
  } else {
    const button = el("button", { type: "button", class: "button button-big button-wide confirm-button" }, t("teacher.confirm"));
    button.addEventListener("click", async () => {
      showMessage(alert, "");
      try {
        confirmed(await busy(button, () => ops.confirm(plan, null)));
      } catch (error) {
        showMessage(alert, error.message);
      }
    });
    action = el("div", {}, button, el("p", { class: "hint" }, t("teacher.oneTap")), alert);
  }
  return el(
    "article",
    { class: "plan-card plan-pending", "aria-labelledby": `plan-${plan.id}` },
    el("p", { class: "plan-meta" }, [plan.symbol, plan.issuer_name].filter(Boolean).join(" · ")),
    el("h3", { id: `plan-${plan.id}`, class: "plan-title" }, plan.title),
    summaryBlock(plan),
    materialsList(plan, ops),
    action,
  );
}

function doneCard(plan, ops, rerender, flash) {
  const ack = plan.acknowledgement;
  const parts = [];
  if (ack.grade) {
    parts.push(
      el("p", { class: "reflection-state" }, t("teacher.graded"), " ", gradeBadge(ack.grade)),
      ack.grade_comment ? el("p", { class: "small" }, t("teacher.gradeComment"), " ", ack.grade_comment) : null,
    );
  } else if (ack.reflection) {
    parts.push(el("p", { class: "reflection-state" }, t("teacher.reflectionSent", { date: formatDate(ack.reflection_submitted_at || ack.confirmed_at) })));
  } else {
    parts.push(el("p", { class: "reflection-state muted" }, t("teacher.noReflection")));
  }
  if (!plan.closed && !ack.grade) {
    const form = reflectionForm({
      plan,
      initial: ack.reflection || "",
      label: t("teacher.reflection"),
      submitLabel: ack.reflection ? t("teacher.reflectionUpdate") : t("teacher.reflectionSend"),
      onSubmit: async (text) => {
        plan.acknowledgement = await ops.reflect(plan, text);
        rerender({ planId: plan.id, text: t("teacher.reflectionSaved") });
      },
    });
    parts.push(
      el(
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
    { class: "plan-card plan-done", "aria-labelledby": `plan-${plan.id}` },
    flash && flash.planId === plan.id ? el("p", { class: "notice notice-success flash", role: "status", tabindex: "-1" }, flash.text) : null,
    el("p", { class: "plan-meta" }, [plan.symbol, plan.issuer_name].filter(Boolean).join(" · ")),
    el("h3", { id: `plan-${plan.id}`, class: "plan-title" }, plan.title),
    el("p", { class: "done-line" }, ack.pending ? el("span", { class: "badge badge-pending-send" }, `⏳ ${t("offline.pending")}`) : el("span", { class: "badge badge-ok" }, `✓ ${t("teacher.confirmed")}`), " ", t("teacher.confirmedOn", { date: formatDateTime(ack.confirmed_at) })),
    ...parts,
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

function tasksSection(home, ops) {
  const shown = home.tasks.slice(0, 5);
  const overdue = home.tasks.filter((task) => task.overdue).length;
  return el(
    "section",
    { class: "card", "aria-labelledby": "my-tasks" },
    el("h2", { id: "my-tasks" }, t("teacher.tasks")),
    home.tasks.length
      ? el("p", { class: "summary" }, t("teacher.tasksCount", { n: home.tasks.length }), overdue ? el("span", { class: "badge badge-bad" }, ` ${t("teacher.overdueCount", { n: overdue })}`) : null)
      : el("p", { class: "muted" }, t("teacher.noTasks")),
    shown.length
      ? el(
          "ul",
          { class: "item-list" },
          shown.map((task) =>
            el(
              "li",
              { class: "my-task" },
              ops.signedIn ? el("a", { href: `#/tasks/${task.id}`, class: "list-title" }, task.title) : el("span", { class: "list-title" }, task.title),
              el(
                "div",
                { class: "small muted" },
                task.due_on ? t("teacher.due", { date: formatDate(task.due_on) }) : t("teacher.noDue"),
                task.assigned_to_unit ? ` · ${task.assigned_to_unit}` : "",
                task.overdue ? el("span", { class: "badge badge-bad" }, t("teacher.overdue")) : null,
              ),
            ),
          ),
        )
      : null,
    ops.signedIn
      ? el("p", {}, el("a", { href: "#/tasks/mine", class: "button button-secondary" }, t("teacher.allTasks")))
      : shown.length
        ? el("p", { class: "small muted" }, t("teacher.tasksNeedLogin"))
        : null,
  );
}

// Build the whole home from TeacherHome;
// ops = { confirm, reflect, checkin, materialPath, signedIn, checkinLink }.
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
    const done = home.plans.filter((p) => p.acknowledgement);
    const closed = home.plans.filter((p) => !p.acknowledgement && p.closed);
    const person = home.person;
    const sub = [person.position, ...person.units, person.organization_name].filter(Boolean).join(" · ");
    // While a session takes check-ins she has not made, that comes first: its code changes fast.
    const checkinFirst = home.sessions.some((s) => s.checkin_open && !["present", "late"].includes(s.my_status));
    const sessions = sessionsSection(home, ops, rerender);
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
      ),
      flash.checkin ? el("p", { class: "notice notice-success checkin-flash", role: "status", tabindex: "-1" }, flash.checkin) : null,
      checkinFirst ? sessions : null,
      pending.length
        ? el(
            "section",
            { "aria-labelledby": "to-confirm", class: "plan-group" },
            el("h2", { id: "to-confirm" }, t("teacher.toConfirm")),
            pending.map((p) => pendingCard(p, ops, rerender)),
          )
        : null,
      done.length
        ? el(
            "section",
            { "aria-labelledby": "confirmed", class: "plan-group" },
            el("h2", { id: "confirmed" }, t("teacher.confirmedPlans")),
            done.map((p) => doneCard(p, ops, rerender, flash)),
          )
        : null,
      !home.plans.length ? el("p", { class: "card muted" }, t("teacher.noPlans")) : null,
      closed.length ? el("p", { class: "small muted" }, t("teacher.closedCount", { n: closed.length })) : null,
      checkinFirst ? null : sessions,
      tasksSection(home, ops),
    );
  }
  rerender();
}
