// "Assign to": a unit or a person (found by typing part of a name, accents optional), or nobody.
// Tasks are assigned with it, and outreach names who was responsible with it.
import { listUnits } from "../api/units.js";
import { listParticipants } from "../api/participants.js";
import { el } from "../dom.js";
import { foldText } from "../lib/text.js";
import { t } from "../i18n/index.js";
import { field, input, select, nextId } from "../ui.js";

// Units and active staff of an organisation: what the picker chooses from.
export async function loadStaff(org) {
  const [units, people] = await Promise.all([
    listUnits(org).catch(() => []),
    listParticipants({ org_id: org, active: true, limit: 500, sort: "full_name" })
      .then((page) => page.items)
      .catch(() => []),
  ]);
  return { units, people };
}

// value() → { participant, unit } (ids or null) and the kind chosen ("unit", "person", "none").
// required: one must be chosen (marked, and the server's errors on either id land on the whole).
export function assigneePicker({ units, people, unitId = null, participantId = null, allowNone = false, legend, prefix = "assignee", required = false }) {
  const kindName = nextId("kind");
  let kind = participantId ? "person" : unitId ? "unit" : allowNone ? "none" : "unit";
  const kinds = allowNone ? ["none", "unit", "person"] : ["unit", "person"];
  const radios = kinds.map((k) => {
    const id = nextId("kind");
    const radio = el("input", { type: "radio", name: kindName, id, value: k, checked: k === kind });
    return el("div", { class: "check" }, radio, el("label", { for: id }, t(`tasks.assign.${k}`)));
  });
  const unitSelect = select(
    { name: `${prefix}_unit_id` },
    [["", t("tasks.chooseUnit")], ...units.map((u) => [u.id, u.name])],
    unitId ?? "",
  );
  const filter = input({ type: "search", autocomplete: "off", placeholder: t("tasks.filterPeople") });
  const personSelect = select({ name: `${prefix}_participant_id` }, [], "");
  function fillPeople() {
    const q = foldText(filter.value.trim());
    const chosen = personSelect.value || (participantId ? String(participantId) : "");
    const matches = people.filter((p) => !q || foldText(`${p.full_name} ${p.staff_code} ${p.position || ""}`).includes(q) || String(p.id) === chosen);
    personSelect.replaceChildren(
      el("option", { value: "" }, t("tasks.choosePerson")),
      ...matches.map((p) =>
        el("option", { value: p.id, selected: String(p.id) === chosen }, `${p.full_name} — ${[p.staff_code, p.position].filter(Boolean).join(", ")}`),
      ),
    );
  }
  fillPeople();
  filter.addEventListener("input", fillPeople);
  const unitBox = field({ label: t("tasks.unitAssignee"), input: unitSelect, required });
  const personBox = el(
    "div",
    {},
    field({ label: t("tasks.personFilter"), input: filter }),
    field({ label: t("tasks.personAssignee"), input: personSelect, required }),
  );
  function sync() {
    unitBox.hidden = kind !== "unit";
    personBox.hidden = kind !== "person";
  }
  sync();
  const node = el(
    "fieldset",
    { class: "field assignee-field" },
    el("legend", {}, legend || t("tasks.assignee")),
    el("div", { class: "radio-row" }, radios),
    unitBox,
    personBox,
    el("p", { class: "field-error", "data-errors-for": `${prefix}_participant_id ${prefix}_unit_id`, hidden: true }),
  );
  node.addEventListener("change", (event) => {
    if (event.target.name === kindName) {
      kind = event.target.value;
      sync();
    }
  });
  return {
    node,
    value() {
      if (kind === "unit") return { participant: null, unit: unitSelect.value ? Number(unitSelect.value) : null, kind };
      if (kind === "person") return { participant: personSelect.value ? Number(personSelect.value) : null, unit: null, kind };
      return { participant: null, unit: null, kind };
    },
  };
}
