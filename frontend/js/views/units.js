// Units of the organisation (Tổ chuyên môn, Tổ văn phòng, Công đoàn…): list, create, rename,
// archive (never delete: plans, tasks and earlier figures keep naming an archived unit).
import { listUnits, createUnit, updateUnit, archiveUnit } from "../api/units.js";
import { retentionCard } from "../components/retention-form.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { unitKindLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { formatDate } from "../lib/format.js";
import { orgId, can } from "../session.js";
import { field, input, select, messageSlot, showMessage, reportError, confirmAction, pageHeader, loading, nextId } from "../ui.js";

const KINDS = ["leadership", "professional", "office", "union", "youth", "other"];

export async function render(outlet) {
  const org = orgId();
  const mayEdit = can("people:manage");
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const list = el("div", {}, loading());
  const showArchivedId = nextId("units-archived");
  const showArchived = el("input", { type: "checkbox", id: showArchivedId, name: "include_archived" });
  showArchived.addEventListener("change", () => load());

  const name = input({ name: "name", maxlength: "120", autocomplete: "off" });
  const kind = select({ name: "kind" }, KINDS.map((k) => [k, unitKindLabel(k)]), "professional");
  const addButton = el("button", { type: "submit", class: "button" }, t("units.add"));
  const addAlert = messageSlot("error");
  const addForm = el(
    "form",
    { class: "inline-form", novalidate: true },
    field({ label: t("units.name"), input: name, required: true }),
    field({ label: t("units.kind"), input: kind }),
    addButton,
    addAlert,
  );
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(addAlert, "");
    if (!name.value.trim()) {
      reportError(addForm, addAlert, { fieldErrors: [{ field: "name", type: "missing", message: "" }] });
      return;
    }
    await busy(addButton, async () => {
      try {
        const unit = await createUnit(org, { name: name.value.trim(), kind: kind.value });
        addForm.reset();
        kind.value = "professional";
        showMessage(status, t("units.created", { name: unit.name }));
        await load();
        name.focus();
      } catch (error) {
        reportError(addForm, addAlert, error);
      }
    });
  });

  outlet.replaceChildren(
    el(
      "section",
      { class: "card" },
      pageHeader(t("units.title")),
      el("p", { class: "muted" }, t("units.lead")),
      mayEdit ? el("div", { class: "subcard" }, el("h2", {}, t("units.addTitle")), addForm) : "",
      el("div", { class: "check" }, showArchived, el("label", { for: showArchivedId }, t("units.showArchived"))),
      status,
      alert,
      list,
      retentionCard(org, mayEdit),
    ),
  );

  function renameForm(unit, item) {
    const newName = input({ name: "name", value: unit.name, maxlength: "120" });
    const newKind = select({ name: "kind" }, KINDS.map((k) => [k, unitKindLabel(k)]), KINDS.includes(unit.kind) ? unit.kind : "other");
    const save = el("button", { type: "submit", class: "button" }, t("form.save"));
    const cancel = el("button", { type: "button", class: "button button-secondary" }, t("form.cancel"));
    const formAlert = messageSlot("error");
    const form = el(
      "form",
      { class: "inline-form", novalidate: true },
      field({ label: t("units.newName"), input: newName, required: true }),
      field({ label: t("units.kind"), input: newKind }),
      save,
      cancel,
      formAlert,
    );
    cancel.addEventListener("click", () => load());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await busy(save, async () => {
        try {
          const updated = await updateUnit(unit.id, { name: newName.value.trim(), kind: newKind.value });
          showMessage(status, t("units.renamed", { name: updated.name }));
          await load();
        } catch (error) {
          reportError(form, formAlert, error);
        }
      });
    });
    item.replaceChildren(form);
    newName.focus();
    newName.select();
  }

  function unitItem(unit) {
    const item = el("li", { class: "list-item" });
    const actions = [];
    if (mayEdit && !unit.archived_at) {
      const rename = el("button", { type: "button", class: "button button-secondary", "aria-label": `${t("units.rename")}: ${unit.name}` }, t("units.rename"));
      const archive = el("button", { type: "button", class: "button button-danger", "aria-label": `${t("units.archive")}: ${unit.name}` }, t("units.archive"));
      rename.addEventListener("click", () => renameForm(unit, item));
      archive.addEventListener("click", async () => {
        const message = unit.member_count
          ? t("units.confirmArchiveMembers", { name: unit.name, n: unit.member_count })
          : t("units.confirmArchive", { name: unit.name });
        if (!confirmAction(message)) return;
        await busy(archive, async () => {
          try {
            await archiveUnit(unit.id);
            showMessage(status, t("units.archived", { name: unit.name }));
            await load();
          } catch (error) {
            showMessage(alert, error.message);
          }
        });
      });
      actions.push(rename, archive);
    }
    const facts = unit.archived_at
      ? `${unitKindLabel(unit.kind)} · ${t("units.archivedOn", { date: formatDate(unit.archived_at) })}`
      : `${unitKindLabel(unit.kind)} · ${t("units.members", { n: unit.member_count })}`;
    item.replaceChildren(
      el(
        "div",
        { class: "list-main" },
        el("a", { href: `#/units/${unit.id}`, class: "list-title" }, unit.name),
        el("div", { class: "small muted" }, facts),
      ),
      actions.length ? el("div", { class: "list-actions" }, actions) : "",
    );
    return item;
  }

  async function load() {
    try {
      const units = await listUnits(org, showArchived.checked);
      list.replaceChildren(
        units.length
          ? el("ul", { class: "item-list", "aria-label": t("units.title") }, units.map(unitItem))
          : el("p", { class: "empty" }, t("units.empty")),
      );
    } catch (error) {
      showMessage(alert, error.message);
    }
  }
  await load();
}
