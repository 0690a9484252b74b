// The audit log (admins): who did what, when, on which record, newest first — in words.
import { listAudit } from "../api/audit.js";
import { dataTable } from "../components/data-table.js";
import { dateInput } from "../components/date-field.js";
import { listScreen, filtersPanel } from "../components/list-screen.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import auditStrings from "../i18n/audit.vi.js";
import { roleLabel } from "../i18n/labels.js";
import { formatDate, formatDateTime, number } from "../lib/format.js";
import { zonedInstant } from "../lib/zone.js";
import { currentQuery } from "../router.js";
import { orgId } from "../session.js";
import { field, pageHeader } from "../ui.js";

const PAGE_SIZE = 50;

// The codes the server records, and the kinds of record, in the order their labels are listed.
const codesUnder = (prefix) => Object.keys(auditStrings).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
const ACTIONS = codesUnder("audit.actions.");
const ENTITY_TYPES = codesUnder("audit.entities.");

// Bookkeeping that says nothing to a clerk (or, for the check-in seed, should not be shown).
const HIDDEN_FIELDS = new Set(["id", "created_at", "updated_at", "path", "depth", "checkin_secret"]);

// Coded values and the table naming them: by "<area>.<field>" first, then by field alone.
const VALUE_LABELS = {
  role: "role",
  grade: "reflections.grade",
  priority: "tasks.priority",
  recurrence: "tasks.recurrence",
  review_status: "tasks.review",
  "plan.status": "plans.status",
  "task.status": "tasks.status",
  "session.status": "sessions.status",
  "session.kind": "sessions.kind",
  "attendance.status": "sessions.att",
  "attendance.method": "sessions.method",
  "activity.kind": "outreach.kind",
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function actionLabel(code) {
  return tOr(`audit.actions.${code}`, code);
}

const areaOf = (event) => event.action.split(".")[0];

function fieldLabel(event, key) {
  return tOr(`audit.fields.${areaOf(event)}.${key}`, tOr(`audit.fields.${key}`, key));
}

// The server writes times in UTC; one without an offset is UTC too.
function timeText(text) {
  return formatDateTime(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
}

function valueText(event, key, value) {
  if (value === null || value === undefined || value === "") return t("audit.blank");
  if (typeof value === "boolean") return value ? t("audit.yes") : t("audit.no");
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(event, key, v)).join(", ") : t("audit.blank");
  if (typeof value === "object") return JSON.stringify(value);
  const text = String(value);
  // An id of another record (an organisation, a unit, a person…): its name, which the server gives.
  const named = event.value_names?.[key]?.[text];
  if (named) return named;
  if (ISO_TIME.test(text)) return timeText(text);
  if (ISO_DATE.test(text)) return formatDate(text);
  if (key === "role") return roleLabel(text);
  const table = VALUE_LABELS[`${areaOf(event)}.${key}`] ?? VALUE_LABELS[key];
  return table ? tOr(`${table}.${text}`, text) : text;
}

const isBlank = (v) => v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length);

// What changed, field by field: "before → after" for an edit, the value alone for a creation
// or a deletion.
function changes(event) {
  const before = event.before || {};
  const after = event.after || {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => !HIDDEN_FIELDS.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]) && !(isBlank(before[k]) && isBlank(after[k])),
  );
  if (!keys.length) return "";
  const line = (k) => {
    const shown = !event.before ? valueText(event, k, after[k]) : !event.after ? valueText(event, k, before[k]) : `${valueText(event, k, before[k])} → ${valueText(event, k, after[k])}`;
    return el("li", {}, el("span", { class: "muted" }, fieldLabel(event, k)), `: ${shown}`);
  };
  return el("details", {}, el("summary", {}, t("audit.changes", { n: keys.length })), el("ul", { class: "plain-list small" }, keys.map(line)));
}

// A write through a personal link: the person, and under it who issued the link.
function whoCell(event) {
  if (event.actor_label === "system") return t("audit.system");
  const who = event.actor_name || event.actor_label;
  const via = event.after?.via_link_id;
  if (via == null) return who;
  const issuer = event.after.via_link_issued_by || t("audit.system");
  return [who, el("br"), el("span", { class: "muted small" }, t("audit.viaLink", { name: issuer }))];
}

function recordCell(event) {
  const kind = tOr(`audit.entities.${event.entity_type}`, event.entity_type);
  if (event.entity_label) return [el("span", {}, event.entity_label), el("br"), el("span", { class: "muted small" }, kind)];
  return event.entity_id ? `${kind} #${event.entity_id}` : kind;
}

// YYYY-MM-DD (a day in the server's zone) → the instant it starts there; with `next`, the
// instant the day after starts (where a filter "until" that day stops).
function dayStart(value, next = false) {
  if (!value) return "";
  const [y, m, d] = value.split("-").map(Number);
  return zonedInstant(new Date(Date.UTC(y, m - 1, d + (next ? 1 : 0))).toISOString().slice(0, 10));
}

// "All …" first, then one option per code; grouped under their area when `groupOf` names one.
function filterSelect(name, codes, { allLabel, labelOf, groupOf = null }, value) {
  const option = (code) => el("option", { value: code, selected: code === value }, labelOf(code));
  const groups = new Map();
  for (const code of codes) {
    const group = groupOf ? groupOf(code) : "";
    groups.set(group, [...(groups.get(group) || []), option(code)]);
  }
  const children = [...groups].flatMap(([group, options]) => (group ? [el("optgroup", { label: tOr(`audit.areas.${group}`, group) }, options)] : options));
  return el("select", { class: "input", name }, el("option", { value: "", selected: !value }, allLabel), children);
}

export async function render(outlet) {
  const org = orgId();
  const query = currentQuery();
  const state = {
    action: query.get("action") || "",
    entity_type: query.get("entity_type") || "",
    since: query.get("since") || "",
    until: query.get("until") || "",
  };
  const filtered = () => Boolean(state.action || state.entity_type || state.since || state.until);
  const list = listScreen({
    state,
    pageSize: PAGE_SIZE,
    address: (s) => ({ action: s.action, entity_type: s.entity_type, since: s.since, until: s.until }),
    fetch: (s, page) =>
      listAudit({ org_id: org, action: s.action, entity_type: s.entity_type, since: dayStart(s.since), until: dayStart(s.until, true), ...page }),
    summary: (data) => t("audit.total", { n: number(data.total) }),
    draw(data) {
      if (!data.items.length) return el("p", { class: "empty" }, filtered() ? t("audit.noMatch") : t("audit.empty"));
      const headers = ["audit.when", "audit.who", "audit.what", "audit.record", "audit.detail"].map((k) => t(k));
      return dataTable({ caption: t("audit.title"), headers, rows: data.items.map(row) });
    },
  });
  // A code in the address that no label knows (an older link) still filters, shown as itself.
  const knownOrGiven = (codes, value) => (value && !codes.includes(value) ? [...codes, value] : codes);
  const actionSelect = filterSelect(
    "action",
    knownOrGiven(ACTIONS, state.action),
    { allLabel: t("audit.allActions"), labelOf: actionLabel, groupOf: (code) => code.split(".")[0] },
    state.action,
  );
  const typeSelect = filterSelect(
    "entity_type",
    knownOrGiven(ENTITY_TYPES, state.entity_type),
    { allLabel: t("audit.allEntityTypes"), labelOf: (code) => tOr(`audit.entities.${code}`, code) },
    state.entity_type,
  );
  const since = dateInput({ name: "since", value: state.since });
  const until = dateInput({ name: "until", value: state.until });
  list.watch({ action: actionSelect, entity_type: typeSelect, since, until });

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("audit.title")),
      el("p", { class: "muted" }, t("audit.lead")),
      filtersPanel({
        label: t("audit.filters"),
        filtered: filtered(),
        fields: [
          field({ label: t("audit.action"), input: actionSelect }),
          field({ label: t("audit.entityType"), input: typeSelect }),
          field({ label: t("audit.since"), input: since }),
          field({ label: t("audit.until"), input: until }),
        ],
      }),
      ...list.parts(),
    ),
  );

  function row(e) {
    return el(
      "tr",
      {},
      el("th", { scope: "row", class: "cell-name" }, formatDateTime(e.created_at)),
      el("td", { "data-label": t("audit.who") }, whoCell(e)),
      el("td", { "data-label": t("audit.what"), title: e.action }, actionLabel(e.action)),
      el("td", { "data-label": t("audit.record") }, recordCell(e)),
      el("td", { "data-label": t("audit.detail") }, changes(e)),
    );
  }

  await list.load();
  return list.stop;
}
