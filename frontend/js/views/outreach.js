// The outreach log: what was published or held to spread the resolution, by date, with its
// kind, reach and who was responsible. Managers add, edit and remove entries.
import { KINDS, listActivities, createActivity, updateActivity, archiveActivity } from "../api/activities.js";
import { listPlans } from "../api/plans.js";
import { assigneePicker, loadStaff } from "../components/assignee-picker.js";
import { dataTable } from "../components/data-table.js";
import { dateInput, readDate } from "../components/date-field.js";
import { listScreen, filtersPanel } from "../components/list-screen.js";
import { numberInput, readNumber } from "../components/number-field.js";
import { el } from "../dom.js";
import { t, tOr } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate, number } from "../lib/format.js";
import { todayIso } from "../lib/zone.js";
import { currentQuery } from "../router.js";
import { orgId, can } from "../session.js";
import { field, input, select, messageSlot, showMessage, reportError, refuseLocally, confirmAction, pageHeader } from "../ui.js";

const PAGE_SIZE = 50;

function kindLabel(activity) {
  return tOr(`outreach.kind.${activity.kind}`, activity.kind_label || activity.kind);
}

function shortPlan(p) {
  const title = p.title.length > 60 ? `${p.title.slice(0, 60)}…` : p.title;
  return `${p.symbol || t("plans.noNumber")} — ${title}`;
}

function activityForm({ activity, plans, staff, planId, onSaved, onCancel }) {
  const writable = plans.filter((p) => p.organization_id === orgId() && p.status !== "closed");
  const plan = select(
    { name: "plan_id", disabled: Boolean(activity) },
    [["", t("outreach.choosePlan")], ...(activity ? plans : writable).map((p) => [p.id, shortPlan(p)])],
    activity?.plan_id ?? planId ?? (writable.length === 1 ? writable[0].id : ""),
  );
  const kind = select({ name: "kind" }, KINDS.map((k) => [k, t(`outreach.kind.${k}`)]), activity?.kind ?? "article");
  const title = input({ name: "title", value: activity?.title ?? "", maxlength: "300", autocomplete: "off" });
  const day = dateInput({ name: "happened_on", value: activity?.happened_on ?? todayIso() });
  const url = input({ name: "url", type: "url", inputmode: "url", placeholder: "https://", value: activity?.url ?? "", maxlength: "1000" });
  const reach = numberInput({ name: "reach", min: 0, value: activity?.reach ?? null });
  const notes = el("textarea", { class: "input", name: "notes", rows: "2", maxlength: "4000" });
  notes.value = activity?.notes ?? "";
  const who = assigneePicker({
    ...staff,
    allowNone: true,
    unitId: activity?.responsible_unit_id,
    participantId: activity?.responsible_participant_id,
    legend: t("outreach.responsible"),
    prefix: "responsible",
  });
  const alert = messageSlot("error");
  const submit = el("button", { type: "submit", class: "button" }, activity ? t("form.save") : t("outreach.add"));
  const cancel = el("button", { type: "button", class: "button button-secondary" }, t("form.cancel"));
  cancel.addEventListener("click", onCancel);
  const form = el(
    "form",
    { class: "stack", novalidate: true, "aria-label": activity ? t("outreach.editTitle") : t("outreach.newTitle") },
    field({ label: t("outreach.plan"), input: plan, required: true }),
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("outreach.kindLabel"), input: kind, required: true }),
      field({ label: t("outreach.date"), input: day, required: true }),
    ),
    field({ label: t("outreach.titleLabel"), input: title, required: true, hint: t("outreach.titleHint") }),
    el(
      "div",
      { class: "form-grid" },
      field({ label: t("outreach.url"), input: url, hint: t("outreach.urlHint") }),
      field({ label: t("outreach.reach"), input: reach, hint: t("outreach.reachHint") }),
    ),
    who.node,
    field({ label: t("outreach.notes"), input: notes }),
    alert,
    el("div", { class: "actions" }, submit, cancel),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [happened, people] = [readDate(day), readNumber(reach)];
    if (refuseLocally(form, alert, { happened_on: happened.error, reach: people.error })) return;
    const responsible = who.value();
    const body = {
      kind: kind.value,
      title: title.value.trim(),
      happened_on: happened.value || undefined,
      url: url.value.trim() || null,
      reach: people.value,
      responsible_participant_id: responsible.participant,
      responsible_unit_id: responsible.unit,
      notes: notes.value.trim() || null,
    };
    if (!activity) body.plan_id = plan.value ? Number(plan.value) : undefined;
    await busy(submit, async () => {
      try {
        onSaved(activity ? await updateActivity(activity.id, body) : await createActivity(body));
      } catch (error) {
        reportError(form, alert, error);
      }
    });
  });
  return { form, focus: () => (activity ? title : plan.value ? kind : plan).focus() };
}

export async function render(outlet) {
  const org = orgId();
  const query = currentQuery();
  const write = can("activities:write");
  const state = {
    plan: query.get("plan") || "",
    kind: KINDS.includes(query.get("kind")) ? query.get("kind") : "",
    since: query.get("since") || "",
    until: query.get("until") || "",
  };
  const list = listScreen({
    state,
    pageSize: PAGE_SIZE,
    address: (s) => ({ plan: s.plan, kind: s.kind, since: s.since, until: s.until }),
    fetch: (s, page) => listActivities({ plan_id: s.plan, kind: s.kind, since: s.since, until: s.until, ...page }),
    summary(data) {
      const reach = data.items.reduce((sum, a) => sum + (a.reach || 0), 0);
      return t("outreach.total", { n: data.total }) + (reach ? ` · ${t("outreach.reachTotal", { n: number(reach) })}` : "");
    },
    draw(data) {
      if (!data.items.length) {
        const filtered = state.plan || state.kind || state.since || state.until;
        return el("p", { class: "empty" }, filtered ? t("outreach.noMatch") : t("outreach.empty"));
      }
      const headers = [
        ...["outreach.date", "outreach.kindLabel", "outreach.titleLabel", "outreach.reach", "outreach.responsible"].map((k) =>
          el("th", { scope: "col", class: k === "outreach.reach" ? "num" : "" }, t(k)),
        ),
        el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("outreach.actions"))),
      ];
      return dataTable({ caption: t("outreach.title"), headers, rows: data.items.map(row), className: "outreach-table" });
    },
  });
  const planSelect = select({ name: "plan" }, [["", t("outreach.allPlans")]], state.plan);
  const kindSelect = select({ name: "kind" }, [["", t("outreach.allKinds")], ...KINDS.map((k) => [k, t(`outreach.kind.${k}`)])], state.kind);
  const since = dateInput({ name: "since", value: state.since });
  const until = dateInput({ name: "until", value: state.until });
  list.watch({ plan: planSelect, kind: kindSelect, since, until });
  const status = messageSlot("status");
  const formSlot = el("div");
  let addButton = null;
  if (write) addButton = el("button", { type: "button", class: "button", "aria-expanded": "false" }, t("outreach.add"));

  outlet.replaceChildren(
    formSlot,
    el(
      "section",
      { class: "card" },
      pageHeader(t("outreach.title"), ...(addButton ? [addButton] : [])),
      el("p", { class: "muted" }, t("outreach.lead")),
      filtersPanel({
        label: t("outreach.filters"),
        filtered: state.plan || state.kind || state.since || state.until,
        fields: [
          field({ label: t("outreach.plan"), input: planSelect }),
          field({ label: t("outreach.kindLabel"), input: kindSelect }),
          field({ label: t("outreach.since"), input: since }),
          field({ label: t("outreach.until"), input: until }),
        ],
      }),
      ...list.parts(status),
    ),
  );

  let plans = [];
  let staff = { units: [], people: [] };
  const ready = Promise.all([
    listPlans({ limit: 200 })
      .then((page) => (plans = page.items))
      .catch(() => []),
    write ? loadStaff(org).then((s) => (staff = s)) : null,
  ]).then(() => {
    planSelect.append(...plans.map((p) => el("option", { value: p.id, selected: String(p.id) === state.plan }, shortPlan(p))));
  });

  function closeForm() {
    formSlot.replaceChildren();
    addButton?.setAttribute("aria-expanded", "false");
  }
  async function openForm(activity) {
    await ready;
    const { form, focus } = activityForm({
      activity,
      plans,
      staff,
      planId: state.plan,
      onSaved(saved) {
        closeForm();
        showMessage(status, activity ? t("outreach.saved") : t("outreach.added", { title: saved.title }), "success");
        list.load();
      },
      onCancel: closeForm,
    });
    formSlot.replaceChildren(el("section", { class: "card card-form" }, el("h2", {}, activity ? t("outreach.editTitle") : t("outreach.newTitle")), form));
    addButton?.setAttribute("aria-expanded", "true");
    formSlot.scrollIntoView({ block: "start" });
    focus();
  }
  addButton?.addEventListener("click", () => (formSlot.childNodes.length ? closeForm() : openForm(null)));

  function row(a) {
    const tools = [];
    if (write && a.organization_id === org) {
      const edit = el("button", { type: "button", class: "button button-secondary button-small", "aria-label": `${t("outreach.edit")}: ${a.title}` }, t("outreach.edit"));
      edit.addEventListener("click", () => openForm(a));
      const archive = el("button", { type: "button", class: "button button-danger button-small", "aria-label": `${t("outreach.archive")}: ${a.title}` }, t("outreach.archive"));
      archive.addEventListener("click", async () => {
        if (!confirmAction(t("outreach.confirmArchive", { title: a.title }))) return;
        await busy(archive, async () => {
          try {
            await archiveActivity(a.id);
            showMessage(status, t("outreach.archived"), "success");
            list.load();
          } catch (error) {
            showMessage(list.alert, error.message);
          }
        });
      });
      tools.push(edit, archive);
    }
    return el(
      "tr",
      {},
      el("td", { "data-label": t("outreach.date"), class: "nowrap" }, formatDate(a.happened_on)),
      el("td", { "data-label": t("outreach.kindLabel") }, el("span", { class: `tag kind-${a.kind}` }, kindLabel(a))),
      el(
        "th",
        { scope: "row", class: "cell-name" },
        a.url ? el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer" }, a.title) : a.title,
        a.notes ? el("p", { class: "small muted" }, a.notes) : null,
      ),
      el("td", { "data-label": t("outreach.reach"), class: "num" }, a.reach != null ? number(a.reach) : "—"),
      el("td", { "data-label": t("outreach.responsible") }, a.responsible_name || "—"),
      el("td", { class: "cell-actions" }, tools.length ? el("div", { class: "list-actions" }, tools) : null),
    );
  }

  const wantNew = query.get("new") === "1";
  await list.load();
  if (wantNew && write) openForm(null);
  return list.stop;
}
