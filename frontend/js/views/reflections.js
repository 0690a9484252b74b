// Grading reflections (bài thu hoạch): Tốt, Khá, Đạt, Chưa đạt, with a comment; admins may withdraw.
import { listAcknowledgements, gradeReflection, withdrawAcknowledgement } from "../api/acknowledgements.js";
import { listPlans } from "../api/plans.js";
import { gradeBadge } from "../components/badges.js";
import { listScreen } from "../components/list-screen.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDateTime } from "../lib/format.js";
import { currentQuery } from "../router.js";
import { can, currentMe, orgId } from "../session.js";
import { field, input, select, messageSlot, showMessage, reportError, confirmAction, pageHeader, nextId } from "../ui.js";

const GRADES = ["tot", "kha", "dat", "chua_dat"];
const PAGE_SIZE = 20;

// Who answers for what came through a personal link: the account that issued it.
function viaLink(key, linkId, issuer) {
  return linkId == null ? null : t(key, { name: issuer || t("reflections.unknownIssuer") });
}

function gradeForm(ack, onSaved) {
  const name = nextId("grade");
  const options = GRADES.map((g) => {
    const id = nextId("g");
    return el(
      "div",
      { class: "grade-option" },
      el("input", { type: "radio", name, id, value: g, checked: ack.grade === g }),
      el("label", { for: id, class: `grade-label grade-${g}` }, t(`reflections.grade.${g}`)),
    );
  });
  const comment = el("textarea", { class: "input", name: "comment", rows: "2", maxlength: "2000" });
  comment.value = ack.grade_comment || "";
  const submit = el("button", { type: "submit", class: "button" }, ack.grade ? t("reflections.regrade") : t("reflections.save"));
  const alert = messageSlot("error");
  const form = el(
    "form",
    { class: "grade-form", novalidate: true },
    el("fieldset", { class: "field grade-field" }, el("legend", {}, t("reflections.gradeLabel")), el("div", { class: "grade-options" }, options)),
    field({ label: t("reflections.comment"), input: comment }),
    alert,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector(`input[name="${name}"]:checked`);
    if (!chosen) {
      showMessage(alert, t("reflections.pickGrade"));
      return;
    }
    try {
      const saved = await busy(submit, () => gradeReflection(ack.id, chosen.value, comment.value.trim() || null));
      onSaved(saved);
    } catch (error) {
      reportError(form, alert, error);
    }
  });
  return form;
}

function withdrawForm(ack, onDone) {
  const reason = input({ name: "reason", maxlength: "500" });
  const submit = el("button", { type: "submit", class: "button button-danger" }, t("reflections.withdraw"));
  const alert = messageSlot("error");
  const form = el("form", { class: "stack", novalidate: true }, field({ label: t("reflections.withdrawReason"), input: reason, required: true, hint: t("reflections.withdrawHint") }), alert, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (reason.value.trim().length < 5) {
      reportError(form, alert, { fieldErrors: [{ field: "body.reason", type: "string_too_short", message: "at least 5 characters" }], message: "" });
      return;
    }
    if (!confirmAction(t("reflections.withdrawConfirm", { name: ack.participant_name }))) return;
    try {
      await busy(submit, () => withdrawAcknowledgement(ack.id, reason.value.trim()));
      onDone();
    } catch (error) {
      reportError(form, alert, error);
    }
  });
  return el("details", { class: "withdraw-details" }, el("summary", {}, t("reflections.withdrawTitle")), form);
}

export async function render(outlet) {
  const params = currentQuery();
  const state = {
    plan: params.get("plan") || "",
    graded: ["true", "all"].includes(params.get("graded")) ? params.get("graded") : "false",
  };
  const plans = new Map();
  const list = listScreen({
    state,
    pageSize: PAGE_SIZE,
    address: (s) => ({ plan: s.plan, graded: s.graded === "false" ? "" : s.graded }),
    fetch: (s, page) =>
      listAcknowledgements({
        plan_id: s.plan,
        current: true, // live confirmations of the current version: the ones to grade
        has_reflection: true,
        graded: s.graded === "all" ? "" : s.graded,
        ...page,
      }),
    summary: (data) => t("reflections.total", { n: data.total }),
    draw: (data) =>
      data.items.length
        ? el("div", { class: "reflection-list" }, data.items.map(card))
        : el("p", { class: "empty" }, state.graded === "false" ? t("reflections.noneToGrade") : t("reflections.none")),
  });
  const planSelect = select({ name: "plan" }, [["", t("reflections.allPlans")]], state.plan);
  const gradedSelect = select(
    { name: "graded" },
    [["false", t("reflections.ungraded")], ["true", t("reflections.graded")], ["all", t("reflections.all")]],
    state.graded,
  );
  list.watch({ plan: planSelect, graded: gradedSelect });
  document.title = `${t("reflections.title")} — Lan Tỏa`;
  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("reflections.title")),
      el("p", { class: "muted" }, t("reflections.lead")),
      el("div", { class: "filter-grid filters-inline" }, field({ label: t("reflections.plan"), input: planSelect }), field({ label: t("reflections.state"), input: gradedSelect })),
      ...list.parts(),
    ),
  );

  function card(ack) {
    const slot = el("div");
    const plan = plans.get(ack.plan_id);
    const node = el(
      "article",
      { class: "reflection-card", "aria-labelledby": `ack-${ack.id}` },
      el(
        "div",
        { class: "reflection-head" },
        el("h2", { id: `ack-${ack.id}` }, ack.participant_name),
        ack.grade ? gradeBadge(ack.grade) : el("span", { class: "badge badge-warn" }, t("reflections.notGraded")),
      ),
      el(
        "p",
        { class: "small muted" },
        [
          plan ? plan.symbol || plan.title : null,
          t("reflections.submitted", { when: formatDateTime(ack.reflection_submitted_at || ack.confirmed_at) }),
          t("reflections.length", { n: Array.from(ack.reflection || "").length }),
          viaLink("reflections.confirmedViaLink", ack.link_id, ack.via_link_issued_by),
          viaLink("reflections.sentViaLink", ack.reflection_link_id, ack.reflection_via_link_issued_by),
        ]
          .filter(Boolean)
          .join(" · "),
      ),
      el("blockquote", { class: "reflection-text" }, ack.reflection || ""),
      slot,
    );
    const saved = (fresh) => {
      Object.assign(ack, fresh);
      const next = card(ack);
      node.replaceWith(next);
      next.querySelector(".graded-note")?.focus();
    };
    const fill = () => {
      slot.replaceChildren(
        ...[
        ack.participant_id === currentMe()?.user?.participant_id
          ? el("p", { class: "small muted" }, t("reflections.ownNoGrade"))
          : ack.grade
          ? el("details", { class: "regrade-details" }, el("summary", {}, t("reflections.regrade")), gradeForm(ack, saved))
          : gradeForm(ack, saved),
        can("acknowledgements:withdraw") ? withdrawForm(ack, () => node.replaceWith(el("p", { class: "notice notice-success" }, t("reflections.withdrawn", { name: ack.participant_name })))) : null,
        ].filter(Boolean),
      );
      if (ack.graded_at) slot.prepend(el("p", { class: "notice notice-success graded-note", tabindex: "-1" }, t("reflections.gradedOn", { when: formatDateTime(ack.graded_at) })));
    };
    fill();
    return node;
  }

  try {
    const page = await listPlans({ limit: 200, org_id: orgId() });
    for (const p of page.items) plans.set(p.id, p);
    planSelect.append(
      ...page.items
        .filter((p) => p.status !== "draft")
        .map((p) => el("option", { value: p.id, selected: String(p.id) === state.plan }, [p.symbol, p.title].filter(Boolean).join(" — ").slice(0, 120))),
    );
  } catch {
    // The filter stays at "all plans".
  }
  await list.load();
  return list.stop;
}
