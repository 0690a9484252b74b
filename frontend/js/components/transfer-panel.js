// A person's moves between schools (chuyển trường): the line each side shows on her page, and,
// for whoever manages people in another school of the same kind (the district's admin), the
// form that moves her. Her new page opens once she is moved.
import { subtree } from "../api/orgs.js";
import { participantTransfers, transferParticipant } from "../api/transfers.js";
import { el } from "../dom.js";
import { t, useStrings } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { can, orgId } from "../session.js";
import { confirmAction, field, input, messageSlot, refuseLocally, reportError, select, showMessage } from "../ui.js";
import { dateInput, readDate } from "./date-field.js";

function moveLine(move) {
  const params = { date: formatDate(move.moved_at) };
  const text =
    move.direction === "in"
      ? t("transfers.cameFrom", { ...params, school: move.from_organization_name, code: move.from_staff_code })
      : t("transfers.movedTo", { ...params, school: move.to_organization_name, code: move.to_staff_code });
  const decision = move.decision_ref
    ? t(move.decided_on ? "transfers.decisionOn" : "transfers.decision", { ref: move.decision_ref, date: move.decided_on ? formatDate(move.decided_on) : "" })
    : "";
  return el("li", { class: `transfer-${move.direction}` }, text, decision ? el("span", { class: "small muted" }, ` · ${decision}`) : null);
}

// Schools the caller may move her to: of her school's kind, in the caller's organisation's tree.
async function destinations(person) {
  const { items } = await subtree(orgId(), { limit: 500 });
  const own = items.find((o) => o.id === person.organization_id);
  if (!own) return [];
  return items.filter((o) => o.id !== own.id && o.kind === own.kind);
}

function moveForm(person, schools) {
  const school = select({ name: "to_org_id" }, [["", t("transfers.pickSchool")], ...schools.map((o) => [o.id, o.name])], "");
  const staffCode = input({ name: "staff_code", autocomplete: "off", autocapitalize: "characters", maxlength: "50", placeholder: person.staff_code });
  const position = input({ name: "position", maxlength: "120", placeholder: person.position || "" });
  const decisionRef = input({ name: "decision_ref", maxlength: "100", autocomplete: "off" });
  const decidedOn = dateInput({ name: "decided_on", max: todayIso() });
  const note = input({ name: "note", maxlength: "1000" });
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, t("transfers.submit"));
  const form = el(
    "form",
    { class: "stack", novalidate: true },
    el("p", { class: "muted" }, t("transfers.lead")),
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("transfers.school"), input: school, required: true }),
      field({ label: t("transfers.staffCode"), input: staffCode, hint: t("transfers.staffCodeHint") }),
      field({ label: t("transfers.position"), input: position, hint: t("transfers.positionHint") }),
      field({ label: t("transfers.decisionRef"), input: decisionRef, hint: t("transfers.decisionRefHint") }),
      field({ label: t("transfers.decidedOn"), input: decidedOn }),
      field({ label: t("transfers.note"), input: note }),
    ),
    alert,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    const day = readDate(decidedOn);
    if (refuseLocally(form, alert, { to_org_id: school.value ? null : t("transfers.pickSchool"), decided_on: day.error })) return;
    const target = schools.find((o) => String(o.id) === school.value);
    if (!confirmAction(t("transfers.confirm", { name: person.full_name, school: target.name }))) return;
    await busy(submit, async () => {
      try {
        const body = { to_org_id: target.id, decided_on: day.value };
        for (const [key, control] of Object.entries({ staff_code: staffCode, position, decision_ref: decisionRef, note })) {
          if (control.value.trim()) body[key] = control.value.trim();
        }
        const moved = await transferParticipant(person.id, body);
        location.hash = `#/people/${moved.id}`;
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return form;
}

// The section for her page: filled once her moves (and where she may go) are known; empty when
// she never moved and the caller cannot move her.
export function transferPanel(person) {
  const section = el("section", { class: "card transfers", "aria-labelledby": "transfers-title", hidden: true });
  (async () => {
    const mayMove = person.active && can("people:manage");
    const [moves, schools] = await Promise.all([
      participantTransfers(person.id),
      mayMove ? destinations(person) : [],
      useStrings(["transfers"]),
    ]);
    if (!moves.length && !schools.length) return;
    section.replaceChildren(
      el("h2", { id: "transfers-title" }, t("transfers.title")),
      ...(moves.length ? [el("ul", { class: "transfer-lines" }, moves.map(moveLine))] : []),
      ...(schools.length ? [moveForm(person, schools)] : []),
    );
    section.hidden = false;
  })().catch((error) => {
    section.replaceChildren(el("p", { class: "error", role: "alert" }, error.message));
    section.hidden = false;
  });
  return section;
}
