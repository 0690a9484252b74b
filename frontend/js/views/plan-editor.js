// Write or edit a plan: every part of the official document, with each server error beside
// the field it concerns (down to one section's heading or one recipient line).
import { getPlan, createPlan, updatePlan } from "../api/plans.js";
import { listUnits, audienceChoices } from "../api/units.js";
import { getOrg } from "../api/orgs.js";
import { dateInput, readDate } from "../components/date-field.js";
import { numberInput, readNumber } from "../components/number-field.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { roman } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { currentQuery } from "../router.js";
import { orgId } from "../session.js";
import { field, input, select, nextId, messageSlot, showMessage, reportError, refuseLocally, fieldMessage, loading } from "../ui.js";

const SECTION_KEYS = ["purpose", "content", "audience", "timeline", "organisation", "other"];
const DEFAULT_SECTIONS = [
  { key: "purpose", heading: "MỤC ĐÍCH, YÊU CẦU", body: "1. Mục đích\n- \n2. Yêu cầu\n- " },
  { key: "content", heading: "NỘI DUNG", body: "" },
  { key: "audience", heading: "ĐỐI TƯỢNG", body: "- Toàn thể cán bộ, viên chức, người lao động trong nhà trường." },
  { key: "timeline", heading: "THỜI GIAN", body: "" },
  { key: "organisation", heading: "TỔ CHỨC THỰC HIỆN", body: "" },
];

function textarea(attrs, value = "") {
  const node = el("textarea", { class: "input", rows: "3", ...attrs });
  node.value = value || "";
  return node;
}

function smallButton(label, attrs = {}) {
  return el("button", { type: "button", class: "button button-secondary button-small", ...attrs }, label);
}

// A list of one-line values (legal basis, recipients): add, remove, move.
function lineList({ name, legend, hint, items, addLabel, itemLabel }) {
  const rows = el("ol", { class: "line-list" });
  const errors = el("p", { class: "field-error", "data-errors-for": name, hidden: true });
  function renumber() {
    [...rows.children].forEach((row, i) => {
      const control = row.querySelector("input");
      control.dataset.path = `${name}.${i}`;
      row.querySelector("label").textContent = itemLabel(i + 1);
      row.querySelector("[data-move=up]").disabled = i === 0;
      row.querySelector("[data-move=down]").disabled = i === rows.children.length - 1;
    });
  }
  function add(value = "", focus = false) {
    const control = input({ value, maxlength: "500" });
    const up = smallButton("↑", { "data-move": "up", "aria-label": t("plans.editor.moveUp") });
    const down = smallButton("↓", { "data-move": "down", "aria-label": t("plans.editor.moveDown") });
    const remove = smallButton("✕", { "aria-label": t("plans.editor.remove") });
    const row = el("li", { class: "line-row" }, field({ label: "", input: control }), el("div", { class: "row-tools" }, up, down, remove));
    up.addEventListener("click", () => {
      if (row.previousElementSibling) rows.insertBefore(row, row.previousElementSibling);
      renumber();
      up.focus();
    });
    down.addEventListener("click", () => {
      if (row.nextElementSibling) rows.insertBefore(row.nextElementSibling, row);
      renumber();
      down.focus();
    });
    remove.addEventListener("click", () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      (next?.querySelector("input") || addButton).focus();
    });
    rows.append(row);
    renumber();
    if (focus) control.focus();
  }
  const addButton = smallButton(`+ ${addLabel}`);
  addButton.addEventListener("click", () => add("", true));
  (items || []).forEach((v) => add(v));
  const node = el(
    "fieldset",
    { class: "field list-field" },
    el("legend", {}, legend),
    hint ? el("p", { class: "hint" }, hint) : null,
    rows,
    errors,
    addButton,
  );
  return {
    node,
    values: () => [...rows.querySelectorAll("input")].map((i) => i.value.trim()).filter(Boolean),
  };
}

function sectionsEditor(sections) {
  const list = el("ol", { class: "section-list" });
  const errors = el("p", { class: "field-error", "data-errors-for": "sections", hidden: true });
  function renumber() {
    [...list.children].forEach((item, i) => {
      item.querySelector("legend").textContent = t("plans.editor.sectionN", { n: roman(i + 1) });
      item.querySelector("[data-part=key]").dataset.path = `sections.${i}.key`;
      item.querySelector("[data-part=heading]").dataset.path = `sections.${i}.heading`;
      item.querySelector("[data-part=body]").dataset.path = `sections.${i}.body`;
      item.querySelector("[data-move=up]").disabled = i === 0;
      item.querySelector("[data-move=down]").disabled = i === list.children.length - 1;
    });
  }
  function add(section = { key: "other", heading: "", body: "" }, focus = false) {
    const key = select({ "data-part": "key" }, SECTION_KEYS.map((k) => [k, t(`plans.sectionKey.${k}`)]), section.key);
    const heading = input({ "data-part": "heading", value: section.heading, maxlength: "300" });
    const body = textarea({ "data-part": "body", rows: "8", maxlength: "50000" }, section.body);
    const up = smallButton(`↑ ${t("plans.editor.up")}`, { "data-move": "up" });
    const down = smallButton(`↓ ${t("plans.editor.down")}`, { "data-move": "down" });
    const remove = el("button", { type: "button", class: "button button-danger button-small" }, t("plans.editor.removeSection"));
    const item = el(
      "li",
      {},
      el(
        "fieldset",
        { class: "field section-field" },
        el("legend", {}),
        el("div", { class: "section-top" }, field({ label: t("plans.editor.sectionKey"), input: key }), field({ label: t("plans.editor.sectionHeading"), input: heading, required: true, hint: t("plans.editor.headingHint") })),
        field({ label: t("plans.editor.sectionBody"), input: body, hint: t("plans.editor.bodyHint") }),
        el("div", { class: "row-tools" }, up, down, remove),
      ),
    );
    up.addEventListener("click", () => {
      if (item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
      renumber();
      up.focus();
    });
    down.addEventListener("click", () => {
      if (item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
      renumber();
      down.focus();
    });
    remove.addEventListener("click", () => {
      if (body.value.trim() && !window.confirm(t("plans.editor.confirmRemoveSection"))) return;
      item.remove();
      renumber();
      addButton.focus();
    });
    list.append(item);
    renumber();
    if (focus) heading.focus();
  }
  const addButton = smallButton(`+ ${t("plans.editor.addSection")}`);
  addButton.addEventListener("click", () => add(undefined, true));
  sections.forEach((s) => add(s));
  return {
    node: el("div", { class: "sections-editor" }, list, errors, addButton),
    values: () =>
      [...list.children].map((item) => ({
        key: item.querySelector("[data-part=key]").value,
        heading: item.querySelector("[data-part=heading]").value.trim(),
        body: item.querySelector("[data-part=body]").value.replace(/\s+$/, ""),
      })),
  };
}

// Errors inside lists ("body.sections.2.heading", "body.recipients.0") beside their control.
function applyNested(form, errors) {
  const rest = [];
  let first = null;
  for (const error of errors) {
    const path = String(error.field || "").replace(/^body\./, "");
    const control = /\.\d+/.test(path) ? form.querySelector(`[data-path="${CSS.escape(path)}"]`) : null;
    const slot = control && form.querySelector(`#${CSS.escape(control.id)}-error`);
    if (!slot) {
      rest.push(error);
      continue;
    }
    slot.textContent = fieldMessage(error);
    slot.hidden = false;
    control.setAttribute("aria-invalid", "true");
    first ??= control;
  }
  return { rest, first };
}

// Whole-body rules come back without a field; put them where the clerk can fix them.
function placeBodyErrors(errors) {
  return errors.map((e) => {
    const message = String(e.message || "");
    if (!/^body\.?$/.test(e.field || "") && e.field !== "body") return e;
    if (/period_end/.test(message)) return { ...e, field: "body.period_end", type: "period_order" };
    if (/unit/.test(message)) return { ...e, field: "body.audience_unit_ids", type: "audience_units" };
    return e;
  });
}

export async function render(outlet, { id }) {
  const isNew = !id;
  const back = el("p", { class: "back" }, el("a", { href: isNew ? "#/plans" : `#/plans/${id}` }, `← ${isNew ? t("plans.back") : t("plans.backToPlan")}`));
  const card = el("section", { class: "card" }, loading());
  outlet.replaceChildren(back, card);

  let plan = null;
  let units = [];
  let org = null;
  try {
    plan = isNew ? null : await getPlan(id);
    const orgIdValue = plan?.organization_id ?? orgId();
    [units, org] = await Promise.all([listUnits(orgIdValue, true).catch(() => []), getOrg(orgIdValue).catch(() => null)]);
  } catch (error) {
    card.replaceChildren(el("h1", {}, t("plans.editor.editTitle")), el("p", { class: "error", role: "alert" }, error.message));
    return;
  }
  document.title = `${isNew ? t("plans.editor.newTitle") : t("plans.editor.editTitle")} — Lan Tỏa`;
  if (plan?.status === "closed") {
    card.replaceChildren(
      el("h1", {}, t("plans.editor.editTitle")),
      el("p", { class: "notice notice-info" }, t("plans.closedNotice")),
      el("a", { class: "button", href: `#/plans/${plan.id}` }, t("plans.backToPlan")),
    );
    return;
  }

  const v = (key, fallback = "") => plan?.[key] ?? fallback;
  const title = textarea({ name: "title", rows: "3", maxlength: "500" }, v("title"));
  const place = input({ name: "place_name", value: v("place_name", org?.place_name || ""), maxlength: "100" });
  const resolution = textarea({ name: "resolution", rows: "2", maxlength: "500" }, v("resolution"));
  const preamble = textarea({ name: "preamble", rows: "4", maxlength: "5000" }, v("preamble"));
  const closing = textarea({ name: "closing", rows: "3", maxlength: "5000" }, v("closing"));
  const start = dateInput({ name: "period_start", value: v("period_start", isNew ? todayIso() : "") });
  const end = dateInput({ name: "period_end", value: v("period_end") });
  const signerTitle = textarea({ name: "signer_title", rows: "2", maxlength: "200" }, v("signer_title", isNew ? "HIỆU TRƯỞNG" : ""));
  const signerName = input({ name: "signer_name", value: v("signer_name"), maxlength: "200" });
  const legal = lineList({
    name: "legal_basis",
    legend: t("plans.legalBasis"),
    hint: t("plans.editor.legalHint"),
    items: v("legal_basis", []),
    addLabel: t("plans.editor.addLegal"),
    itemLabel: (n) => t("plans.editor.legalN", { n }),
  });
  const recipients = lineList({
    name: "recipients",
    legend: t("plans.editor.recipients"),
    hint: t("plans.editor.recipientsHint"),
    items: v("recipients", isNew ? ["Lưu: VT"] : []),
    addLabel: t("plans.editor.addRecipient"),
    itemLabel: (n) => t("plans.editor.recipientN", { n }),
  });
  const sections = sectionsEditor(isNew ? DEFAULT_SECTIONS : v("sections", []));

  const audienceName = nextId("aud");
  const chosen = new Set((plan?.audience_units || []).map((u) => u.id));
  const allId = nextId("aud");
  const someId = nextId("aud");
  const audienceAll = el("input", { type: "radio", name: audienceName, id: allId, value: "all", checked: plan ? plan.audience_all : true });
  const audienceSome = el("input", { type: "radio", name: audienceName, id: someId, value: "some", checked: plan ? !plan.audience_all : false });
  const unitBoxes = audienceChoices(units, chosen).map((u) => {
    const boxId = nextId("unit");
    const label = u.archived_at ? `${u.name} (${t("units.archivedShort")})` : u.name;
    return el("div", { class: "check" }, el("input", { type: "checkbox", id: boxId, name: "audience_unit_ids", value: u.id, checked: chosen.has(u.id) }), el("label", { for: boxId }, label));
  });
  const unitGrid = el("div", { class: "check-grid audience-units" }, unitBoxes.length ? unitBoxes : el("p", { class: "muted" }, t("plans.editor.noUnits")));
  const syncAudience = () => (unitGrid.hidden = audienceAll.checked);
  audienceAll.addEventListener("change", syncAudience);
  audienceSome.addEventListener("change", syncAudience);
  syncAudience();
  const audience = el(
    "fieldset",
    { class: "field" },
    el("legend", {}, t("plans.audience")),
    el("div", { class: "check" }, audienceAll, el("label", { for: allId }, t("plans.audienceAll"))),
    el("div", { class: "check" }, audienceSome, el("label", { for: someId }, t("plans.editor.audienceUnits"))),
    unitGrid,
    el("p", { class: "field-error", "data-errors-for": "audience_unit_ids", hidden: true }),
  );

  const reflectionId = nextId("refl");
  const reflection = el("input", { type: "checkbox", id: reflectionId, name: "reflection_required", checked: v("reflection_required", false) });
  const minLength = numberInput({ name: "reflection_min_length", min: 0, max: 20000, value: v("reflection_min_length", 0) });
  const minField = field({ label: t("plans.editor.minLength"), input: minLength, hint: t("plans.editor.minLengthHint") });
  // With the confirmation (as it always was), or later by its own deadline: then her
  // confirmation is one tap and the reflection follows.
  const timingName = nextId("timing");
  const timing = ["with_confirmation", "later"].map((value) =>
    el("input", { type: "radio", id: `${timingName}-${value}`, name: "reflection_timing", value, checked: v("reflection_timing", "with_confirmation") === value }),
  );
  const dueOn = dateInput({ name: "reflection_due_on", value: v("reflection_due_on", "") });
  const dueField = field({ label: t("plans.editor.reflectionDueOn"), input: dueOn, hint: t("plans.editor.reflectionDueOnHint") });
  const timingField = el(
    "fieldset",
    { class: "field" },
    el("legend", {}, t("plans.editor.reflectionTiming")),
    timing.map((radio) => el("div", { class: "check" }, radio, el("label", { for: radio.id }, t(`plans.reflectionTiming.${radio.value}`)))),
    el("p", { class: "field-error", "data-errors-for": "reflection_timing", hidden: true }),
  );
  const later = () => reflection.checked && timing[1].checked;
  const syncReflection = () => {
    minField.hidden = !reflection.checked;
    timingField.hidden = !reflection.checked;
    dueField.hidden = !later();
  };
  [reflection, ...timing, start].forEach((node) => node.addEventListener("change", syncReflection));
  syncReflection();

  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, isNew ? t("plans.editor.create") : t("form.save"));
  const group = (heading, ...children) => el("fieldset", { class: "editor-group" }, el("legend", {}, heading), ...children);
  const form = el(
    "form",
    { class: "stack plan-editor", novalidate: true },
    group(
      t("plans.editor.groupDoc"),
      field({ label: t("plans.docTitle"), input: title, required: true, hint: t("plans.editor.titleHint") }),
      el("div", { class: "form-grid" }, field({ label: t("plans.editor.place"), input: place, hint: t("plans.editor.placeHint") }), el("div")),
      field({ label: t("plans.resolution"), input: resolution, hint: t("plans.editor.resolutionHint") }),
      legal.node,
      field({ label: t("plans.editor.preamble"), input: preamble, hint: t("plans.editor.preambleHint") }),
    ),
    group(t("plans.editor.groupSections"), el("p", { class: "hint" }, t("plans.editor.sectionsHint")), sections.node),
    group(
      t("plans.editor.groupScope"),
      el("div", { class: "form-grid" }, field({ label: t("plans.editor.start"), input: start, required: true }), field({ label: t("plans.editor.end"), input: end, hint: t("plans.editor.endHint") })),
      audience,
      el("div", { class: "check" }, reflection, el("label", { for: reflectionId }, t("plans.editor.reflection"))),
      minField,
      timingField,
      dueField,
    ),
    group(
      t("plans.editor.groupEnd"),
      field({ label: t("plans.editor.closing"), input: closing }),
      recipients.node,
      el("div", { class: "form-grid" }, field({ label: t("plans.editor.signerTitle"), input: signerTitle, hint: t("plans.editor.signerTitleHint") }), field({ label: t("plans.editor.signerName"), input: signerName })),
    ),
    alert,
    el("div", { class: "actions sticky-actions" }, submit, el("a", { class: "button button-secondary", href: isNew ? "#/plans" : `#/plans/${id}` }, t("form.cancel"))),
  );

  const notices = [];
  if (plan?.status === "active") notices.push(el("p", { class: "warning" }, t("plans.editor.activeWarning")));
  if (currentQuery().get("adopted")) notices.push(el("p", { class: "notice notice-success" }, t("plans.editor.adopted")));
  card.replaceChildren(
    ...[
    el("h1", {}, isNew ? t("plans.editor.newTitle") : t("plans.editor.editTitle")),
    plan?.symbol ? el("p", { class: "muted" }, plan.symbol) : null,
    ...notices,
    form,
    ].filter(Boolean),
  );
  if (isNew) title.focus();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(alert, "");
    const [startDay, endDay] = [readDate(start), readDate(end)];
    const minimum = readNumber(minLength);
    const dueDay = readDate(dueOn);
    const found = { period_start: startDay.error || (startDay.value ? null : t("field.required")), period_end: endDay.error };
    if (reflection.checked) found.reflection_min_length = minimum.error;
    if (later()) found.reflection_due_on = dueDay.error;
    if (refuseLocally(form, alert, found)) return;
    const body = {
      title: title.value.trim(),
      place_name: place.value.trim() || null,
      resolution: resolution.value.trim(),
      preamble: preamble.value.trim(),
      closing: closing.value.trim(),
      legal_basis: legal.values(),
      sections: sections.values(),
      audience_all: audienceAll.checked,
      audience_unit_ids: audienceAll.checked ? [] : [...form.querySelectorAll('input[name="audience_unit_ids"]:checked')].map((b) => Number(b.value)),
      period_start: startDay.value,
      period_end: endDay.value,
      recipients: recipients.values(),
      signer_title: signerTitle.value.trim(),
      signer_name: signerName.value.trim(),
      reflection_required: reflection.checked,
      reflection_min_length: reflection.checked ? minimum.value ?? 0 : 0,
      reflection_timing: later() ? "later" : "with_confirmation",
      reflection_due_on: later() ? dueDay.value : null,
    };
    await busy(submit, async () => {
      try {
        const saved = isNew ? await createPlan({ organization_id: orgId(), ...body }) : await updatePlan(plan.id, body);
        location.hash = `#/plans/${saved.id}?saved=1`;
      } catch (error) {
        const errors = placeBodyErrors(error.fieldErrors || []).map((e) =>
          e.type === "period_order" ? { ...e, message: t("plans.editor.periodOrder"), type: "local" } : e.type === "audience_units" ? { ...e, message: t("plans.editor.chooseUnit"), type: "local" } : e.field === "body.reflection_due_on" ? { ...e, message: t("plans.editor.reflectionDueBeforeStart"), type: "local" } : e,
        );
        const flat = errors.filter((e) => !/\.\d+/.test(String(e.field || "")));
        const nested = errors.filter((e) => /\.\d+/.test(String(e.field || "")));
        error.fieldErrors = flat;
        reportError(form, alert, error);
        const { rest, first } = applyNested(form, nested);
        if (nested.length > rest.length) {
          showMessage(alert, t("form.fixFields"), "error");
          if (!flat.length) first?.focus();
        }
        if (rest.length) showMessage(alert, `${t("form.fixFields")} ${rest.map(fieldMessage).join(" ")}`, "error");
      }
    });
  });
}
