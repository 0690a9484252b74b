// A printable sheet of personal QR codes: one card per person, cut and hand out.
import { linkSheet } from "../api/links.js";
import { listUnits } from "../api/units.js";
import { numberInput, readNumber } from "../components/number-field.js";
import { el } from "../dom.js";
import { t } from "../i18n/index.js";
import { busy } from "../lib/busy.js";
import { formatDate } from "../lib/format.js";
import { currentRole, orgId } from "../session.js";
import { field, select, messageSlot, showMessage, pageHeader, nextId, confirmAction } from "../ui.js";

export async function render(outlet) {
  const unitSelect = select({ name: "unit_id" }, [["", t("sheet.allStaff")]], "");
  const days = numberInput({ name: "valid_days", min: 1, max: 366, value: 60 });
  const revokeId = nextId("revoke");
  const revoke = el("input", { type: "checkbox", id: revokeId, name: "revoke_previous" });
  const make = el("button", { type: "submit", class: "button" }, t("sheet.make"));
  const print = el("button", { type: "button", class: "button button-secondary", hidden: true }, t("sheet.print"));
  const alert = messageSlot("error");
  const summary = el("p", { class: "summary", role: "status" });
  const grid = el("div", { class: "sheet-grid" });
  const units = new Map();
  const form = el(
    "form",
    { class: "sheet-form no-print", novalidate: true },
    el("div", { class: "form-grid" }, field({ label: t("sheet.unit"), input: unitSelect }), field({ label: t("sheet.days"), input: days, hint: t("sheet.daysHint") })),
    el("div", { class: "check" }, revoke, el("label", { for: revokeId }, t("sheet.revoke"))),
    el("p", { class: "warning" }, t("sheet.warning")),
    alert,
    el("div", { class: "actions" }, make, print),
  );
  print.addEventListener("click", () => window.print());
  const printHead = el("div", { class: "only-print sheet-print-head" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { value: n, error: wrong } = readNumber(days);
    if (wrong || n === null) {
      showMessage(alert, `${t("sheet.badDays")} ${wrong || ""}`.trim());
      days.focus();
      return;
    }
    const whom = unitSelect.value ? units.get(Number(unitSelect.value)) : t("sheet.allStaff");
    if (revoke.checked && !confirmAction(t("sheet.revokeConfirm", { whom }))) return;
    showMessage(alert, "");
    let cards;
    try {
      cards = await busy(make, () => linkSheet(orgId(), { unit_id: unitSelect.value ? Number(unitSelect.value) : null, valid_days: n, revoke_previous: revoke.checked }));
    } catch (error) {
      showMessage(alert, error.message);
      return;
    }
    summary.textContent = t("sheet.made", { n: cards.length });
    printHead.replaceChildren(el("strong", {}, currentRole()?.organization_name || ""), ` — ${whom}`);
    grid.replaceChildren(
      ...cards.map((c) =>
        el(
          "article",
          { class: "sheet-card" },
          el("p", { class: "sheet-name" }, c.full_name),
          el("p", { class: "sheet-code" }, c.staff_code),
          el("img", { src: c.qr_svg_data_uri, alt: t("sheet.qrAlt", { name: c.full_name }), class: "sheet-qr" }),
          el("p", { class: "sheet-instructions" }, t("sheet.instructions")),
          el("p", { class: "sheet-expires" }, t("sheet.expires", { date: formatDate(c.expires_at) })),
        ),
      ),
    );
    print.hidden = cards.length === 0;
    if (!cards.length) grid.replaceChildren(el("p", { class: "empty" }, t("sheet.nobody")));
    else print.focus();
  });
  document.title = `${t("sheet.title")} — Lan Tỏa`;
  outlet.replaceChildren(
    el(
      "section",
      { class: "card sheet-page" },
      el("div", { class: "no-print" }, pageHeader(t("sheet.title")), el("p", { class: "muted" }, t("sheet.lead"))),
      form,
      el("div", { class: "no-print" }, summary),
      printHead,
      grid,
    ),
  );
  try {
    for (const u of await listUnits(orgId())) {
      units.set(u.id, u.name);
      unitSelect.append(el("option", { value: u.id }, u.name));
    }
  } catch {
    // Without units the sheet still covers all staff.
  }
}
