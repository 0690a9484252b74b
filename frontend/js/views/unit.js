// One unit's members: mark the leader, remove a member. An archived unit has none left.
import { listUnits, listMembers, setMember, removeMember } from "../api/units.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { unitKindLabel } from "../i18n/labels.js";
import { busy } from "../lib/busy.js";
import { formatDate } from "../lib/format.js";
import { orgId, can } from "../session.js";
import { messageSlot, showMessage, confirmAction, loading } from "../ui.js";

export async function render(outlet, { id }) {
  const unitId = Number(id);
  let mayEdit = can("people:manage");
  const title = el("h1", {}, t("unit.title"));
  const meta = el("p", { class: "muted" });
  const alert = messageSlot("error");
  const status = messageSlot("status");
  const list = el("div", {}, loading());
  outlet.replaceChildren(
    el("p", { class: "back" }, el("a", { href: "#/units" }, `← ${t("unit.back")}`)),
    el("section", { class: "card" }, title, meta, status, alert, list, el("p", { class: "small muted" }, t("unit.howToAdd"))),
  );

  let unit;
  try {
    unit = (await listUnits(orgId(), true)).find((u) => u.id === unitId);
  } catch (error) {
    showMessage(alert, error.message);
    return;
  }
  if (!unit) {
    list.replaceChildren();
    showMessage(alert, t("problem.not-found"));
    return;
  }
  title.textContent = unit.name;
  document.title = `${unit.name} — Lan Tỏa`;
  if (unit.archived_at) {
    mayEdit = false;
    meta.after(el("p", { class: "warning" }, t("unit.archivedNote", { date: formatDate(unit.archived_at) })));
  }

  function memberItem(m) {
    const item = el(
      "li",
      { class: "list-item" },
      el(
        "div",
        { class: "list-main" },
        el("a", { href: `#/people/${m.participant_id}`, class: "list-title" }, m.full_name),
        el(
          "div",
          { class: "small muted" },
          el("span", { class: "mono" }, m.staff_code),
          m.is_leader ? el("span", { class: "badge badge-leader" }, t("people.leader")) : "",
        ),
      ),
    );
    if (mayEdit) {
      const leader = el(
        "button",
        { type: "button", class: "button button-secondary", "aria-pressed": m.is_leader ? "true" : "false", "aria-label": `${t("unit.leader")}: ${m.full_name}` },
        m.is_leader ? t("unit.unsetLeader") : t("unit.setLeader"),
      );
      const remove = el("button", { type: "button", class: "button button-danger", "aria-label": `${t("unit.remove")}: ${m.full_name}` }, t("unit.remove"));
      leader.addEventListener("click", async () => {
        await busy(leader, async () => {
          try {
            await setMember(unitId, m.participant_id, !m.is_leader);
            showMessage(status, m.is_leader ? t("unit.leaderUnset", { name: m.full_name }) : t("unit.leaderSet", { name: m.full_name }));
            await load();
          } catch (error) {
            showMessage(alert, error.message);
          }
        });
      });
      remove.addEventListener("click", async () => {
        if (!confirmAction(t("unit.confirmRemove", { name: m.full_name, unit: unit.name }))) return;
        await busy(remove, async () => {
          try {
            await removeMember(unitId, m.participant_id);
            showMessage(status, t("unit.removed", { name: m.full_name }));
            await load();
          } catch (error) {
            showMessage(alert, error.message);
          }
        });
      });
      item.append(el("div", { class: "list-actions" }, leader, remove));
    }
    return item;
  }

  async function load() {
    try {
      const members = await listMembers(unitId);
      meta.textContent = `${unitKindLabel(unit.kind)} · ${t("units.members", { n: members.length })}`;
      list.replaceChildren(
        members.length
          ? el("ul", { class: "item-list", "aria-label": t("unit.membersLabel") }, members.map(memberItem))
          : el("p", { class: "empty" }, t("unit.empty")),
      );
    } catch (error) {
      showMessage(alert, error.message);
    }
  }
  await load();
}
