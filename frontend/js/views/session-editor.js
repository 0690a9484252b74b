// Schedule a study session (or change one: #/sessions/new?id=5). Days and times are read in
// the server's time zone.
import { listPlans } from "../api/plans.js";
import { createSession, updateSession, getSession, SESSION_KINDS } from "../api/sessions.js";
import { listUnits, audienceChoices } from "../api/units.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatTime } from "../lib/format.js";
import { isoDay, todayIso, zonedInstant } from "../lib/zone.js";
import { currentQuery, navigate } from "../router.js";
import { orgId } from "../session.js";
import { field, input, select, nextId, messageSlot, showMessage, reportError, applyFieldErrors, loading } from "../ui.js";
import { confirmPastDay, dateInput, readDate } from "../components/date-field.js";

// A stored instant as the date and time inputs take it there.
function localParts(value) {
  return { date: isoDay(value), time: formatTime(value) };
}

export async function render(outlet) {
  const params = currentQuery();
  const editId = Number(params.get("id")) || null;
  outlet.replaceChildren(loading());
  let plans;
  let units;
  let existing = null;
  try {
    [plans, units, existing] = await Promise.all([
      listPlans({ status: "active", org_id: orgId(), limit: 200 }),
      listUnits(orgId(), true),
      editId ? getSession(editId) : Promise.resolve(null),
    ]);
  } catch (error) {
    outlet.replaceChildren(el("section", { class: "card" }, el("h1", {}, t("sessions.new")), el("p", { class: "notice notice-error", role: "alert" }, error.message)));
    return;
  }
  const planItems = plans.items;
  const wantedPlan = existing?.plan_id ?? (Number(params.get("plan")) || planItems[0]?.id || "");
  const start = existing ? localParts(existing.starts_at) : { date: todayIso(), time: "" };
  const end = existing ? localParts(existing.ends_at) : { date: start.date, time: "" };

  const plan = select(
    { name: "plan_id", disabled: Boolean(existing) },
    existing && !planItems.some((p) => p.id === existing.plan_id)
      ? [[existing.plan_id, `#${existing.plan_id}`]]
      : planItems.map((p) => [p.id, [p.symbol, p.title].filter(Boolean).join(" — ").slice(0, 140)]),
    wantedPlan,
  );
  const kind = select({ name: "kind" }, SESSION_KINDS.map((k) => [k, t(`sessions.kind.${k}`)]), existing?.kind || "study");
  const title = input({ name: "title", value: existing?.title || "", maxlength: "300", placeholder: t("sessions.titlePlaceholder") });
  const date = dateInput({ name: "date", value: start.date, warnPast: !existing });
  const startTime = input({ name: "starts_at", type: "time", value: start.time, step: "300" });
  const endTime = input({ name: "ends_at", type: "time", value: end.time, step: "300" });
  const place = input({ name: "place", value: existing?.place || "", maxlength: "300", placeholder: t("sessions.placePlaceholder") });
  const online = input({ name: "online_url", type: "url", inputmode: "url", value: existing?.online_url || "", placeholder: "https://meet.google.com/…" });
  const presenter = input({ name: "presenter", value: existing?.presenter || "", maxlength: "200" });
  const allId = nextId("aud");
  const someId = nextId("aud");
  const all = el("input", { type: "radio", name: "audience", id: allId, value: "all", checked: existing ? existing.audience_all : true });
  const some = el("input", { type: "radio", name: "audience", id: someId, value: "units", checked: existing ? !existing.audience_all : false });
  const chosen = new Set(existing?.audience_unit_ids || []);
  const unitBoxes = audienceChoices(units, chosen).map((u) => {
    const id = nextId("unit");
    const box = el("input", { type: "checkbox", id, name: "audience_unit_ids", value: u.id, checked: chosen.has(u.id) });
    return el("div", { class: "check" }, box, el("label", { for: id }, u.archived_at ? `${u.name} (${t("units.archivedShort")})` : u.name));
  });
  const unitGrid = el("div", { class: "check-grid unit-choice" }, unitBoxes);
  const syncAudience = () => {
    unitGrid.hidden = all.checked;
  };
  all.addEventListener("change", syncAudience);
  some.addEventListener("change", syncAudience);
  syncAudience();

  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, existing ? t("form.save") : t("sessions.create"));
  const form = el(
    "form",
    { class: "stack session-form", novalidate: true },
    planItems.length || existing ? null : el("p", { class: "warning" }, t("sessions.noActivePlan")),
    field({ label: t("sessions.plan"), input: plan, required: true }),
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("sessions.kindLabel"), input: kind, required: true }),
      field({ label: t("sessions.titleLabel"), input: title, required: true }),
    ),
    el(
      "div",
      { class: "form-grid form-grid-3" },
      field({ label: t("sessions.date"), input: date, required: true }),
      field({ label: t("sessions.start"), input: startTime, required: true }),
      field({ label: t("sessions.end"), input: endTime, required: true, hint: t("sessions.timeHint") }),
    ),
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("sessions.place"), input: place }),
      field({ label: t("sessions.presenter"), input: presenter }),
    ),
    field({ label: t("sessions.online"), input: online, hint: t("sessions.onlineHint") }),
    el(
      "fieldset",
      { class: "field" },
      el("legend", {}, t("sessions.audience")),
      el("div", { class: "check" }, all, el("label", { for: allId }, t("sessions.audienceAll"))),
      el("div", { class: "check" }, some, el("label", { for: someId }, t("sessions.audienceUnits"))),
      unitGrid,
      el("p", { class: "field-error", "data-errors-for": "audience_unit_ids", hidden: true }),
    ),
    alert,
    el("div", { class: "actions" }, submit, el("a", { class: "button button-secondary", href: existing ? `#/sessions/${existing.id}` : "#/sessions" }, t("form.cancel"))),
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const local = [];
    if (!title.value.trim()) local.push({ field: "title", type: "missing", message: "" });
    const day = readDate(date);
    if (day.error) local.push({ field: "date", type: "local", message: day.error });
    else if (!day.value) local.push({ field: "date", type: "missing", message: "" });
    if (!startTime.value) local.push({ field: "starts_at", type: "missing", message: "" });
    if (!endTime.value) local.push({ field: "ends_at", type: "missing", message: "" });
    else if (startTime.value && endTime.value <= startTime.value) local.push({ field: "ends_at", type: "value_error", message: t("sessions.endBeforeStart") });
    const unitIds = unitBoxes.map((row) => row.querySelector("input")).filter((b) => b.checked).map((b) => Number(b.value));
    if (some.checked && !unitIds.length) local.push({ field: "audience_unit_ids", type: "value_error", message: t("sessions.pickUnit") });
    if (!existing && !plan.value) local.push({ field: "plan_id", type: "missing", message: "" });
    if (local.length) {
      applyFieldErrors(form, local);
      showMessage(alert, t("form.fixFields"));
      return;
    }
    applyFieldErrors(form, []);
    showMessage(alert, "");
    if (!existing && !confirmPastDay(day.value, "sessions.confirmPast")) {
      date.focus();
      return;
    }
    const body = {
      kind: kind.value,
      title: title.value.trim(),
      starts_at: zonedInstant(day.value, startTime.value),
      ends_at: zonedInstant(day.value, endTime.value),
      place: place.value.trim() || null,
      online_url: online.value.trim() || null,
      presenter: presenter.value.trim() || null,
      audience_all: all.checked,
      audience_unit_ids: all.checked ? [] : unitIds,
    };
    try {
      const saved = await busy(submit, () => (existing ? updateSession(existing.id, body) : createSession({ plan_id: Number(plan.value), ...body })));
      navigate(`/sessions/${saved.id}`);
    } catch (error) {
      reportError(form, alert, error);
    }
  });

  document.title = `${existing ? t("sessions.editTitle") : t("sessions.new")} — Lan Tỏa`;
  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("p", { class: "back" }, el("a", { href: existing ? `#/sessions/${existing.id}` : "#/sessions" }, `← ${existing ? existing.title : t("sessions.title")}`)),
      el("h1", {}, existing ? t("sessions.editTitle") : t("sessions.new")),
      form,
    ),
  );
}
